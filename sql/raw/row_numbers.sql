-- The row a person sees in Excel or an editor for each row of file_source, when
-- rows are numbered by their place in the file: rowid + 2 (the header is row 1).
-- This holds for every XLSX sheet, and for a CSV file with no blank line and no
-- rejected row before its last record; otherwise raw/counted_rows.sql.
CREATE OR REPLACE TEMP VIEW file_numbered AS
SELECT cells, CAST(rowid + 2 AS BIGINT) AS source_row
FROM file_source;
