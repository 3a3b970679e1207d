-- Every theme of the codebook, as the awareness and confidence tables show it:
-- for each wave, stakeholder group (and 'All') and code, the interviews at each
-- level of a level code plus 'not coded' (so the levels sum to the base), or the
-- interviews that mentioned a mention code. n counts interviews, not segments.
CREATE OR REPLACE TABLE marts.code_levels AS
WITH reach AS (
    SELECT * FROM staging.int_code_reach
),
levels AS (
    SELECT code_id, level, level_order FROM staging.int_code_rows
),
counts AS (
    SELECT wave_id, stakeholder_group, code_id, level, CAST(sum(n) AS BIGINT) AS n
    FROM staging.int_code_level_counts
    GROUP BY ALL
    UNION ALL
    SELECT wave_id, 'All', code_id, level, CAST(sum(n) AS BIGINT)
    FROM staging.int_code_level_counts
    GROUP BY ALL
),
final AS (
    SELECT
        reach.wave_id,
        reach.stakeholder_group,
        reach.theme,
        reach.code_id,
        levels.level,
        CASE WHEN levels.level = 'not coded' THEN reach.base - reach.n_coded ELSE coalesce(counts.n, 0) END AS n,
        reach.base,
        reach.code_label,
        reach.kind,
        reach.wave_order,
        reach.group_order,
        reach.code_order,
        levels.level_order
    FROM reach
    JOIN levels ON levels.code_id = reach.code_id
    LEFT JOIN counts
        ON counts.wave_id = reach.wave_id
        AND counts.stakeholder_group = reach.stakeholder_group
        AND counts.code_id = reach.code_id
        AND counts.level = levels.level
)
SELECT wave_id, stakeholder_group, theme, code_id, level, n, base, staging.pct(n, base) AS pct, code_label, kind
FROM final
ORDER BY wave_order, group_order, code_order, level_order;
