-- One file's rows with their lineage (the variable `file_lineage`, see
-- raw/file_lineage.sql) and the row a person sees in Excel or an editor
-- (file_numbered: raw/row_numbers.sql or raw/row_numbers_counted.sql). Wholly
-- empty rows (trailing blank rows of Excel exports) are dropped: a row is kept
-- when its cells, joined, are more than white space. The first test settles
-- nearly every row without joining them: ltrim strips the same characters as
-- trim, and stops at the first other one. A view: the lineage comes from a
-- variable since views take no parameters, and the loader inserts it into the
-- raw table.
CREATE OR REPLACE TEMP VIEW file_rows AS
SELECT
    * EXCLUDE (source_row),
    CAST(getvariable('file_lineage').source_file AS VARCHAR) AS source_file,
    CAST(getvariable('file_lineage').source_sha256 AS VARCHAR) AS source_sha256,
    source_row,
    CAST(getvariable('file_lineage').loaded_at AS TIMESTAMP) AS loaded_at,
    CAST(getvariable('file_lineage').run_id AS VARCHAR) AS run_id,
    CAST(getvariable('file_lineage').folder_wave_id AS VARCHAR) AS folder_wave_id
FROM (SELECT cells.*, source_row FROM file_numbered)
WHERE ltrim(coalesce(*COLUMNS(* EXCLUDE (source_row)))) <> ''
    OR trim(concat_ws('', *COLUMNS(* EXCLUDE (source_row)))) <> '';
