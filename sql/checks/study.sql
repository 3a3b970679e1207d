-- How the waves, their folders and their interviews fit together.
WITH declared AS (
    SELECT * FROM staging.stg_waves WHERE wave_id IS NOT NULL
),
interview_counts AS (
    SELECT wave_id, count(*) AS interviews FROM staging.stg_interviews GROUP BY wave_id
)
SELECT
    folders.wave_id || '/' AS source_file,
    NULL AS source_row,
    NULL AS column_name,
    folders.wave_id AS value,
    'this wave folder is not declared in waves.csv: add a row for it or move the folder out of the study' AS rule
FROM raw.wave_folders AS folders
ANTI JOIN declared ON declared.wave_id = folders.wave_id
UNION ALL
SELECT
    declared.source_file, declared.source_row, 'wave_id', declared.wave_id,
    'there is no folder for this wave: create a folder named after the wave_id holding its interviews and responses'
FROM declared
ANTI JOIN raw.wave_folders AS folders ON folders.wave_id = declared.wave_id
UNION ALL
SELECT
    declared.source_file, declared.source_row, 'wave_id', declared.wave_id,
    'the wave has no interviews: its interviews file holds no rows'
FROM declared
SEMI JOIN raw.wave_folders AS folders ON folders.wave_id = declared.wave_id
LEFT JOIN interview_counts ON interview_counts.wave_id = declared.wave_id
WHERE coalesce(interview_counts.interviews, 0) = 0
UNION ALL
SELECT
    declared.source_file, declared.source_row, 'planned_interviews', CAST(declared.planned_interviews AS VARCHAR),
    'the wave has ' || interview_counts.interviews || ' interviews but planned_interviews says '
        || declared.planned_interviews
FROM declared
JOIN interview_counts ON interview_counts.wave_id = declared.wave_id
WHERE declared.planned_interviews IS NOT NULL AND declared.planned_interviews <> interview_counts.interviews;
