-- One row per interview, typed and normalised. wave_id is the wave folder the
-- file came from; mode is mapped through staging.stg_mode_synonyms; coded is false
-- only for an interview the file marks as not coded (coded = no).
CREATE OR REPLACE TABLE staging.stg_interviews AS
WITH source AS (
    SELECT * FROM raw.interviews
),
renamed AS (
    SELECT
        folder_wave_id AS wave_id,
        staging.clean_text(interview_id) AS interview_id,
        staging.parse_date(interview_date) AS interview_date,
        staging.clean_text(stakeholder_group) AS stakeholder_group,
        staging.clean_text(organisation_type) AS organisation_type,
        staging.clean_text(organisation) AS organisation,
        staging.clean_text(mode) AS mode_as_given,
        try_cast(staging.clean_text(duration_minutes) AS DOUBLE) AS duration_minutes,
        staging.clean_text(service_area) AS service_area,
        coalesce(lower(staging.clean_text(coded)), '') <> 'no' AS coded,
        source_file,
        source_row
    FROM source
),
final AS (
    SELECT
        renamed.* EXCLUDE (source_file, source_row),
        CASE WHEN mode_as_given IS NOT NULL THEN coalesce(synonyms.mode, 'other') END AS mode,
        source_file,
        source_row
    FROM renamed
    LEFT JOIN staging.stg_mode_synonyms AS synonyms
        ON synonyms.synonym_key = staging.match_key(renamed.mode_as_given)
)
SELECT * FROM final ORDER BY wave_id, source_file, source_row;
