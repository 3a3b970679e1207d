-- The waves as the release tables label them: wave_id, its label, its
-- position in fieldwork order (1 = first), its fieldwork dates and how many
-- interviews it has (for the Read me's account of the study).
WITH source AS (
    SELECT wave_id, label, fieldwork_start, fieldwork_end, wave_order FROM staging.stg_waves
),
interviews AS (
    SELECT wave_id, count(*) AS interviews FROM staging.stg_interviews GROUP BY wave_id
),
final AS (
    SELECT
        source.wave_id,
        coalesce(source.label, source.wave_id) AS label,
        source.wave_order,
        source.fieldwork_start,
        source.fieldwork_end,
        coalesce(interviews.interviews, 0) AS interviews
    FROM source
    LEFT JOIN interviews ON interviews.wave_id = source.wave_id
)
SELECT * FROM final ORDER BY wave_order;
