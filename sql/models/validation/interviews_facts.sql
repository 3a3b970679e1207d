-- What the interviews rules (expectations/interviews.yml) read: one row per
-- interview row of every wave, its values typed by staging.stg_interviews; *_text
-- is a cell as given, trimmed (NULL when empty), so a rule can tell an empty cell
-- from one that does not parse. wave_id is the file's own wave_id column (if it has
-- one), folder_wave_id the wave folder the file is in, fieldwork_* that wave's dates;
-- for a wave coded in a tool, whether its exports hold the interview's document.
-- given_* hold the values as given, for messages.
CREATE OR REPLACE TABLE validation.interviews_facts AS
WITH given AS (
    SELECT
        source_file,
        source_row,
        folder_wave_id,
        COLUMNS('^(interview_id|interview_date|stakeholder_group|organisation_type|organisation|mode|duration_minutes'
            || '|wave_id|coded)$') AS 'given_\1',
        lower(staging.clean_text(coded)) AS coded_text,
        coalesce(staging.clean_text(document), staging.clean_text(interview_id)) AS document_name,
        staging.clean_text(wave_id) AS wave_id,
        staging.clean_text(interview_date) AS interview_date_text,
        staging.clean_text(duration_minutes) AS duration_text,
        coalesce(length(concat_ws('', *COLUMNS(lambda c: c IN ('interview_id', 'interview_date', 'stakeholder_group',
            'organisation_type', 'organisation', 'mode', 'duration_minutes', 'service_area', 'wave_id', 'document',
            'coded')))), 0)
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
-- how many rows of the study list each interview id, and each document
id_listings AS (
    SELECT interview_id, count(*) AS interview_id_listings FROM source GROUP BY ALL
),
document_listings AS (
    SELECT document_name, count(*) AS document_listings FROM source GROUP BY ALL
),
response_waves AS (
    SELECT DISTINCT folder_wave_id FROM raw.responses
),
-- the documents of each wave's coding tools' exports (none for a wave coded in responses files), and
-- those of the project-wide export (folder_wave_id empty), which codes every wave without a responses file
documents AS (
    SELECT DISTINCT folder_wave_id, trim(document) AS document FROM raw.documents
),
project AS (
    SELECT DISTINCT document FROM documents WHERE folder_wave_id IS NULL
),
tool_waves AS (
    SELECT DISTINCT folder_wave_id FROM documents WHERE folder_wave_id IS NOT NULL
    UNION
    SELECT DISTINCT folder_wave_id FROM raw.interviews
    WHERE EXISTS (SELECT 1 FROM project)
        AND folder_wave_id NOT IN (SELECT folder_wave_id FROM response_waves)
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
        id_listings.interview_id_listings,
        lookalikes.resembles,
        waves.fieldwork_start,
        waves.fieldwork_end,
        tool_waves.folder_wave_id IS NOT NULL AS wave_coded_in_tool,
        documents.document IS NOT NULL OR project.document IS NOT NULL AS has_document,
        EXISTS (SELECT 1 FROM project) AS project_export,
        project.document IS NOT NULL
            AND source.folder_wave_id IN (SELECT folder_wave_id FROM response_waves) AS coded_twice,
        document_listings.document_listings
    FROM source
    LEFT JOIN staging.stg_waves AS waves ON waves.wave_id = source.folder_wave_id
    LEFT JOIN lookalikes ON lookalikes.source_file = source.source_file AND lookalikes.source_row = source.source_row
    LEFT JOIN tool_waves ON tool_waves.folder_wave_id = source.folder_wave_id
    LEFT JOIN documents ON documents.folder_wave_id = source.folder_wave_id AND documents.document = source.document_name
    LEFT JOIN project ON project.document = source.document_name
    LEFT JOIN id_listings ON id_listings.interview_id IS NOT DISTINCT FROM source.interview_id
    LEFT JOIN document_listings ON document_listings.document_name IS NOT DISTINCT FROM source.document_name
)
SELECT * FROM final;
