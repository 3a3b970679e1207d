-- One row per row of waves.csv, plus one per wave folder that waves.csv does not
-- declare: the checks the waves suite (expectations/waves.json) asserts.
-- given_* hold the values as given, for messages. A check is NULL where it does
-- not apply (e.g. a date check on an empty cell), and expectations skip NULLs.
CREATE OR REPLACE TABLE validation.chk_waves AS
WITH declared AS (
    SELECT
        source_file,
        source_row,
        staging.clean_text(wave_id) AS wave_id,
        wave_id AS given_wave_id,
        label AS given_label,
        fieldwork_start AS given_fieldwork_start,
        fieldwork_end AS given_fieldwork_end,
        planned_interviews AS given_planned_interviews,
        staging.parse_date(fieldwork_start) AS fieldwork_start,
        staging.parse_date(fieldwork_end) AS fieldwork_end
    FROM raw.waves
),
lookalikes AS (
    SELECT source_file, source_row, resembles FROM validation.identifiers
    WHERE kind = 'wave_id' AND resembles IS NOT NULL
),
interview_counts AS (
    SELECT wave_id, count(*) AS interviews FROM staging.stg_interviews GROUP BY wave_id
),
checked AS (
    SELECT
        declared.source_file,
        declared.source_row,
        declared.given_wave_id,
        declared.given_label,
        declared.given_fieldwork_start,
        declared.given_fieldwork_end,
        declared.given_planned_interviews,
        declared.wave_id IS NOT NULL AS wave_id_given,
        CASE WHEN declared.wave_id IS NOT NULL
            THEN len(staging.invisible_characters(declared.wave_id)) = 0 END AS wave_id_visible,
        CASE WHEN declared.wave_id IS NOT NULL THEN lookalikes.resembles IS NULL END AS wave_id_unlike_others,
        declared.wave_id || ' looks like ' || lookalikes.resembles AS given_wave_id_lookalike,
        staging.clean_text(declared.given_label) IS NOT NULL AS label_given,
        staging.clean_text(declared.given_fieldwork_start) IS NOT NULL AS fieldwork_start_given,
        staging.clean_text(declared.given_fieldwork_end) IS NOT NULL AS fieldwork_end_given,
        CASE WHEN staging.clean_text(declared.given_fieldwork_start) IS NOT NULL
            THEN declared.fieldwork_start IS NOT NULL END AS fieldwork_start_is_date,
        CASE WHEN staging.clean_text(declared.given_fieldwork_end) IS NOT NULL
            THEN declared.fieldwork_end IS NOT NULL END AS fieldwork_end_is_date,
        declared.fieldwork_end >= declared.fieldwork_start AS fieldwork_in_order,
        CASE WHEN staging.clean_text(declared.given_planned_interviews) IS NOT NULL
            THEN staging.whole_number(declared.given_planned_interviews) IS NOT NULL END AS planned_is_whole_number,
        CASE WHEN declared.wave_id IS NOT NULL
            THEN count(*) OVER (PARTITION BY declared.wave_id) = 1 END AS wave_id_unique,
        TRUE AS declared_in_waves_file,
        CASE WHEN declared.wave_id IS NOT NULL
            THEN declared.wave_id IN (SELECT wave_id FROM raw.wave_folders) END AS has_folder,
        CASE WHEN declared.wave_id IN (SELECT wave_id FROM raw.wave_folders)
            THEN coalesce(interview_counts.interviews, 0) END AS interviews,
        staging.whole_number(declared.given_planned_interviews) AS planned_interviews
    FROM declared
    LEFT JOIN interview_counts ON interview_counts.wave_id = declared.wave_id
    LEFT JOIN lookalikes ON lookalikes.source_file = declared.source_file AND lookalikes.source_row = declared.source_row
),
undeclared_folders AS (
    SELECT
        folders.wave_id || '/' AS source_file,
        CAST(NULL AS BIGINT) AS source_row,
        folders.wave_id AS given_wave_id,
        FALSE AS declared_in_waves_file,
        len(staging.invisible_characters(folders.wave_id)) = 0 AS wave_id_visible,
        lookalikes.resembles IS NULL AS wave_id_unlike_others,
        folders.wave_id || ' looks like ' || lookalikes.resembles AS given_wave_id_lookalike
    FROM raw.wave_folders AS folders
    LEFT JOIN lookalikes ON lookalikes.source_file = folders.wave_id || '/' AND lookalikes.source_row IS NULL
    WHERE folders.wave_id NOT IN (SELECT wave_id FROM declared WHERE wave_id IS NOT NULL)
),
final AS (
    SELECT *, staging.naming_invisible(given_wave_id) AS given_wave_id_invisible
    FROM (SELECT * FROM checked UNION ALL BY NAME SELECT * FROM undeclared_folders)
)
SELECT * FROM final;
