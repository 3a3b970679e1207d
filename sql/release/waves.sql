-- The waves as the release tables label them: wave_id, its label and its
-- position in fieldwork order (1 = first).
WITH source AS (
    SELECT wave_id, label, wave_order FROM staging.stg_waves
),
final AS (
    SELECT wave_id, coalesce(label, wave_id) AS label, wave_order FROM source
)
SELECT * FROM final ORDER BY wave_order;
