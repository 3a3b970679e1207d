-- Who was interviewed in each wave: interviews per category of each dimension,
-- out of the interviews in the wave. Every category seen in any wave appears in
-- every wave (n = 0 where absent). service_area appears only when some
-- interview has one; an interview without one counts as 'not stated'.
CREATE OR REPLACE TABLE marts.stakeholder_mix AS
WITH interviews AS (
    SELECT
        wave_id,
        stakeholder_group,
        organisation_type,
        organisation,
        mode,
        coalesce(service_area, 'not stated') AS service_area
    FROM staging.stg_interviews
),
dimensions AS (
    SELECT * FROM (VALUES
        ('stakeholder_group', 1),
        ('organisation_type', 2),
        ('organisation', 3),
        ('mode', 4),
        ('service_area', 5)
    ) AS dimensions(dimension, dimension_order)
    WHERE dimension <> 'service_area'
        OR (SELECT count(service_area) FROM staging.stg_interviews) > 0
),
long AS (
    UNPIVOT interviews
    ON stakeholder_group, organisation_type, organisation, mode, service_area
    INTO NAME dimension VALUE category
),
counts AS (
    SELECT wave_id, dimension, category, count(*) AS n
    FROM long
    GROUP BY wave_id, dimension, category
),
categories AS (
    SELECT DISTINCT dimension, category FROM long
),
bases AS (
    SELECT wave_id, count(*) AS base FROM staging.stg_interviews GROUP BY wave_id
),
final AS (
    SELECT
        waves.wave_id,
        categories.dimension,
        categories.category,
        coalesce(counts.n, 0) AS n,
        coalesce(bases.base, 0) AS base,
        waves.wave_order,
        dimensions.dimension_order
    FROM staging.stg_waves AS waves
    CROSS JOIN categories
    JOIN dimensions ON dimensions.dimension = categories.dimension
    LEFT JOIN counts
        ON counts.wave_id = waves.wave_id
        AND counts.dimension = categories.dimension
        AND counts.category = categories.category
    LEFT JOIN bases ON bases.wave_id = waves.wave_id
)
SELECT wave_id, dimension, category, n, base, staging.pct(n, base) AS pct
FROM final
ORDER BY wave_order, dimension_order, category;
