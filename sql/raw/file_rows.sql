-- One file's rows with their lineage. `ordinality` counts data rows from 1, so
-- the row a person sees in Excel or an editor is ordinality + 1 (the header is
-- row 1). Wholly empty rows (trailing blank rows of Excel exports) are dropped.
CREATE OR REPLACE TEMP TABLE file_rows AS
SELECT
    * EXCLUDE (ordinality),
    $source_file AS source_file,
    $source_sha256 AS source_sha256,
    CAST(ordinality + 1 AS BIGINT) AS source_row,
    CAST($loaded_at AS TIMESTAMP) AS loaded_at,
    $run_id AS run_id,
    CAST($folder_wave_id AS VARCHAR) AS folder_wave_id
FROM file_source
WHERE trim(concat_ws('', *COLUMNS(* EXCLUDE (ordinality)))) <> '';
