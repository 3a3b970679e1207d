-- The groups of each split and wave too small to publish answers for (fewer
-- than $min_group interviews, docs/threat-model.md) and what becomes of them:
-- merged into the split's 'Other ...' group when those of the wave together
-- reach $min_group, otherwise (merged_into NULL) the split is left out for that
-- wave, since the other groups' answers and All's would give the small one's.
-- A temporary table: code_counts.sql and the tables' notes both read it.
CREATE OR REPLACE TEMP TABLE release_group_merges AS
WITH interviews AS (
    SELECT wave_id, stakeholder_group, coalesce(service_area, 'not stated') AS service_area
    FROM staging.stg_interviews
),
groups AS (
    SELECT 'stakeholder_group' AS split, wave_id, stakeholder_group AS grp, count(*) AS base
    FROM interviews
    GROUP BY ALL
    UNION ALL
    SELECT 'service_area' AS split, wave_id, service_area AS grp, count(*) AS base
    FROM interviews
    WHERE (SELECT count(service_area) FROM staging.stg_interviews) > 0
    GROUP BY ALL
),
small AS (
    SELECT split, wave_id, grp, base FROM groups WHERE base < $min_group
),
others AS (
    SELECT split, wave_id, sum(base) AS other_base FROM small GROUP BY ALL
),
final AS (
    SELECT
        small.split,
        small.wave_id,
        small.grp,
        small.base,
        CASE WHEN others.other_base >= $min_group THEN
            CASE small.split WHEN 'stakeholder_group' THEN 'Other stakeholder groups' ELSE 'Other service areas' END
        END AS merged_into
    FROM small
    JOIN others ON others.split = small.split AND others.wave_id = small.wave_id
)
SELECT * FROM final;
