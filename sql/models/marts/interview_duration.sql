-- How long the interviews of each wave lasted, in minutes.
CREATE OR REPLACE TABLE marts.interview_duration AS
WITH waves AS (
    SELECT wave_id, wave_order FROM staging.stg_waves
),
interviews AS (
    SELECT wave_id, duration_minutes FROM staging.stg_interviews
),
final AS (
    SELECT
        waves.wave_id,
        count(interviews.duration_minutes) AS n,
        min(interviews.duration_minutes) AS "min",
        median(interviews.duration_minutes) AS "median",
        max(interviews.duration_minutes) AS "max",
        waves.wave_order
    FROM waves
    LEFT JOIN interviews ON interviews.wave_id = waves.wave_id
    GROUP BY waves.wave_id, waves.wave_order
)
SELECT wave_id, n, "min", "median", "max" FROM final ORDER BY wave_order;
