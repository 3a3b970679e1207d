-- Long-format counts behind the release tables of coded themes. One row per
-- table (awareness, confidence, risk_mentions, theme_<theme> for every other
-- theme), split (stakeholder_group; service_area too when any interview has
-- one), group ('All' first, in both splits), wave, code and level ('' in
-- risk_mentions): n interviews out of the group's base, and pct as the marts
-- round it. Each level code with a net (marts.codebook) gets a row at
-- level 'net: <net>' (members its levels), printed first; each theme of
-- mention codes an "any mention" row (code_id 'any:<theme>', members its
-- codes), the interviews that mentioned at least one of them.
-- The counts, nets and "any mention" rows are marts.split_counts, with their
-- percentages; only the 'Other ...' groups' are computed here (marts.pct, as the
-- marts round them), since which groups they merge depends on $min_group.
-- Groups under $min_group interviews in a wave publish no answers
-- (release_group_merges, from group_merges.sql): their rows keep their base and
-- have n NULL, and they are summed into the split's 'Other ...' group, or the
-- split's answers are left out for the wave (n NULL for every group but All).
-- A wave of fewer than $min_group interviews shows no answers at all.
WITH codes AS (
    SELECT code_id, theme, label AS code_label, kind, code_order, levels, NULL AS members FROM marts.codebook
    UNION ALL
    SELECT
        'any:' || theme AS code_id,
        theme,
        'Any of the ' || theme || ' mentions below' AS code_label,
        'mention' AS kind,
        min(code_order) - 0.5 AS code_order,
        NULL AS levels,
        string_agg(code_id, '|' ORDER BY code_order) AS members
    FROM marts.codebook
    WHERE kind = 'mention'
    GROUP BY theme
),
waves AS (
    SELECT wave_id, wave_order FROM marts.waves
),
nets AS (
    SELECT code_id, 'net: ' || net AS level, array_to_string(net_levels, '|') AS members
    FROM marts.codebook
    WHERE net IS NOT NULL
),
splits AS (
    SELECT split, theme, category AS grp, wave_id, code_id, level, n, base, pct FROM marts.split_counts
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
        CASE
            WHEN splits.base >= $min_group AND (splits.grp = 'All' OR left_out.split IS NULL) THEN splits.pct
        END AS pct,
        FALSE AS is_other
    FROM splits
    LEFT JOIN left_out ON left_out.split = splits.split AND left_out.wave_id = splits.wave_id
    UNION ALL
    SELECT split, theme, grp, wave_id, code_id, level, n, base, marts.pct(n, base) AS pct, TRUE AS is_other
    FROM others
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
        published.pct,
        waves.wave_order,
        group_orders.group_order,
        codes.code_order,
        CASE
            WHEN nets.level IS NOT NULL THEN 0 ELSE CAST(list_position(codes.levels, published.level) AS BIGINT)
        END AS level_order
    FROM published
    JOIN codes ON codes.code_id = published.code_id
    JOIN waves ON waves.wave_id = published.wave_id
    JOIN group_orders ON group_orders.split = published.split AND group_orders.grp = published.grp
    LEFT JOIN nets ON nets.code_id = published.code_id AND nets.level = published.level
)
SELECT * FROM final
ORDER BY table_name, split DESC, group_order, code_order, level_order NULLS LAST, wave_order;
