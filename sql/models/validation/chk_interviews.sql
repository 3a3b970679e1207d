-- One row per interview row of every wave: the checks the interviews suite asserts.
CREATE OR REPLACE TABLE validation.chk_interviews AS
WITH source AS (
    SELECT
        raw.source_file,
        raw.source_row,
        raw.folder_wave_id,
        raw.interview_id AS given_interview_id,
        raw.interview_date AS given_interview_date,
        raw.stakeholder_group AS given_stakeholder_group,
        raw.organisation_type AS given_organisation_type,
        raw.organisation AS given_organisation,
        raw.mode AS given_mode,
        raw.duration_minutes AS given_duration_minutes,
        raw.wave_id AS given_wave_id,
        staging.clean_text(raw.interview_id) AS interview_id,
        staging.parse_date(raw.interview_date) AS interview_date,
        staging.clean_text(raw.duration_minutes) AS duration_text,
        length(concat_ws('', *COLUMNS(lambda c: c IN ('interview_id', 'interview_date', 'stakeholder_group', 'organisation_type',
            'organisation', 'mode', 'duration_minutes', 'service_area', 'wave_id')))) AS row_length
    FROM raw.interviews AS raw
),
waves AS (
    SELECT wave_id, fieldwork_start, fieldwork_end FROM staging.stg_waves
),
lookalikes AS (
    SELECT source_file, source_row, resembles FROM validation.identifiers
    WHERE kind = 'interview_id' AND resembles IS NOT NULL
),
final AS (
    SELECT
        source.source_file,
        source.source_row,
        source.given_interview_id,
        source.given_interview_date,
        source.given_stakeholder_group,
        source.given_organisation_type,
        source.given_organisation,
        source.given_mode,
        source.given_duration_minutes,
        source.given_wave_id,
        staging.naming_invisible(source.given_interview_id) AS given_interview_id_invisible,
        source.interview_id || ' looks like ' || lookalikes.resembles AS given_interview_id_lookalike,
        source.interview_id IS NOT NULL AS interview_id_given,
        CASE WHEN source.interview_id IS NOT NULL
            THEN len(staging.invisible_characters(source.interview_id)) = 0 END AS interview_id_visible,
        CASE WHEN source.interview_id IS NOT NULL THEN lookalikes.resembles IS NULL END AS interview_id_unlike_others,
        staging.clean_text(source.given_interview_date) IS NOT NULL AS interview_date_given,
        staging.clean_text(source.given_stakeholder_group) IS NOT NULL AS stakeholder_group_given,
        staging.clean_text(source.given_organisation_type) IS NOT NULL AS organisation_type_given,
        staging.clean_text(source.given_organisation) IS NOT NULL AS organisation_given,
        staging.clean_text(source.given_mode) IS NOT NULL AS mode_given,
        source.duration_text IS NOT NULL AS duration_minutes_given,
        CASE WHEN staging.clean_text(source.given_interview_date) IS NOT NULL
            THEN source.interview_date IS NOT NULL END AS interview_date_is_date,
        source.interview_date BETWEEN waves.fieldwork_start AND waves.fieldwork_end AS in_fieldwork,
        CASE WHEN source.duration_text IS NOT NULL
            THEN try_cast(source.duration_text AS DOUBLE) IS NOT NULL END AS duration_is_number,
        try_cast(source.duration_text AS DOUBLE) AS duration_minutes,
        CASE WHEN source.interview_id IS NOT NULL
            THEN count(*) OVER (PARTITION BY source.interview_id) = 1 END AS interview_id_unique,
        CASE WHEN staging.clean_text(source.given_wave_id) IS NOT NULL
            THEN staging.clean_text(source.given_wave_id) = source.folder_wave_id END AS wave_id_matches_folder,
        staging.clean_text(source.given_stakeholder_group) AS stakeholder_group,
        coalesce(source.row_length, 0) AS row_length,
        format('{:,} characters', coalesce(source.row_length, 0)) AS given_row_length
    FROM source
    LEFT JOIN waves ON waves.wave_id = source.folder_wave_id
    LEFT JOIN lookalikes USING (source_file, source_row)
)
SELECT * FROM final;
