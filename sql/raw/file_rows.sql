-- One file's rows with their lineage (raw/file_lineage.sql) and the row a person
-- sees in Excel or an editor (file_numbered: raw/row_numbers.sql or
-- raw/row_numbers_counted.sql). Wholly empty rows (trailing blank rows of Excel
-- exports) are dropped: a row is kept when its cells, joined, are more than white
-- space. The first test settles nearly every row without joining them: ltrim
-- strips the same characters as trim, and stops at the first other one. A view:
-- the lineage comes from a variable since views take no parameters, and the
-- loader inserts it into the raw table.
CREATE OR REPLACE TEMP VIEW file_rows AS
WITH numbered AS (
    SELECT cells.*, source_row FROM file_numbered
),
kept AS (
    SELECT * FROM numbered
    WHERE ltrim(coalesce(*COLUMNS(* EXCLUDE (source_row)))) <> ''
        OR trim(concat_ws('', *COLUMNS(* EXCLUDE (source_row)))) <> ''
)
SELECT kept.*, lineage.*
FROM kept, file_lineage() AS lineage;
