-- file_numbered (see raw/row_numbers.sql) from the rows the loader counted
-- (raw/counted_rows.sql), for a CSV file with blank lines or rejected rows.
CREATE OR REPLACE TEMP VIEW file_numbered AS
SELECT source.cells, counted.source_row
FROM file_source AS source
JOIN counted_rows AS counted ON counted.ordinal = source.rowid;
