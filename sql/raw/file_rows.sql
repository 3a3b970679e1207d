-- One file's rows with their lineage (the variable `file_lineage`, see
-- raw/file_lineage.sql). `ordinality` counts data rows from 1, so the row a
-- person sees in Excel or an editor is ordinality + 1 (the header is row 1).
-- Wholly empty rows (trailing blank rows of Excel exports) are dropped. A view:
-- the loader inserts it into the raw table in one pass over the file.
CREATE OR REPLACE TEMP VIEW file_rows AS
SELECT
    * EXCLUDE (ordinality),
    CAST(getvariable('file_lineage').source_file AS VARCHAR) AS source_file,
    CAST(getvariable('file_lineage').source_sha256 AS VARCHAR) AS source_sha256,
    CAST(ordinality + 1 AS BIGINT) AS source_row,
    CAST(getvariable('file_lineage').loaded_at AS TIMESTAMP) AS loaded_at,
    CAST(getvariable('file_lineage').run_id AS VARCHAR) AS run_id,
    CAST(getvariable('file_lineage').folder_wave_id AS VARCHAR) AS folder_wave_id
FROM file_source
WHERE trim(concat_ws('', *COLUMNS(* EXCLUDE (ordinality)))) <> '';
