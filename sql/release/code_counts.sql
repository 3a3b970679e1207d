-- Long-format counts behind the release tables of coded themes. One row per
-- table (awareness, confidence, risk_mentions, theme_<theme> for every other
-- theme), split (stakeholder_group; service_area too when any interview has
-- one), group ('All' first, in both splits), wave, code and level (NULL in
-- risk_mentions): n interviews out of the group's base, and pct as the marts round it.
-- The stakeholder-group split is the marts as published (code_levels, of which
-- awareness and confidence are slices, and risk_mentions); the service-area
-- split sums the same counts per service area (staging.int_code_level_counts;
-- blanks are 'not stated').
WITH codes AS (
    SELECT code_id, theme, label AS code_label, kind, code_order FROM staging.stg_codebook
),
waves AS (
    SELECT wave_id, wave_order FROM staging.stg_waves
),
by_group AS (
    SELECT
        CASE WHEN theme IN ('awareness', 'confidence') THEN theme
            ELSE 'theme_' || trim(regexp_replace(theme, '[^a-z0-9]+', '_', 'g'), '_')
        END AS table_name,
        stakeholder_group AS grp, wave_id, code_id, level, n, base
    FROM marts.code_levels
    WHERE theme <> 'risk'
    UNION ALL
    SELECT 'risk_mentions' AS table_name, stakeholder_group AS grp, wave_id, code_id, NULL AS level, n, base
    FROM marts.risk_mentions
),
areas AS (
    SELECT wave_id, interview_id, coalesce(service_area, 'not stated') AS grp
    FROM staging.stg_interviews
    WHERE (SELECT count(service_area) FROM staging.stg_interviews) > 0
),
area_bases AS (
    SELECT waves.wave_id, area_names.grp, count(areas.interview_id) AS base
    FROM waves
    CROSS JOIN (SELECT DISTINCT grp FROM areas) AS area_names
    LEFT JOIN areas ON areas.wave_id = waves.wave_id AND areas.grp = area_names.grp
    GROUP BY waves.wave_id, area_names.grp
),
area_levels AS (
    SELECT wave_id, coalesce(service_area, 'not stated') AS grp, code_id, level, CAST(sum(n) AS BIGINT) AS n
    FROM staging.int_code_level_counts
    GROUP BY ALL
),
-- one level per interview and code (validation), so the levels add up to the interviews reached
area_reach AS (
    SELECT wave_id, grp, code_id, CAST(sum(n) AS BIGINT) AS n FROM area_levels GROUP BY ALL
),
rows_of_tables AS (
    SELECT DISTINCT table_name, code_id, level FROM by_group
),
by_area AS (
    SELECT
        rows_of_tables.table_name,
        area_bases.grp,
        area_bases.wave_id,
        rows_of_tables.code_id,
        rows_of_tables.level,
        CASE
            WHEN rows_of_tables.level IS NULL THEN coalesce(area_reach.n, 0)
            WHEN rows_of_tables.level = 'not coded' THEN area_bases.base - coalesce(area_reach.n, 0)
            ELSE coalesce(area_levels.n, 0)
        END AS n,
        area_bases.base
    FROM area_bases
    CROSS JOIN rows_of_tables
    LEFT JOIN area_reach USING (wave_id, grp, code_id)
    LEFT JOIN area_levels USING (wave_id, grp, code_id, level)
),
splits AS (
    SELECT 'stakeholder_group' AS split, * FROM by_group
    UNION ALL
    SELECT 'service_area' AS split, * FROM by_area
    UNION ALL
    SELECT 'service_area' AS split, * FROM by_group WHERE grp = 'All' AND EXISTS (SELECT 1 FROM areas)
),
group_orders AS (
    SELECT
        split,
        grp,
        row_number() OVER (PARTITION BY split ORDER BY grp <> 'All', grp = 'not stated', grp) AS group_order
    FROM (SELECT DISTINCT split, grp FROM splits)
),
final AS (
    SELECT
        splits.table_name,
        splits.split,
        splits.grp AS stakeholder_group,
        splits.wave_id,
        codes.theme,
        splits.code_id,
        codes.code_label,
        codes.kind,
        splits.level,
        splits.n,
        splits.base,
        staging.pct(splits.n, splits.base) AS pct,
        waves.wave_order,
        group_orders.group_order,
        codes.code_order,
        levels.level_order
    FROM splits
    JOIN codes ON codes.code_id = splits.code_id
    JOIN waves ON waves.wave_id = splits.wave_id
    JOIN group_orders ON group_orders.split = splits.split AND group_orders.grp = splits.grp
    LEFT JOIN staging.stg_code_levels AS levels
        ON levels.code_id = splits.code_id AND levels.level = splits.level
)
SELECT * FROM final
ORDER BY table_name, split DESC, group_order, code_order, level_order NULLS LAST, wave_order;
