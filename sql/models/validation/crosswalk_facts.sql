-- What the crosswalk rules (expectations/crosswalk.yml) read: one row per row of
-- crosswalk.csv, trimmed as staging.int_coding_rows reads it, with how many rows
-- list its source code for the same wave (or for every wave), and what the
-- codebook and waves.csv say of its code_id, value and wave_id. given_* hold the
-- values as given, for messages.
CREATE OR REPLACE TABLE validation.crosswalk_facts AS
WITH source AS (
    SELECT
        source_file,
        source_row,
        COLUMNS('^(wave_id|source_code|code_id|value)$') AS 'given_\1',
        staging.clean_text(wave_id) AS wave_id,
        trim(source_code) AS source_code,
        staging.clean_text(code_id) AS code_id,
        staging.clean_text(value) AS value
    FROM raw.crosswalk
),
codes AS (
    SELECT code_id, kind, levels FROM staging.stg_codebook
    WHERE code_id IS NOT NULL
    QUALIFY count(*) OVER (PARTITION BY code_id) = 1
),
final AS (
    SELECT
        source.*,
        nullif(source.source_code, '') IS NOT NULL AS source_code_given,
        count(*) OVER (PARTITION BY source.wave_id, source.source_code) AS listings,
        codes.code_id IS NOT NULL AS code_in_codebook,
        codes.kind,
        coalesce(list_contains(list_transform(codes.levels, lambda l: lower(l)), lower(source.value)), FALSE)
            AS value_is_level,
        coalesce(source.given_value, '(empty)') || ' (levels: ' || array_to_string(codes.levels, ' | ') || ')'
            AS given_value_and_levels,
        waves.wave_id IS NOT NULL AS wave_declared
    FROM source
    LEFT JOIN codes ON codes.code_id = source.code_id
    LEFT JOIN staging.stg_waves AS waves ON waves.wave_id = source.wave_id
)
SELECT * FROM final;
