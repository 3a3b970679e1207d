-- What the published-tables rules (expectations/published_tables.yml) read: facts
-- about the built tables that must hold before they are published, one row
-- per fact: a total of parts that must equal its whole (levels of a code sum to
-- the base, by stakeholder group and by service area; group and service-area
-- bases add up to the All base; categories of a dimension sum to the wave's
-- interviews), and each table's range of percentages.
CREATE OR REPLACE TABLE validation.published_facts AS
WITH level_totals AS (
    SELECT
        'levels of ' || code_id || ' sum to the base' AS fact,
        'code_levels' AS table_name,
        wave_id,
        stakeholder_group AS part_of,
        sum(n) AS parts_total,
        any_value(base) AS whole
    FROM marts.code_levels
    WHERE kind = 'level'
    GROUP BY wave_id, stakeholder_group, code_id
),
area_level_totals AS (
    SELECT
        'levels of ' || code_id || ' sum to the base' AS fact,
        'service_area_levels' AS table_name,
        wave_id,
        service_area AS part_of,
        sum(n) AS parts_total,
        any_value(base) AS whole
    FROM marts.service_area_levels
    WHERE level <> 'mentioned'
    GROUP BY wave_id, service_area, code_id
),
area_totals AS (
    SELECT
        'service area bases add up to the All base' AS fact,
        'service_area_levels' AS table_name,
        areas.wave_id,
        'All' AS part_of,
        sum(areas.base) AS parts_total,
        any_value(wave_bases.base) AS whole
    FROM (SELECT DISTINCT wave_id, service_area, base FROM marts.service_area_levels) AS areas
    JOIN (SELECT DISTINCT wave_id, base FROM marts.code_levels WHERE stakeholder_group = 'All') AS wave_bases
        ON wave_bases.wave_id = areas.wave_id
    GROUP BY areas.wave_id
),
group_bases AS (
    SELECT wave_id, stakeholder_group, any_value(base) AS base
    FROM marts.code_levels
    GROUP BY wave_id, stakeholder_group
),
group_totals AS (
    SELECT
        'stakeholder group bases add up to the All base' AS fact,
        'code_levels' AS table_name,
        wave_id,
        'All' AS part_of,
        sum(base) FILTER (WHERE stakeholder_group <> 'All') AS parts_total,
        any_value(base) FILTER (WHERE stakeholder_group = 'All') AS whole
    FROM group_bases
    GROUP BY wave_id
),
category_totals AS (
    SELECT
        'categories of ' || dimension || ' sum to the interviews in the wave' AS fact,
        'stakeholder_mix' AS table_name,
        wave_id,
        dimension AS part_of,
        sum(n) AS parts_total,
        any_value(base) AS whole
    FROM marts.stakeholder_mix
    GROUP BY wave_id, dimension
),
percentages AS (
    SELECT 'percentages lie between 0 and 100' AS fact, table_name, min(pct) AS min_pct, max(pct) AS max_pct
    FROM (
        SELECT 'stakeholder_mix' AS table_name, pct FROM marts.stakeholder_mix
        UNION ALL SELECT 'awareness', pct FROM marts.awareness
        UNION ALL SELECT 'confidence', pct FROM marts.confidence
        UNION ALL SELECT 'risk_mentions', pct FROM marts.risk_mentions
        UNION ALL SELECT 'service_area_levels', pct FROM marts.service_area_levels
    )
    GROUP BY table_name
),
final AS (
    SELECT * FROM level_totals
    UNION ALL BY NAME SELECT * FROM area_level_totals
    UNION ALL BY NAME SELECT * FROM area_totals
    UNION ALL BY NAME SELECT * FROM group_totals
    UNION ALL BY NAME SELECT * FROM category_totals
    UNION ALL BY NAME SELECT * FROM percentages
)
SELECT
    table_name AS source_file,
    row_number() OVER (ORDER BY table_name, fact, wave_id, part_of) AS source_row,
    fact AS given_fact,
    coalesce(wave_id || ' ', '') || coalesce(part_of, '') AS given_where,
    parts_total,
    whole,
    CAST(min_pct AS DOUBLE) AS min_pct,
    CAST(max_pct AS DOUBLE) AS max_pct
FROM final;
