-- The lineage of the file being loaded, for every row of it: the variable
-- `file_lineage` (views take no parameters; set last, as the statement given the
-- parameters) and the one-row table `file_lineage()` of its columns, which
-- raw/file_rows.sql and raw/export_rows.sql join to each row.
CREATE OR REPLACE TEMP MACRO file_lineage() AS TABLE
SELECT
    CAST(getvariable('file_lineage').source_file AS VARCHAR) AS source_file,
    CAST(getvariable('file_lineage').source_sha256 AS VARCHAR) AS source_sha256,
    CAST(getvariable('file_lineage').loaded_at AS TIMESTAMP) AS loaded_at,
    CAST(getvariable('file_lineage').run_id AS VARCHAR) AS run_id,
    CAST(getvariable('file_lineage').folder_wave_id AS VARCHAR) AS folder_wave_id;

SET VARIABLE file_lineage = {
    'source_file': $source_file,
    'source_sha256': $source_sha256,
    'loaded_at': $loaded_at,
    'run_id': $run_id,
    'folder_wave_id': $folder_wave_id
};
