-- The waves as every table labels and orders them: each declared wave with its
-- label, its position in fieldwork order (1 = first), its fieldwork dates and
-- how many interviews it has (0 for a wave with none), and how many of them its
-- interviews file marks as not coded (coded = no: in the bases, with no answer).
CREATE OR REPLACE TABLE marts.waves AS
WITH waves AS (
    SELECT wave_id, label, wave_order, fieldwork_start, fieldwork_end FROM staging.stg_waves
),
interviews AS (
    SELECT wave_id, count(*) AS interviews, count(*) FILTER (WHERE NOT coded) AS not_coded
    FROM staging.stg_interviews
    GROUP BY wave_id
),
final AS (
    SELECT
        waves.wave_id,
        coalesce(waves.label, waves.wave_id) AS label,
        waves.wave_order,
        waves.fieldwork_start,
        waves.fieldwork_end,
        coalesce(interviews.interviews, 0) AS interviews,
        coalesce(interviews.not_coded, 0) AS not_coded
    FROM waves
    LEFT JOIN interviews ON interviews.wave_id = waves.wave_id
)
SELECT * FROM final ORDER BY wave_order;
