-- One row per code. Themes and kinds are matched case-insensitively;
-- levels (for level codes) become an ordered list, lowest first.
CREATE OR REPLACE TABLE staging.stg_codebook AS
WITH source AS (
    SELECT * FROM raw.codebook
),
renamed AS (
    SELECT
        staging.clean_text(code_id) AS code_id,
        lower(staging.clean_text(theme)) AS theme,
        staging.clean_text(label) AS label,
        lower(staging.clean_text(kind)) AS kind,
        CASE WHEN staging.clean_text(levels) IS NOT NULL
            THEN list_transform(string_split(levels, '|'), lambda level: staging.clean_text(level))
        END AS levels,
        source_row AS code_order,
        source_file,
        source_row
    FROM source
),
final AS (
    SELECT * FROM renamed
)
SELECT * FROM final ORDER BY code_order;
