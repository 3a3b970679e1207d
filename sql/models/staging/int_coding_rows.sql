-- The codings of coding tools' exports (raw.codings) as coded segments: mapped to
-- the codebook through crosswalk.csv (docs/coding-tools.md) and placed in their
-- interviews. For an export's coding the interview is the one whose `document` (or,
-- without one, interview_id) is the coding's document in the export's wave, or for
-- the project-wide export (in `coding/`, no wave of its own) in any wave, which
-- becomes the coding's; and the document itself where none is (the responses rules
-- then name it); code_id and value come from the crosswalk row for the coding's wave
-- (even one with an empty code_id), else from its all-waves row. A coding whose
-- source code the crosswalk maps to no code_id on purpose is left out here (it stays
-- in raw.codings); one the crosswalk does not list keeps code_id empty and
-- source_code_listed false, which the responses rules refuse.
-- A table, built once: staging.int_response_rows (a view) is read several times a
-- build (by stg_responses and twice by responses_facts), and code_drift reads this
-- table itself; a view would redo these joins at each read.
CREATE OR REPLACE TABLE staging.int_coding_rows AS
WITH crosswalk AS (
    SELECT
        staging.clean_text(wave_id) AS wave_id,
        trim(source_code) AS source_code,
        any_value(staging.clean_text(code_id)) AS code_id,
        any_value(staging.clean_text(value)) AS value
    FROM raw.crosswalk
    WHERE trim(source_code) <> ''
    GROUP BY ALL
),
documents AS (
    SELECT
        folder_wave_id AS wave_id,
        coalesce(staging.clean_text(document), staging.clean_text(interview_id)) AS document,
        any_value(staging.clean_text(interview_id)) AS interview_id
    FROM raw.interviews
    WHERE EXISTS (SELECT 1 FROM raw.codings)  -- a study with no exports skips grouping its interviews
    GROUP BY ALL
),
-- a project-wide export's document is looked for in every wave (the interviews
-- rules refuse one listed in two)
anywhere AS (
    SELECT document, min(wave_id) AS wave_id, arg_min(interview_id, wave_id) AS interview_id
    FROM documents
    GROUP BY document
),
placed AS (
    SELECT
        codings.*,
        coalesce(here.interview_id, anywhere.interview_id, trim(codings.document)) AS interview_id,
        coalesce(codings.folder_wave_id, anywhere.wave_id) AS wave
    FROM raw.codings AS codings
    LEFT JOIN documents AS here
        ON here.wave_id = codings.folder_wave_id AND here.document = trim(codings.document)
    LEFT JOIN anywhere
        ON codings.folder_wave_id IS NULL AND anywhere.document = trim(codings.document)
),
codings AS (
    SELECT
        codings.interview_id,
        CASE WHEN this_wave.source_code IS NOT NULL THEN this_wave.code_id ELSE every_wave.code_id END AS code_id,
        CASE WHEN this_wave.source_code IS NOT NULL THEN this_wave.value ELSE every_wave.value END AS value,
        codings.excerpt,
        NULL::VARCHAR AS wave_id,
        codings.wave AS folder_wave_id,
        codings.source_file,
        codings.source_row,
        codings.source_code,
        this_wave.source_code IS NOT NULL OR every_wave.source_code IS NOT NULL AS source_code_listed
    FROM placed AS codings
    LEFT JOIN crosswalk AS this_wave
        ON this_wave.wave_id = codings.wave AND this_wave.source_code = codings.source_code
    LEFT JOIN crosswalk AS every_wave
        ON every_wave.wave_id IS NULL AND every_wave.source_code = codings.source_code
),
final AS (
    SELECT * FROM codings WHERE NOT (source_code_listed AND code_id IS NULL)
)
SELECT * FROM final;
