-- For every wave, stakeholder group (and 'All') and code of the codebook: how
-- many interviews were coded with it at least once (n_coded) out of the base.
CREATE OR REPLACE TABLE staging.int_code_reach AS
WITH wave_groups AS (
    SELECT * FROM staging.int_wave_groups
),
codes AS (
    SELECT code_id, theme, label, kind, code_order FROM staging.stg_codebook
),
-- per group, then 'All' counted on its own (not joined twice over int_interview_groups)
groups AS (
    SELECT DISTINCT wave_id, interview_id, stakeholder_group FROM staging.stg_interviews
),
-- each interview once per code, whatever its levels: the counts below are then
-- plain counts (two count(DISTINCT) passes over every level took twice as long)
coded AS (
    SELECT DISTINCT wave_id, interview_id, code_id FROM staging.int_coded_interviews
),
reached AS (
    SELECT groups.wave_id, groups.stakeholder_group, coded.code_id, count(*) AS n_coded
    FROM coded
    JOIN groups ON groups.wave_id = coded.wave_id AND groups.interview_id = coded.interview_id
    GROUP BY ALL
    UNION ALL
    SELECT coded.wave_id, 'All', coded.code_id, count(*)
    FROM coded
    SEMI JOIN groups ON groups.wave_id = coded.wave_id AND groups.interview_id = coded.interview_id
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
