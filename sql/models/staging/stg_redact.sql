-- The study's own terms for the quote bank to redact (redact.csv; none without one),
-- trimmed, with empty cells as NULL. Read by the private models only: never published.
CREATE OR REPLACE TABLE staging.stg_redact AS
WITH source AS (
    SELECT * FROM raw.redact
),
renamed AS (
    SELECT
        staging.clean_text(term) AS term,
        staging.clean_text(label) AS label,
        source_file,
        source_row
    FROM source
),
final AS (
    SELECT * FROM renamed
)
SELECT * FROM final ORDER BY source_row;
