-- One row per wave declared in waves.csv, typed. wave_order follows fieldwork_start.
CREATE OR REPLACE TABLE staging.stg_waves AS
WITH source AS (
    SELECT * FROM raw.waves
),
renamed AS (
    SELECT
        staging.clean_text(wave_id) AS wave_id,
        staging.clean_text(label) AS label,
        staging.parse_date(fieldwork_start) AS fieldwork_start,
        staging.parse_date(fieldwork_end) AS fieldwork_end,
        staging.whole_number(planned_interviews) AS planned_interviews,
        source_file,
        source_row
    FROM source
),
final AS (
    SELECT
        *,
        row_number() OVER (ORDER BY fieldwork_start, wave_id) AS wave_order
    FROM renamed
)
SELECT * FROM final ORDER BY wave_order;
