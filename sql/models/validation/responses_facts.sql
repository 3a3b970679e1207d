-- What the responses rules (expectations/responses.yml) read: one row per coded
-- segment of every wave (a responses file's row or an export's coding:
-- staging.int_response_rows), trimmed as staging.stg_responses trims it (read here from
-- raw in the same single pass that measures the row, rather than by joining ten
-- million staged rows back to raw), with what the codebook and the wave's
-- interviews say about it. wave_id is the file's own wave_id column (if it has
-- one), folder_wave_id the wave folder the file is in. given_* hold the values as
-- given, for messages.
-- A view, not a table: its check view is read once, reduced to its distinct
-- combinations (profile.sql), and its rows are fetched again only for a failing
-- rule, so ten million segments are never written out a second time.
CREATE OR REPLACE VIEW validation.responses_facts AS
WITH source AS (
    SELECT
        source_file,
        source_row,
        folder_wave_id,
        COLUMNS('^(interview_id|code_id|value|wave_id)$') AS 'given_\1',
        staging.clean_text(interview_id) AS interview_id,
        staging.clean_text(code_id) AS code_id,
        staging.clean_text(value) AS value,
        staging.clean_text(wave_id) AS wave_id,
        source_code AS given_source_code,
        source_code_listed,
        coalesce(length(concat_ws('', *COLUMNS(lambda c: c IN ('interview_id', 'code_id', 'value', 'excerpt',
            'wave_id')))), 0) AS row_length
    FROM staging.int_response_rows AS raw
),
-- every code of the codebook; a response's value is checked only against a code
-- whose row is usable: listed once, of a known kind, a level code with levels
codebook AS (
    SELECT code_id, count(*) AS listings FROM staging.stg_codebook WHERE code_id IS NOT NULL GROUP BY code_id
),
codes AS (
    SELECT code_id, kind, levels FROM staging.stg_codebook
    WHERE code_id IS NOT NULL
    QUALIFY count(*) OVER (PARTITION BY code_id) = 1
        AND (kind = 'mention' OR (kind = 'level' AND len(list_filter(levels, lambda l: l IS NOT NULL)) > 0))
),
interviews AS (
    SELECT DISTINCT wave_id, interview_id FROM staging.stg_interviews WHERE interview_id IS NOT NULL
),
-- interviews coded with more than one level of a level code (only level codes' segments are grouped)
conflicts AS (
    SELECT raw.folder_wave_id, staging.clean_text(raw.interview_id) AS interview_id, codes.code_id
    FROM staging.int_response_rows AS raw
    JOIN codes ON codes.code_id = staging.clean_text(raw.code_id) AND codes.kind = 'level'
    GROUP BY ALL
    HAVING min(lower(staging.clean_text(raw.value))) <> max(lower(staging.clean_text(raw.value)))
),
final AS (
    SELECT
        source.*,
        coalesce(source.given_value, '(empty)') || ' (levels: '
            || array_to_string(codes.levels, ' | ') || ')' AS given_value_and_levels,
        format('{:,} characters', source.row_length) AS given_row_length,
        interviews.interview_id IS NOT NULL AS interview_in_wave,
        codebook.code_id IS NOT NULL AS code_in_codebook,
        codes.code_id IS NOT NULL AS code_usable,
        codes.kind,
        codes.levels,
        conflicts.code_id IS NOT NULL AS other_values_in_interview
    FROM source
    LEFT JOIN codebook ON codebook.code_id = source.code_id
    LEFT JOIN codes ON codes.code_id = source.code_id
    LEFT JOIN interviews ON interviews.wave_id = source.folder_wave_id AND interviews.interview_id = source.interview_id
    LEFT JOIN conflicts
        ON conflicts.folder_wave_id = source.folder_wave_id
        AND conflicts.interview_id = source.interview_id
        AND conflicts.code_id = source.code_id
)
SELECT * FROM final;
