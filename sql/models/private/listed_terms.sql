-- The terms of the study's redact file, each with its file and row, for the
-- check that no released text holds one (a refusal names the row; the terms
-- themselves are never shown).
CREATE OR REPLACE TABLE private.listed_terms AS
WITH source AS (
    SELECT term, source_file, source_row FROM staging.stg_redact WHERE term IS NOT NULL
),
final AS (
    SELECT term, source_file, source_row FROM source
)
SELECT * FROM final ORDER BY source_row;
