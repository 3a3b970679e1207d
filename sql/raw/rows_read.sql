-- The rows read from one CSV file, for validation/reconciliation.sql: the
-- records the loader's own pass counted, less the wholly empty rows dropped
-- by file_rows.sql (those DuckDB kept, file_source, that were not loaded).
INSERT INTO validation.rows_read
SELECT $source_file AS source_file, $records - (SELECT count(*) FROM file_source) + $loaded AS rows_read;
