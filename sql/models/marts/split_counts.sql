-- Every count the release's coded tables print, by both splits: for each wave,
-- split (stakeholder_group; service_area too when any interview states one),
-- group of the split ('All' in both) and code, the rows of marts.code_levels,
-- marts.risk_mentions (level '') and marts.service_area_levels, plus
-- - each level code's net (staging.stg_code_nets) at level 'net: <net>': the
--   interviews at any of the net's levels;
-- - each theme of mention codes at code_id 'any:<theme>': the interviews that
--   mentioned at least one of its codes (not the sum of the codes: one
--   interview can mention several; staging.int_theme_reach).
CREATE OR REPLACE TABLE marts.split_counts AS
WITH has_areas AS (
    SELECT count(*) > 0 AS yes FROM marts.service_area_levels
),
counted AS (
    SELECT 'stakeholder_group' AS split, theme, stakeholder_group AS category, wave_id, code_id, level, n, base
    FROM marts.code_levels
    WHERE theme <> 'risk'
    UNION ALL
    SELECT 'stakeholder_group' AS split, 'risk' AS theme, stakeholder_group AS category, wave_id, code_id,
        '' AS level, n, base
    FROM marts.risk_mentions
    UNION ALL
    SELECT 'service_area' AS split, theme, service_area AS category, wave_id, code_id,
        CASE WHEN theme = 'risk' THEN '' ELSE level END AS level, n, base
    FROM marts.service_area_levels
),
by_split AS (
    SELECT * FROM counted
    UNION ALL
    SELECT 'service_area' AS split, theme, category, wave_id, code_id, level, n, base
    FROM counted
    WHERE split = 'stakeholder_group' AND category = 'All' AND (SELECT yes FROM has_areas)
),
group_bases AS (
    SELECT DISTINCT split, category, wave_id, base FROM by_split
),
nets AS (
    SELECT code_id, 'net: ' || net AS level, net_levels FROM staging.stg_code_nets
),
net_counts AS (
    SELECT
        levels.split, levels.theme, levels.category, levels.wave_id, levels.code_id, nets.level,
        CAST(sum(levels.n) AS BIGINT) AS n, levels.base
    FROM by_split AS levels
    JOIN nets ON nets.code_id = levels.code_id AND list_contains(nets.net_levels, levels.level)
    GROUP BY ALL
),
themes AS (
    SELECT DISTINCT theme FROM staging.stg_codebook WHERE kind = 'mention'
),
reach AS (
    SELECT wave_id, stakeholder_group, service_area, theme, n FROM staging.int_theme_reach
),
theme_counts AS (
    SELECT 'stakeholder_group' AS split, stakeholder_group AS category, wave_id, theme, CAST(sum(n) AS BIGINT) AS n
    FROM reach
    GROUP BY ALL
    UNION ALL
    SELECT 'service_area' AS split, coalesce(service_area, 'not stated') AS category, wave_id, theme,
        CAST(sum(n) AS BIGINT) AS n
    FROM reach
    GROUP BY ALL
    UNION ALL
    SELECT splits.split, 'All' AS category, reach.wave_id, reach.theme, CAST(sum(reach.n) AS BIGINT) AS n
    FROM reach
    CROSS JOIN (SELECT DISTINCT split FROM group_bases) AS splits
    GROUP BY ALL
),
any_counts AS (
    SELECT
        group_bases.split,
        themes.theme,
        group_bases.category,
        group_bases.wave_id,
        'any:' || themes.theme AS code_id,
        CASE WHEN themes.theme = 'risk' THEN '' ELSE 'mentioned' END AS level,
        coalesce(theme_counts.n, 0) AS n,
        group_bases.base
    FROM group_bases
    CROSS JOIN themes
    LEFT JOIN theme_counts
        ON theme_counts.split = group_bases.split
        AND theme_counts.category = group_bases.category
        AND theme_counts.wave_id = group_bases.wave_id
        AND theme_counts.theme = themes.theme
),
waves AS (
    SELECT wave_id, wave_order FROM staging.stg_waves
),
final AS (
    SELECT rows_of_splits.*, waves.wave_order
    FROM (
        SELECT * FROM by_split
        UNION ALL
        SELECT * FROM net_counts
        UNION ALL
        SELECT * FROM any_counts
    ) AS rows_of_splits
    JOIN waves ON waves.wave_id = rows_of_splits.wave_id
)
SELECT wave_id, split, category, theme, code_id, level, n, base, staging.pct(n, base) AS pct
FROM final
ORDER BY wave_order, split DESC, category <> 'All', category = 'not stated', category, theme, code_id, level;
