-- Long-format counts behind the release tables of coded themes. One row per
-- table (awareness, confidence, risk_mentions, theme_<theme> for every other
-- theme), split (stakeholder_group; service_area too when any interview has
-- one), group ('All' first, in both splits), wave, code and level ('' in
-- risk_mentions): n interviews out of the group's base, and pct as the marts
-- round it. Each level code with a net (staging.stg_code_nets) gets a row at
-- level 'net: <net>' (members its levels), printed first; each theme of
-- mention codes an "any mention" row (code_id 'any:<theme>', members its
-- codes), the interviews that mentioned at least one of them.
-- The counts are the marts as published (code_levels and risk_mentions by
-- stakeholder group, service_area_levels by service area); the nets are sums of
-- their levels, and the "any mention" rows count interviews
-- (staging.int_theme_reach).
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
-- every level (or mention) of every code, per split, group and wave: the
-- stakeholder-group split from the marts as published (code_levels, of which
-- awareness and confidence are slices, and risk_mentions, whose level is ''),
-- the service-area split from marts.service_area_levels, with All repeated
has_areas AS (
    SELECT count(*) > 0 AS yes FROM marts.service_area_levels
),
counted AS (
    SELECT 'stakeholder_group' AS split, theme, stakeholder_group AS grp, wave_id, code_id, level, n, base
    FROM marts.code_levels
    WHERE theme <> 'risk'
    UNION ALL
    SELECT 'stakeholder_group' AS split, 'risk' AS theme, stakeholder_group AS grp, wave_id, code_id, '' AS level,
        n, base
    FROM marts.risk_mentions
    UNION ALL
    SELECT 'service_area' AS split, theme, service_area AS grp, wave_id, code_id,
        CASE WHEN theme = 'risk' THEN '' ELSE level END AS level, n, base
    FROM marts.service_area_levels
),
by_split AS (
    SELECT * FROM counted
    UNION ALL
    SELECT 'service_area' AS split, theme, grp, wave_id, code_id, level, n, base
    FROM counted
    WHERE split = 'stakeholder_group' AND grp = 'All' AND (SELECT yes FROM has_areas)
),
group_bases AS (
    SELECT DISTINCT split, grp, wave_id, base FROM by_split
),
themes AS (
    SELECT DISTINCT theme FROM codes WHERE code_id LIKE 'any:%'
),
theme_counts AS (
    SELECT 'stakeholder_group' AS split, stakeholder_group AS grp, wave_id, theme, CAST(sum(n) AS BIGINT) AS n
    FROM staging.int_theme_reach
    GROUP BY ALL
    UNION ALL
    SELECT 'service_area' AS split, coalesce(service_area, 'not stated') AS grp, wave_id, theme,
        CAST(sum(n) AS BIGINT) AS n
    FROM staging.int_theme_reach
    GROUP BY ALL
    UNION ALL
    SELECT splits.split, 'All' AS grp, reach.wave_id, reach.theme, CAST(sum(reach.n) AS BIGINT) AS n
    FROM staging.int_theme_reach AS reach
    CROSS JOIN (SELECT DISTINCT split FROM group_bases) AS splits
    GROUP BY ALL
),
splits AS (
    SELECT * FROM by_split
    UNION ALL
    SELECT
        levels.split, levels.theme, levels.grp, levels.wave_id, levels.code_id, nets.level,
        CAST(sum(levels.n) AS BIGINT) AS n, levels.base
    FROM by_split AS levels
    JOIN nets ON nets.code_id = levels.code_id AND list_contains(nets.net_levels, levels.level)
    GROUP BY ALL
    UNION ALL
    SELECT
        group_bases.split,
        themes.theme,
        group_bases.grp,
        group_bases.wave_id,
        'any:' || themes.theme AS code_id,
        CASE WHEN themes.theme = 'risk' THEN '' ELSE 'mentioned' END AS level,
        coalesce(theme_counts.n, 0) AS n,
        group_bases.base
    FROM group_bases
    CROSS JOIN themes
    LEFT JOIN theme_counts
        ON theme_counts.split = group_bases.split
        AND theme_counts.grp = group_bases.grp
        AND theme_counts.wave_id = group_bases.wave_id
        AND theme_counts.theme = themes.theme
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
