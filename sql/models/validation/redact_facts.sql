-- What the redact rules (expectations/redact.yml) read: one row per row of
-- redact.csv, its values from staging.stg_redact. The terms are themselves
-- identifying, so the only rules are on empty cells, whose message shows nothing
-- but the empty cell.
CREATE OR REPLACE TABLE validation.redact_facts AS
WITH final AS (
    SELECT
        raw.source_file,
        raw.source_row,
        raw.term AS given_term,
        raw.label AS given_label,
        terms.term,
        terms.label
    FROM raw.redact AS raw
    JOIN staging.stg_redact AS terms USING (source_file, source_row)
)
SELECT * FROM final;
