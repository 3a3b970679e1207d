-- What the interviews rules (expectations/interviews.yml) read: one row per
-- interview row of every wave, its values typed by staging.stg_interviews; *_text
-- is a cell as given, trimmed (NULL when empty), so a rule can tell an empty cell
-- from one that does not parse. wave_id is the file's own wave_id column (if it has
-- one), folder_wave_id the wave folder the file is in, fieldwork_* that wave's dates.
-- given_* hold the values as given, for messages.
CREATE OR REPLACE TABLE validation.interviews_facts AS
WITH given AS (
    SELECT
        source_file,
        source_row,
        folder_wave_id,
        COLUMNS('^(interview_id|interview_date|stakeholder_group|organisation_type|organisation|mode|duration_minutes'
            || '|wave_id)$') AS 'given_\1',
        staging.clean_text(wave_id) AS wave_id,
        staging.clean_text(interview_date) AS interview_date_text,
        staging.clean_text(duration_minutes) AS duration_text,
        coalesce(length(concat_ws('', *COLUMNS(lambda c: c IN ('interview_id', 'interview_date', 'stakeholder_group',
            'organisation_type', 'organisation', 'mode', 'duration_minutes', 'service_area', 'wave_id')))), 0)
            AS row_length
    FROM raw.interviews
),
source AS (
    SELECT
        given.*,
        interviews.interview_id,
        interviews.interview_date,
        interviews.stakeholder_group,
        interviews.organisation_type,
        interviews.organisation,
        interviews.mode,
        interviews.duration_minutes
    FROM given
    JOIN staging.stg_interviews AS interviews USING (source_file, source_row)
),
lookalikes AS (
    SELECT source_file, source_row, resembles FROM validation.identifiers
    WHERE kind = 'interview_id' AND resembles IS NOT NULL
),
final AS (
    SELECT
        source.*,
        staging.naming_invisible(source.given_interview_id) AS given_interview_id_invisible,
        source.interview_id || ' looks like ' || lookalikes.resembles AS given_interview_id_lookalike,
        format('{:,} characters', source.row_length) AS given_row_length,
        count(*) OVER (PARTITION BY source.interview_id) AS interview_id_listings,
        lookalikes.resembles,
        waves.fieldwork_start,
        waves.fieldwork_end
    FROM source
    LEFT JOIN staging.stg_waves AS waves ON waves.wave_id = source.folder_wave_id
    LEFT JOIN lookalikes ON lookalikes.source_file = source.source_file AND lookalikes.source_row = source.source_row
)
SELECT * FROM final;
