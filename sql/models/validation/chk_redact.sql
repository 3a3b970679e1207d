-- One row per row of redact.csv: the checks the redact suite asserts. The terms
-- are themselves identifying, so the only rules are on empty cells, whose message
-- shows nothing but the empty cell.
CREATE OR REPLACE TABLE validation.chk_redact AS
WITH source AS (
    SELECT source_file, source_row, term AS given_term, label AS given_label FROM raw.redact
),
final AS (
    SELECT
        source_file,
        source_row,
        given_term,
        given_label,
        staging.clean_text(given_term) IS NOT NULL AS term_given,
        staging.clean_text(given_label) IS NOT NULL AS label_given
    FROM source
)
SELECT * FROM final;
