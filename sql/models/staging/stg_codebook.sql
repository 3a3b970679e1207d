-- One row per code. Themes and kinds are matched case-insensitively;
-- levels (for level codes) become an ordered list, lowest first; net_levels
-- (the levels of a code's published net, optional) a list cleaned the same way.
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
        staging.level_list(levels) AS levels,
        staging.level_list(net_levels) AS net_levels,
        source_row AS code_order,
        source_file,
        source_row
    FROM source
),
final AS (
    SELECT * FROM renamed
)
SELECT * FROM final ORDER BY code_order;
