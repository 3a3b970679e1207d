-- What the waves rules (expectations/waves.yml) read: one row per row of waves.csv,
-- plus one per wave folder that waves.csv does not declare (declared = false, and
-- only the wave_id known). The values come typed from staging.stg_waves; *_text is
-- a cell as given, trimmed (NULL when empty), so a rule can tell an empty cell from
-- one that does not parse. given_* hold the values as given, for messages.
CREATE OR REPLACE TABLE validation.waves_facts AS
WITH lookalikes AS (
    SELECT source_file, source_row, resembles FROM validation.identifiers
    WHERE kind = 'wave_id' AND resembles IS NOT NULL
),
interview_counts AS (
    SELECT wave_id, count(*) AS interviews FROM staging.stg_interviews GROUP BY wave_id
),
declared AS (
    SELECT
        raw.source_file,
        raw.source_row,
        raw.wave_id AS given_wave_id,
        raw.label AS given_label,
        raw.fieldwork_start AS given_fieldwork_start,
        raw.fieldwork_end AS given_fieldwork_end,
        raw.planned_interviews AS given_planned_interviews,
        waves.wave_id || ' looks like ' || lookalikes.resembles AS given_wave_id_lookalike,
        TRUE AS declared,
        waves.wave_id,
        count(*) OVER (PARTITION BY waves.wave_id) AS wave_id_listings,
        count(*) OVER (PARTITION BY lower(waves.label)) AS label_listings,
        lookalikes.resembles,
        waves.label,
        staging.clean_text(raw.fieldwork_start) AS fieldwork_start_text,
        waves.fieldwork_start,
        staging.clean_text(raw.fieldwork_end) AS fieldwork_end_text,
        waves.fieldwork_end,
        staging.clean_text(raw.planned_interviews) AS planned_interviews_text,
        waves.planned_interviews,
        waves.wave_id IN (SELECT wave_id FROM raw.wave_folders) AS has_folder,
        CASE WHEN waves.wave_id IN (SELECT wave_id FROM raw.wave_folders)
            THEN coalesce(interview_counts.interviews, 0) END AS interviews
    FROM raw.waves AS raw
    JOIN staging.stg_waves AS waves USING (source_file, source_row)
    LEFT JOIN interview_counts ON interview_counts.wave_id = waves.wave_id
    LEFT JOIN lookalikes USING (source_file, source_row)
),
undeclared_folders AS (
    SELECT
        folders.wave_id || '/' AS source_file,
        CAST(NULL AS BIGINT) AS source_row,
        folders.wave_id AS given_wave_id,
        folders.wave_id || ' looks like ' || lookalikes.resembles AS given_wave_id_lookalike,
        FALSE AS declared,
        folders.wave_id,
        lookalikes.resembles
    FROM raw.wave_folders AS folders
    LEFT JOIN lookalikes ON lookalikes.source_file = folders.wave_id || '/' AND lookalikes.source_row IS NULL
    WHERE folders.wave_id NOT IN (SELECT wave_id FROM declared WHERE wave_id IS NOT NULL)
),
final AS (
    SELECT *, staging.naming_invisible(given_wave_id) AS given_wave_id_invisible
    FROM (SELECT * FROM declared UNION ALL BY NAME SELECT * FROM undeclared_folders)
)
SELECT * FROM final;
