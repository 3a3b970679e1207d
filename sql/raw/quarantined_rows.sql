-- The rows of one file set aside so far as unreadable, counted as Excel does
-- (blank lines count, the header is row 1): rows DuckDB's CSV reader could not
-- parse (csv_rejects.sql) and workbook rows with formula or error cells
-- (validation/cell_problems.sql). The rules on rows run only after every file
-- is loaded, so nothing else is in the quarantine yet.
SELECT DISTINCT source_row
FROM validation.quarantine
WHERE source_file = $source_file
ORDER BY source_row;
