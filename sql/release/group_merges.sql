-- The groups of each split and wave too small to publish answers for (fewer
-- than $min_group interviews, docs/threat-model.md) and what becomes of them:
-- merged into the split's 'Other ...' group when those of the wave together
-- reach $min_group, otherwise (merged_into NULL) the split is left out for that
-- wave, since the other groups' answers and All's would give the small one's.
-- A temporary table: code_counts.sql and the tables' notes both read it.
CREATE OR REPLACE TEMP TABLE release_group_merges AS
WITH groups AS (
    -- the interviews of each group that has any in the wave (marts.stakeholder_mix has service_area
    -- only when some interview states one)
    SELECT dimension AS split, wave_id, category AS grp, n AS base
    FROM marts.stakeholder_mix
    WHERE dimension IN ('stakeholder_group', 'service_area') AND n > 0
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
