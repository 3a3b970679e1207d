-- The terms of the study's redact file with their file and row (private.listed_terms), for the check that
-- no released text holds one (the refusal names the row; the terms are never shown).
SELECT term, source_file, source_row FROM private.listed_terms ORDER BY source_row;
