-- Each row of waves.csv: a unique wave_id, a label and a fieldwork window.
SELECT source_file, source_row, column_name, value, 'a value is required' AS rule
FROM (
    UNPIVOT (SELECT source_file, source_row, wave_id, label, fieldwork_start, fieldwork_end FROM raw.waves)
    ON wave_id, label, fieldwork_start, fieldwork_end
    INTO NAME column_name VALUE value
) AS cells
WHERE staging.clean_text(value) IS NULL
UNION ALL
SELECT source_file, source_row, column_name, value, 'not a date: write it as 2013-10-08 or 08/10/2013'
FROM (
    UNPIVOT (SELECT source_file, source_row, fieldwork_start, fieldwork_end FROM raw.waves)
    ON fieldwork_start, fieldwork_end
    INTO NAME column_name VALUE value
) AS cells
WHERE staging.clean_text(value) IS NOT NULL AND staging.parse_date(value) IS NULL
UNION ALL
SELECT source_file, source_row, 'fieldwork_end', fieldwork_end, 'fieldwork_end is before fieldwork_start'
FROM raw.waves
WHERE staging.parse_date(fieldwork_end) < staging.parse_date(fieldwork_start)
UNION ALL
SELECT source_file, source_row, 'planned_interviews', planned_interviews, 'not a whole number of interviews'
FROM raw.waves
WHERE staging.clean_text(planned_interviews) IS NOT NULL AND staging.whole_number(planned_interviews) IS NULL
UNION ALL
SELECT source_file, source_row, 'wave_id', wave_id, 'the wave_id is declared more than once'
FROM raw.waves
WHERE staging.clean_text(wave_id) IS NOT NULL
QUALIFY count(*) OVER (PARTITION BY staging.clean_text(wave_id)) > 1;
