-- One row per level of each level code, with its position (1 = lowest).
CREATE OR REPLACE TABLE staging.stg_code_levels AS
WITH source AS (
    SELECT code_id, levels FROM staging.stg_codebook WHERE kind = 'level' AND levels IS NOT NULL
),
unnested AS (
    SELECT code_id, unnest(levels) AS level, generate_subscripts(levels, 1) AS level_order
    FROM source
),
final AS (
    SELECT code_id, level, level_order FROM unnested WHERE level IS NOT NULL
)
SELECT * FROM final ORDER BY code_id, level_order;
