-- Every excerpt of the study, unredacted, with what the quote bank selects by:
-- the same trimmed text of one interview in one wave is one excerpt, whatever
-- codes it is coded under; its id is its first position in the study's files
-- (file, then row). A view: the excerpts are the responses' own text, read
-- once by the release, so ten million segments are not stored twice.
CREATE OR REPLACE VIEW private.quote_candidates AS
WITH trimmed AS (
    SELECT wave_id, interview_id, code_id, trim(excerpt) AS excerpt, source_file, source_row
    FROM staging.stg_responses
    WHERE nullif(trim(excerpt), '') IS NOT NULL
),
positioned AS (
    SELECT *, row_number() OVER (ORDER BY source_file, source_row) AS file_position FROM trimmed
),
excerpts AS (
    SELECT
        wave_id,
        interview_id,
        excerpt,
        min(file_position) AS excerpt_id,
        list(DISTINCT code_id ORDER BY code_id) AS code_ids
    FROM positioned
    GROUP BY wave_id, interview_id, excerpt
),
interviews AS (
    SELECT wave_id, interview_id, stakeholder_group FROM staging.stg_interviews
),
final AS (
    SELECT
        excerpts.excerpt_id,
        excerpts.wave_id,
        excerpts.interview_id,
        interviews.stakeholder_group,
        excerpts.excerpt,
        excerpts.code_ids
    FROM excerpts
    LEFT JOIN interviews ON interviews.wave_id = excerpts.wave_id AND interviews.interview_id = excerpts.interview_id
)
SELECT * FROM final;
