-- Every identifier the study defines, one row per place it is defined: wave_ids
-- (waves.csv rows and wave folders), code_ids (codebook rows), the levels of
-- each level code (scope: their codebook row) and interview_ids (interviews
-- rows). `resembles` names the first other identifier of the same kind and
-- scope that differs from it only in look-alike characters (the same
-- identifier_key after the invisible characters are dropped), as
-- "<identifier> in <file> row <n>". identifier_key is a Python function
-- (flows/wavecompare/identifiers.py; DuckDB has no NFKC), applied here to the
-- distinct identifiers only, and this is a table so that no view needs it.
CREATE OR REPLACE TABLE validation.identifiers AS
WITH defined AS (
    SELECT 'wave_id' AS kind, '' AS scope, CAST(NULL AS VARCHAR) AS code_id,
        staging.clean_text(wave_id) AS identifier, source_file, source_row
    FROM raw.waves
    UNION ALL
    SELECT 'wave_id', '', NULL, wave_id, wave_id || '/', NULL FROM raw.wave_folders
    UNION ALL
    SELECT 'code_id', '', NULL, staging.clean_text(code_id), source_file, source_row FROM raw.codebook
    UNION ALL
    SELECT 'level', CAST(source_row AS VARCHAR), code_id, unnest(levels), source_file, source_row
    FROM staging.stg_codebook
    WHERE kind = 'level'
    UNION ALL
    SELECT 'interview_id', '', NULL, staging.clean_text(interview_id), source_file, source_row FROM raw.interviews
),
keys AS (
    SELECT identifier, identifier_key(staging.visible_text(identifier)) AS key
    FROM (SELECT DISTINCT identifier FROM defined WHERE identifier IS NOT NULL)
),
keyed AS (
    SELECT defined.*, keys.key FROM defined JOIN keys USING (identifier)
),
lookalikes AS (
    SELECT
        one.kind,
        one.scope,
        one.identifier,
        arg_min(other.identifier || ' in ' || other.source_file || coalesce(' row ' || other.source_row, ''),
                (other.source_file, coalesce(other.source_row, 0))) AS resembles
    FROM keyed AS one
    JOIN keyed AS other
        ON other.kind = one.kind AND other.scope = one.scope AND other.key = one.key
        AND other.identifier <> one.identifier
    GROUP BY ALL
),
final AS (
    SELECT keyed.*, lookalikes.resembles
    FROM keyed
    LEFT JOIN lookalikes USING (kind, scope, identifier)
)
SELECT * FROM final;
