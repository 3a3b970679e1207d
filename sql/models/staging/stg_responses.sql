-- One row per coded segment, trimmed: the responses files' rows and the exports' codings
-- (staging.int_response_rows). wave_id is the wave folder the file came from.
-- A view (dbt's default for staging models): its readers (the coded interviews,
-- the quote bank) each read it once, so writing a second copy of ten million
-- segments with their excerpts would only cost time and disk. Rows come in load
-- order (wave folder, file, row).
CREATE OR REPLACE VIEW staging.stg_responses AS
WITH source AS (
    SELECT * FROM staging.int_response_rows
),
renamed AS (
    SELECT
        folder_wave_id AS wave_id,
        staging.clean_text(interview_id) AS interview_id,
        staging.clean_text(code_id) AS code_id,
        staging.clean_text(value) AS value,
        staging.clean_text(excerpt) AS excerpt,
        source_file,
        source_row
    FROM source
),
final AS (
    SELECT * FROM renamed
)
SELECT * FROM final;
