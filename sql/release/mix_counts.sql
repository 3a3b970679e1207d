-- Who was interviewed, for release: marts.stakeholder_mix in long format with
-- the order the table is printed in (dimensions as in the mart, categories
-- alphabetically, 'not stated' last). The organisation dimension is included
-- only when $organisations is true, since almost every organisation is a cell
-- of one interview.
WITH source AS (
    SELECT wave_id, dimension, category, n, base, pct FROM marts.stakeholder_mix
),
waves AS (
    SELECT wave_id, wave_order FROM marts.waves
),
dimensions AS (
    SELECT dimension, list_position(['stakeholder_group', 'organisation_type', 'organisation', 'mode', 'service_area'],
        dimension) AS dimension_order
    FROM (SELECT DISTINCT dimension FROM source)
    WHERE dimension <> 'organisation' OR $organisations
),
final AS (
    SELECT
        source.wave_id,
        source.dimension,
        source.category,
        source.n,
        source.base,
        source.pct,
        waves.wave_order,
        dimensions.dimension_order,
        dense_rank() OVER (
            PARTITION BY source.dimension ORDER BY source.category = 'not stated', source.category
        ) AS category_order
    FROM source
    JOIN waves ON waves.wave_id = source.wave_id
    JOIN dimensions ON dimensions.dimension = source.dimension
)
SELECT * FROM final ORDER BY wave_order, dimension_order, category_order;
