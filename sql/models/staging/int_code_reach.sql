-- For every wave, stakeholder group (and 'All') and code of the codebook: how
-- many interviews were coded with it at least once (n_coded) out of the base.
-- In a build that failed validation with two levels of a code for one
-- interview, that interview is counted twice here.
CREATE OR REPLACE TABLE staging.int_code_reach AS
WITH wave_groups AS (
    SELECT * FROM staging.int_wave_groups
),
codes AS (
    SELECT code_id, theme, label, kind, code_order FROM staging.stg_codebook
),
-- An interview holds at most one level of a code (validation refuses two, in
-- chk_responses, and the marts are built only from a study that passed), so
-- the interviews at a code's levels add up to the interviews it reached.
level_counts AS (
    SELECT wave_id, stakeholder_group, code_id, n FROM staging.int_code_level_counts
),
reached AS (
    SELECT wave_id, stakeholder_group, code_id, CAST(sum(n) AS BIGINT) AS n_coded
    FROM level_counts
    GROUP BY ALL
    UNION ALL
    SELECT wave_id, 'All', code_id, CAST(sum(n) AS BIGINT)
    FROM level_counts
    GROUP BY ALL
),
final AS (
    SELECT
        wave_groups.wave_id,
        wave_groups.stakeholder_group,
        codes.theme,
        codes.code_id,
        codes.label AS code_label,
        codes.kind,
        coalesce(reached.n_coded, 0) AS n_coded,
        wave_groups.base,
        wave_groups.wave_order,
        wave_groups.group_order,
        codes.code_order
    FROM wave_groups
    CROSS JOIN codes
    LEFT JOIN reached
        ON reached.wave_id = wave_groups.wave_id
        AND reached.stakeholder_group = wave_groups.stakeholder_group
        AND reached.code_id = codes.code_id
)
SELECT * FROM final ORDER BY wave_order, group_order, code_order;
