-- The row a person sees in Excel or an editor for each row of file_source, when
-- DuckDB's CSV reader skipped blank lines or set rows aside before the last
-- record: it keeps no place for them, so rowid + 2 would tell every later
-- row's number too small. The rows up to $last_row (the last record's) less
-- `skipped_rows` (blank lines and rows set aside, from the loader), in order.
CREATE OR REPLACE TEMP TABLE counted_rows AS
SELECT CAST(row_number() OVER (ORDER BY source_row) - 1 AS BIGINT) AS ordinal, source_row
FROM (SELECT CAST(generate_series AS BIGINT) AS source_row FROM generate_series(2, $last_row)) AS rows
ANTI JOIN skipped_rows USING (source_row);
