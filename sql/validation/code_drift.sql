-- The codes of coding tools' exports coded in some of the waves coded in a tool and
-- not in others, with the waves they are coded in: a code renamed, split or merged
-- between waves shows here first (printed by `wavecompare run` and `validate`).
WITH coded AS (
    SELECT DISTINCT source_code, folder_wave_id
    FROM staging.int_coding_rows
    WHERE source_code IS NOT NULL AND folder_wave_id IS NOT NULL
),
tool_waves AS (
    SELECT count(DISTINCT folder_wave_id) AS waves FROM coded
)
SELECT coded.source_code, list(coded.folder_wave_id ORDER BY coded.folder_wave_id) AS coded_in
FROM coded, tool_waves
GROUP BY coded.source_code, tool_waves.waves
HAVING count(*) < tool_waves.waves
ORDER BY coded.source_code;
