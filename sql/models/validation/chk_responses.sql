-- One row per coded segment of every wave: the checks the responses suite asserts.
-- A view, not a table: the suite reads it once, reduced to its distinct
-- combinations (profile.sql), and its rows are fetched again only for a failing
-- rule, so ten million segments are never written out a second time.
CREATE OR REPLACE VIEW validation.chk_responses AS
WITH source AS (
    SELECT
        raw.source_file,
        raw.source_row,
        raw.folder_wave_id,
        raw.interview_id AS given_interview_id,
        raw.code_id AS given_code_id,
        raw.value AS given_value,
        raw.wave_id AS given_wave_id,
        staging.clean_text(raw.interview_id) AS interview_id,
        staging.clean_text(raw.code_id) AS code_id,
        staging.clean_text(raw.value) AS value,
        length(concat_ws('', *COLUMNS(lambda c: c IN ('interview_id', 'code_id', 'value', 'excerpt', 'wave_id'))))
            AS row_length
    FROM raw.responses AS raw
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
    FROM raw.responses AS raw
    JOIN codes ON codes.code_id = staging.clean_text(raw.code_id) AND codes.kind = 'level'
    GROUP BY ALL
    HAVING min(lower(staging.clean_text(raw.value))) <> max(lower(staging.clean_text(raw.value)))
),
final AS (
    SELECT
        source.source_file,
        source.source_row,
        source.given_interview_id,
        source.given_code_id,
        source.given_value,
        source.given_wave_id,
        coalesce(source.given_value, '(empty)') || ' (levels: '
            || array_to_string(codes.levels, ' | ') || ')' AS given_value_and_levels,
        source.interview_id IS NOT NULL AS interview_id_given,
        source.code_id IS NOT NULL AS code_id_given,
        CASE WHEN source.interview_id IS NOT NULL THEN interviews.interview_id IS NOT NULL END AS interview_known,
        CASE WHEN source.code_id IS NOT NULL THEN codebook.code_id IS NOT NULL END AS code_known,
        CASE WHEN codebook.code_id IS NOT NULL THEN codes.code_id IS NOT NULL END AS value_checkable,
        CASE WHEN codes.kind = 'level' THEN coalesce(list_contains(list_transform(codes.levels, lambda l: lower(l)), lower(source.value)), FALSE) END
            AS level_valid,
        CASE WHEN codes.kind = 'mention' AND source.value IS NOT NULL
            THEN coalesce(staging.whole_number(source.value) >= 1, FALSE) END AS mention_count_valid,
        CASE WHEN codes.kind = 'level' AND source.interview_id IS NOT NULL
            THEN conflicts.code_id IS NULL
        END AS one_value_per_interview,
        CASE WHEN staging.clean_text(source.given_wave_id) IS NOT NULL
            THEN staging.clean_text(source.given_wave_id) = source.folder_wave_id END AS wave_id_matches_folder,
        codes.kind,
        coalesce(source.row_length, 0) AS row_length,
        format('{:,} characters', coalesce(source.row_length, 0)) AS given_row_length
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
