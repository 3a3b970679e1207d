-- Each coded segment: an interview of its wave, a code of the codebook, and a
-- value that fits the code (one of its levels, at most one per interview; or
-- empty or a positive whole number for a mention code).
WITH codes AS (
    SELECT code_id, kind, levels FROM staging.stg_codebook WHERE code_id IS NOT NULL
),
responses AS (
    SELECT
        raw.source_file,
        raw.source_row,
        raw.folder_wave_id,
        raw.value AS raw_value,
        raw.wave_id AS raw_wave_id,
        staging.clean_text(raw.interview_id) AS interview_id,
        staging.clean_text(raw.code_id) AS code_id,
        staging.clean_text(raw.value) AS value
    FROM raw.responses AS raw
)
SELECT source_file, source_row, column_name, value, 'a value is required' AS rule
FROM (
    UNPIVOT (SELECT source_file, source_row, interview_id, code_id FROM responses)
    ON interview_id, code_id
    INTO NAME column_name VALUE value
) AS cells
WHERE value IS NULL
UNION ALL
SELECT source_file, source_row, 'interview_id', interview_id,
    'no interview with this interview_id in the wave''s interviews file'
FROM responses
WHERE interview_id IS NOT NULL
    AND NOT EXISTS (
        SELECT 1 FROM staging.stg_interviews AS interviews
        WHERE interviews.wave_id = responses.folder_wave_id AND interviews.interview_id = responses.interview_id
    )
UNION ALL
SELECT source_file, source_row, 'code_id', code_id, 'the code_id is not in the codebook'
FROM responses
WHERE code_id IS NOT NULL AND code_id NOT IN (SELECT code_id FROM codes)
UNION ALL
SELECT responses.source_file, responses.source_row, 'value', responses.raw_value,
    'not one of the levels of ' || codes.code_id || ': ' || array_to_string(codes.levels, ' | ')
FROM responses
JOIN codes ON codes.code_id = responses.code_id
WHERE codes.kind = 'level'
    AND coalesce(NOT list_contains(list_transform(codes.levels, lambda l: lower(l)), lower(responses.value)), true)
UNION ALL
SELECT responses.source_file, responses.source_row, 'value', responses.raw_value,
    'a mention code takes an empty value or a count (a whole number of 1 or more)'
FROM responses
JOIN codes ON codes.code_id = responses.code_id
WHERE codes.kind = 'mention'
    AND responses.value IS NOT NULL
    AND coalesce(staging.whole_number(responses.value) < 1, true)
UNION ALL
SELECT responses.source_file, responses.source_row, 'value', responses.raw_value,
    'the interview has more than one value for the level code ' || codes.code_id
FROM responses
JOIN codes ON codes.code_id = responses.code_id
WHERE codes.kind = 'level' AND responses.value IS NOT NULL
QUALIFY count(DISTINCT lower(responses.value)) OVER (PARTITION BY responses.folder_wave_id, responses.interview_id, codes.code_id) > 1
UNION ALL
SELECT source_file, source_row, 'wave_id', raw_wave_id, 'the wave_id differs from the wave folder ' || folder_wave_id
FROM responses
WHERE staging.clean_text(raw_wave_id) IS NOT NULL AND staging.clean_text(raw_wave_id) <> folder_wave_id;
