-- The terms of the study's redact file with their file and row, for the check that
-- no released text holds one (the refusal names the row; the terms are never shown).
WITH source AS (
    SELECT term, source_file, source_row FROM staging.stg_redact WHERE term IS NOT NULL
),
final AS (
    SELECT term, source_file, source_row FROM source
)
SELECT * FROM final ORDER BY source_row;
