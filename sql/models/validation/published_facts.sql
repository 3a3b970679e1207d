-- What the published-tables rules (expectations/published_tables.yml) read: facts
-- about the built tables that must hold before they are published, one row
-- per fact: a total of parts that must equal its whole (levels of a code sum to
-- the base, by stakeholder group and by service area, in marts.split_counts
-- too; group and service-area bases add up to the All base, in each split of
-- marts.split_counts too; categories of a dimension sum to the wave's
-- interviews, which marts.waves counts), and each table's range of percentages.
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
split_level_totals AS (
    SELECT
        'levels of ' || counts.code_id || ' sum to the base' AS fact,
        'split_counts' AS table_name,
        counts.wave_id,
        counts.split || ' ' || counts.category AS part_of,
        sum(counts.n) AS parts_total,
        any_value(counts.base) AS whole
    FROM marts.split_counts AS counts
    JOIN marts.codebook AS codes ON codes.code_id = counts.code_id
    WHERE codes.kind = 'level' AND codes.theme <> 'risk' AND counts.level NOT LIKE 'net: %'
    GROUP BY counts.wave_id, counts.split, counts.category, counts.code_id
),
split_bases AS (
    SELECT DISTINCT wave_id, split, category, base FROM marts.split_counts
),
split_totals AS (
    SELECT
        'the groups of the ' || split || ' split add up to the All base' AS fact,
        'split_counts' AS table_name,
        wave_id,
        'All' AS part_of,
        sum(base) FILTER (WHERE category <> 'All') AS parts_total,
        any_value(base) FILTER (WHERE category = 'All') AS whole
    FROM split_bases
    GROUP BY wave_id, split
),
wave_totals AS (
    SELECT
        'the wave''s interviews are its base in the stakeholder mix' AS fact,
        'waves' AS table_name,
        waves.wave_id,
        'All' AS part_of,
        any_value(waves.interviews) AS parts_total,
        any_value(mix.base) AS whole
    FROM marts.waves AS waves
    JOIN marts.stakeholder_mix AS mix ON mix.wave_id = waves.wave_id
    GROUP BY waves.wave_id
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
        UNION ALL SELECT 'split_counts', pct FROM marts.split_counts
    )
    GROUP BY table_name
),
final AS (
    SELECT * FROM level_totals
    UNION ALL BY NAME SELECT * FROM area_level_totals
    UNION ALL BY NAME SELECT * FROM area_totals
    UNION ALL BY NAME SELECT * FROM group_totals
    UNION ALL BY NAME SELECT * FROM split_level_totals
    UNION ALL BY NAME SELECT * FROM split_totals
    UNION ALL BY NAME SELECT * FROM wave_totals
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
