-- Each interview: its required fields, a date inside its wave's fieldwork, a
-- plausible duration, an interview_id unique across the study, and (where the
-- file has a wave_id column) the wave of its folder.
WITH waves AS (
    SELECT wave_id, fieldwork_start, fieldwork_end FROM staging.stg_waves
)
SELECT source_file, source_row, column_name, value, 'a value is required' AS rule
FROM (
    UNPIVOT (
        SELECT source_file, source_row, interview_id, interview_date, stakeholder_group, organisation_type,
            organisation, mode, duration_minutes
        FROM raw.interviews
    )
    ON interview_id, interview_date, stakeholder_group, organisation_type, organisation, mode, duration_minutes
    INTO NAME column_name VALUE value
) AS cells
WHERE staging.clean_text(value) IS NULL
UNION ALL
SELECT source_file, source_row, 'interview_date', interview_date, 'not a date: write it as 2013-10-08 or 08/10/2013'
FROM raw.interviews
WHERE staging.clean_text(interview_date) IS NOT NULL AND staging.parse_date(interview_date) IS NULL
UNION ALL
SELECT raw.source_file, raw.source_row, 'interview_date', raw.interview_date,
    'the date is outside the wave''s fieldwork (' || strftime(waves.fieldwork_start, '%Y-%m-%d') || ' to '
        || strftime(waves.fieldwork_end, '%Y-%m-%d') || ')'
FROM raw.interviews AS raw
JOIN waves ON waves.wave_id = raw.folder_wave_id
WHERE staging.parse_date(raw.interview_date) NOT BETWEEN waves.fieldwork_start AND waves.fieldwork_end
UNION ALL
SELECT source_file, source_row, 'duration_minutes', duration_minutes, 'not a number of minutes between 1 and 600'
FROM raw.interviews
WHERE staging.clean_text(duration_minutes) IS NOT NULL
    AND coalesce(try_cast(staging.clean_text(duration_minutes) AS DOUBLE) NOT BETWEEN 1 AND 600, true)
UNION ALL
SELECT source_file, source_row, 'interview_id', interview_id, 'the interview_id is used more than once in the study'
FROM raw.interviews
WHERE staging.clean_text(interview_id) IS NOT NULL
QUALIFY count(*) OVER (PARTITION BY staging.clean_text(interview_id)) > 1
UNION ALL
SELECT source_file, source_row, 'wave_id', wave_id, 'the wave_id differs from the wave folder ' || folder_wave_id
FROM raw.interviews
WHERE staging.clean_text(wave_id) IS NOT NULL AND staging.clean_text(wave_id) <> folder_wave_id;
