-- Long-format counts behind the release tables of coded themes. One row per
-- table (awareness, confidence, risk_mentions, theme_<theme> for every other
-- theme), split (stakeholder_group; service_area too when any interview has
-- one), group ('All' first, in both splits), wave, code and level ('' in
-- risk_mentions): n interviews out of the group's base, and pct as the marts
-- round it. Each level code with a net (staging.stg_code_nets) gets a row at
-- level 'net: <net>' (members its levels), printed first; each theme of
-- mention codes an "any mention" row (code_id 'any:<theme>', members its
-- codes), the interviews that mentioned at least one of them.
-- The stakeholder-group split is the marts as published (code_levels, of which
-- awareness and confidence are slices, and risk_mentions); the service-area
-- split sums the same counts per service area (staging.int_code_level_counts;
-- blanks are 'not stated').
-- Groups under $min_group interviews in a wave publish no answers
-- (release_group_merges, from group_merges.sql): their rows keep their base and
-- have n NULL, and they are summed into the split's 'Other ...' group, or the
-- split's answers are left out for the wave (n NULL for every group but All).
-- A wave of fewer than $min_group interviews shows no answers at all.
WITH codes AS (
    SELECT code_id, theme, label AS code_label, kind, code_order, NULL AS members FROM staging.stg_codebook
    UNION ALL
    SELECT
        'any:' || theme AS code_id,
        theme,
        'Any of the ' || theme || ' mentions below' AS code_label,
        'mention' AS kind,
        min(code_order) - 0.5 AS code_order,
        string_agg(code_id, '|' ORDER BY code_order) AS members
    FROM staging.stg_codebook
    WHERE kind = 'mention'
    GROUP BY theme
),
waves AS (
    SELECT wave_id, wave_order FROM staging.stg_waves
),
nets AS (
    SELECT code_id, 'net: ' || net AS level, net_levels, array_to_string(net_levels, '|') AS members
    FROM staging.stg_code_nets
),
wave_groups AS (
    SELECT wave_id, stakeholder_group AS grp, base FROM staging.int_wave_groups
),
themes AS (
    SELECT DISTINCT theme FROM codes WHERE code_id LIKE 'any:%'
),
theme_counts AS (
    SELECT wave_id, stakeholder_group AS grp, theme, CAST(sum(n) AS BIGINT) AS n
    FROM staging.int_theme_reach
    GROUP BY ALL
    UNION ALL
    SELECT wave_id, 'All' AS grp, theme, CAST(sum(n) AS BIGINT) AS n
    FROM staging.int_theme_reach
    GROUP BY ALL
),
by_group AS (
    SELECT theme, stakeholder_group AS grp, wave_id, code_id, level, n, base
    FROM marts.code_levels
    WHERE theme <> 'risk'
    UNION ALL
    SELECT 'risk' AS theme, stakeholder_group AS grp, wave_id, code_id, '' AS level, n, base
    FROM marts.risk_mentions
    UNION ALL
    SELECT levels.theme, levels.stakeholder_group AS grp, levels.wave_id, levels.code_id, nets.level,
        CAST(sum(levels.n) AS BIGINT) AS n, levels.base
    FROM marts.code_levels AS levels
    JOIN nets ON nets.code_id = levels.code_id AND list_contains(nets.net_levels, levels.level)
    GROUP BY ALL
    UNION ALL
    SELECT
        themes.theme,
        wave_groups.grp,
        wave_groups.wave_id,
        'any:' || themes.theme AS code_id,
        CASE WHEN themes.theme = 'risk' THEN '' ELSE 'mentioned' END AS level,
        coalesce(theme_counts.n, 0) AS n,
        wave_groups.base
    FROM wave_groups
    CROSS JOIN themes
    LEFT JOIN theme_counts
        ON theme_counts.wave_id = wave_groups.wave_id
        AND theme_counts.grp = wave_groups.grp
        AND theme_counts.theme = themes.theme
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
    UNION ALL
    SELECT wave_id, coalesce(service_area, 'not stated') AS grp, 'any:' || theme AS code_id, 'mentioned' AS level,
        CAST(sum(n) AS BIGINT) AS n
    FROM staging.int_theme_reach
    GROUP BY ALL
),
-- one level per interview and code (validation), so the levels add up to the interviews reached
area_reach AS (
    SELECT wave_id, grp, code_id, CAST(sum(n) AS BIGINT) AS n FROM area_levels GROUP BY ALL
),
area_nets AS (
    SELECT area_levels.wave_id, area_levels.grp, area_levels.code_id, nets.level, CAST(sum(area_levels.n) AS BIGINT) AS n
    FROM area_levels
    JOIN nets ON nets.code_id = area_levels.code_id AND list_contains(nets.net_levels, area_levels.level)
    GROUP BY ALL
),
rows_of_tables AS (
    SELECT DISTINCT theme, code_id, level FROM by_group
),
by_area AS (
    SELECT
        rows_of_tables.theme,
        area_bases.grp,
        area_bases.wave_id,
        rows_of_tables.code_id,
        rows_of_tables.level,
        CASE
            WHEN rows_of_tables.level IN ('', 'mentioned') THEN coalesce(area_reach.n, 0)
            WHEN rows_of_tables.level = 'not coded' THEN area_bases.base - coalesce(area_reach.n, 0)
            WHEN rows_of_tables.level LIKE 'net: %' THEN coalesce(area_nets.n, 0)
            ELSE coalesce(area_levels.n, 0)
        END AS n,
        area_bases.base
    FROM area_bases
    CROSS JOIN rows_of_tables
    LEFT JOIN area_reach
        ON area_reach.wave_id = area_bases.wave_id
        AND area_reach.grp = area_bases.grp
        AND area_reach.code_id = rows_of_tables.code_id
    LEFT JOIN area_levels
        ON area_levels.wave_id = area_bases.wave_id
        AND area_levels.grp = area_bases.grp
        AND area_levels.code_id = rows_of_tables.code_id
        AND area_levels.level = rows_of_tables.level
    LEFT JOIN area_nets
        ON area_nets.wave_id = area_bases.wave_id
        AND area_nets.grp = area_bases.grp
        AND area_nets.code_id = rows_of_tables.code_id
        AND area_nets.level = rows_of_tables.level
),
splits AS (
    SELECT 'stakeholder_group' AS split, * FROM by_group
    UNION ALL
    SELECT 'service_area' AS split, * FROM by_area
    UNION ALL
    SELECT 'service_area' AS split, * FROM by_group WHERE grp = 'All' AND EXISTS (SELECT 1 FROM areas)
),
group_merges AS (
    SELECT split, wave_id, grp, merged_into FROM release_group_merges
),
left_out AS (
    SELECT DISTINCT split, wave_id FROM group_merges WHERE merged_into IS NULL
),
merged AS (
    SELECT
        splits.split,
        splits.theme,
        targets.merged_into AS grp,
        splits.wave_id,
        splits.code_id,
        splits.level,
        CAST(sum(splits.n) AS BIGINT) AS n,
        CAST(sum(splits.base) AS BIGINT) AS base
    FROM splits
    JOIN group_merges AS targets
        ON targets.split = splits.split AND targets.wave_id = splits.wave_id AND targets.grp = splits.grp
    WHERE targets.merged_into IS NOT NULL
    GROUP BY ALL
),
-- an 'Other ...' group in every wave, like every other group: base 0 where nothing was merged
other_rows AS (
    SELECT DISTINCT split, theme, grp, code_id, level FROM merged
),
others AS (
    SELECT
        other_rows.split,
        other_rows.theme,
        other_rows.grp,
        waves.wave_id,
        other_rows.code_id,
        other_rows.level,
        merged.n,
        coalesce(merged.base, 0) AS base
    FROM other_rows
    CROSS JOIN waves
    LEFT JOIN merged
        ON merged.split = other_rows.split
        AND merged.grp = other_rows.grp
        AND merged.wave_id = waves.wave_id
        AND merged.code_id = other_rows.code_id
        AND merged.level = other_rows.level
),
published AS (
    SELECT
        splits.split,
        splits.theme,
        splits.grp,
        splits.wave_id,
        splits.code_id,
        splits.level,
        CASE
            WHEN splits.base >= $min_group AND (splits.grp = 'All' OR left_out.split IS NULL) THEN splits.n
        END AS n,
        splits.base,
        FALSE AS is_other
    FROM splits
    LEFT JOIN left_out ON left_out.split = splits.split AND left_out.wave_id = splits.wave_id
    UNION ALL
    SELECT split, theme, grp, wave_id, code_id, level, n, base, TRUE AS is_other FROM others
),
group_orders AS (
    SELECT
        split,
        grp,
        row_number() OVER (PARTITION BY split ORDER BY grp <> 'All', is_other, grp = 'not stated', grp) AS group_order
    FROM (SELECT DISTINCT split, grp, is_other FROM published)
),
final AS (
    SELECT
        CASE
            WHEN published.theme IN ('awareness', 'confidence') THEN published.theme
            WHEN published.theme = 'risk' THEN 'risk_mentions'
            ELSE 'theme_' || trim(regexp_replace(published.theme, '[^a-z0-9]+', '_', 'g'), '_')
        END AS table_name,
        published.split,
        published.grp AS stakeholder_group,
        published.wave_id,
        codes.theme,
        published.code_id,
        codes.code_label,
        codes.kind,
        published.level,
        coalesce(nets.members, codes.members) AS members,
        published.n,
        published.base,
        staging.pct(published.n, published.base) AS pct,
        waves.wave_order,
        group_orders.group_order,
        codes.code_order,
        CASE WHEN nets.level IS NOT NULL THEN 0 ELSE levels.level_order END AS level_order
    FROM published
    JOIN codes ON codes.code_id = published.code_id
    JOIN waves ON waves.wave_id = published.wave_id
    JOIN group_orders ON group_orders.split = published.split AND group_orders.grp = published.grp
    LEFT JOIN staging.stg_code_levels AS levels
        ON levels.code_id = published.code_id AND levels.level = published.level
    LEFT JOIN nets ON nets.code_id = published.code_id AND nets.level = published.level
)
SELECT * FROM final
ORDER BY table_name, split DESC, group_order, code_order, level_order NULLS LAST, wave_order;
