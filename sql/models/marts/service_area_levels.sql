-- Every code of the codebook by service area, as the release's "by service
-- area" tables show it: for each wave, service area ('not stated' where an
-- interview gives none; every area seen in any wave appears in every wave) and
-- code, the interviews at each level of a level code plus 'not coded', or that
-- mentioned a mention code. Empty when no interview states a service area.
CREATE OR REPLACE TABLE marts.service_area_levels AS
WITH interviews AS (
    SELECT wave_id, interview_id, coalesce(service_area, 'not stated') AS service_area
    FROM staging.stg_interviews
    WHERE (SELECT count(service_area) FROM staging.stg_interviews) > 0
),
waves AS (
    SELECT wave_id, wave_order FROM staging.stg_waves
),
codes AS (
    SELECT code_id, theme, code_order FROM staging.stg_codebook
),
rows_of_codes AS (
    SELECT code_id, level, level_order FROM staging.int_code_rows
),
bases AS (
    SELECT waves.wave_id, areas.service_area, count(interviews.interview_id) AS base, waves.wave_order
    FROM waves
    CROSS JOIN (SELECT DISTINCT service_area FROM interviews) AS areas
    LEFT JOIN interviews ON interviews.wave_id = waves.wave_id AND interviews.service_area = areas.service_area
    GROUP BY ALL
),
counts AS (
    SELECT wave_id, coalesce(service_area, 'not stated') AS service_area, code_id, level, CAST(sum(n) AS BIGINT) AS n
    FROM staging.int_code_level_counts
    GROUP BY ALL
),
-- one level per interview and code (validation), so the levels add up to the interviews reached
reach AS (
    SELECT wave_id, service_area, code_id, CAST(sum(n) AS BIGINT) AS n_coded FROM counts GROUP BY ALL
),
final AS (
    SELECT
        bases.wave_id,
        bases.service_area,
        codes.theme,
        codes.code_id,
        rows_of_codes.level,
        CASE
            WHEN rows_of_codes.level = 'not coded' THEN bases.base - coalesce(reach.n_coded, 0)
            ELSE coalesce(counts.n, 0)
        END AS n,
        bases.base,
        bases.wave_order,
        codes.code_order,
        rows_of_codes.level_order
    FROM bases
    CROSS JOIN codes
    JOIN rows_of_codes ON rows_of_codes.code_id = codes.code_id
    LEFT JOIN reach
        ON reach.wave_id = bases.wave_id AND reach.service_area = bases.service_area AND reach.code_id = codes.code_id
    LEFT JOIN counts
        ON counts.wave_id = bases.wave_id
        AND counts.service_area = bases.service_area
        AND counts.code_id = codes.code_id
        AND counts.level = rows_of_codes.level
)
SELECT wave_id, service_area, theme, code_id, level, n, base, staging.pct(n, base) AS pct
FROM final
ORDER BY wave_order, service_area = 'not stated', service_area, code_order, level_order;
