-- Every coded segment as given, whichever way it came: the rows of the waves'
-- responses files, and the codings of coding tools' exports as mapped and placed by
-- staging.int_coding_rows.
-- A view over both: validation.responses_facts and staging.stg_responses read it.
CREATE OR REPLACE VIEW staging.int_response_rows AS
WITH responses AS (
    SELECT
        interview_id, code_id, value, excerpt, wave_id, folder_wave_id, source_file, source_row,
        NULL::VARCHAR AS source_code,
        NULL::BOOLEAN AS source_code_listed
    FROM raw.responses
),
final AS (
    SELECT * FROM responses
    UNION ALL
    SELECT * FROM staging.int_coding_rows
)
SELECT * FROM final;
