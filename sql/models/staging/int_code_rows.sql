-- The rows every table of a code prints, in order: each level of a level code
-- (1 = lowest) and then 'not coded', or 'mentioned' for a mention code. The
-- marts by stakeholder group and by service area both fill these rows.
CREATE OR REPLACE TABLE staging.int_code_rows AS
WITH levels AS (
    SELECT code_id, level, level_order FROM staging.stg_code_levels
),
codes AS (
    SELECT code_id, kind, levels FROM staging.stg_codebook
),
final AS (
    SELECT code_id, level, level_order FROM levels
    UNION ALL
    SELECT code_id, 'not coded' AS level, len(levels) + 1 AS level_order FROM codes WHERE kind = 'level'
    UNION ALL
    SELECT code_id, 'mentioned' AS level, 1 AS level_order FROM codes WHERE kind = 'mention'
)
SELECT * FROM final ORDER BY code_id, level_order;
