-- The row a person sees in Excel or an editor for each row of file_source, when
-- DuckDB's CSV reader skipped blank lines or set rows aside (csv_rejects.sql):
-- it keeps no place for them, so rowid + 2 would tell every later row's
-- number too small. $source_rows lists the row of each kept record in order,
-- counted by the loader; a table, since views take no parameters.
CREATE OR REPLACE TEMP TABLE counted_rows AS
SELECT CAST(ordinal - 1 AS BIGINT) AS ordinal, CAST(source_row AS BIGINT) AS source_row
FROM unnest($source_rows) WITH ORDINALITY AS counted(source_row, ordinal);
