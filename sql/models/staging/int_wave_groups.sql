-- Every wave crossed with every stakeholder group seen in any wave (plus 'All'),
-- with its base: the number of interviews in that wave and group (0 if none),
-- so that waves line up side by side.
CREATE OR REPLACE TABLE staging.int_wave_groups AS
WITH waves AS (
    SELECT wave_id, wave_order FROM staging.stg_waves
),
groups AS (
    SELECT
        stakeholder_group,
        dense_rank() OVER (ORDER BY stakeholder_group <> 'All', stakeholder_group) AS group_order
    FROM (SELECT DISTINCT stakeholder_group FROM staging.int_interview_groups)
),
bases AS (
    SELECT wave_id, stakeholder_group, count(*) AS base
    FROM staging.int_interview_groups
    GROUP BY wave_id, stakeholder_group
),
final AS (
    SELECT
        waves.wave_id,
        groups.stakeholder_group,
        coalesce(bases.base, 0) AS base,
        waves.wave_order,
        groups.group_order
    FROM waves
    CROSS JOIN groups
    LEFT JOIN bases
        ON bases.wave_id = waves.wave_id AND bases.stakeholder_group = groups.stakeholder_group
)
SELECT * FROM final ORDER BY wave_order, group_order;
