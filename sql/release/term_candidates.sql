-- The terms worth compiling into a bank's redaction pattern (redaction._terms_pattern), in their order:
-- every term but an ASCII one with a word that is not in the vocabulary of the bank's folded texts. Such a
-- term cannot match: folding leaves ASCII text its lower case. Run on an in-memory connection over the frames
-- terms (term, label, term_order) and vocabulary (word). A word is a run of ASCII word characters: Python's
-- \w on ASCII text. A term of no words is kept (the caller decides).
WITH ascii_words AS (
    SELECT
        term_order,
        unnest(regexp_extract_all(lower(term), '\w+')) AS word
    FROM terms
    WHERE strlen(term) = length(term)
),

missing AS (
    SELECT DISTINCT term_order
    FROM ascii_words
    WHERE word NOT IN (SELECT word FROM vocabulary)
),

final AS (
    SELECT
        term,
        label,
        term_order
    FROM terms
    WHERE term_order NOT IN (SELECT term_order FROM missing)
)

SELECT term, label FROM final
ORDER BY term_order;
