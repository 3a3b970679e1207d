-- The rows of one CSV file that DuckDB's reader set aside (see csv_rejects.sql),
-- counted as Excel does: blank lines count, the header is row 1.
SELECT DISTINCT line
FROM csv_reject_errors
WHERE scan_id IN (SELECT scan_id FROM csv_reject_scans WHERE file_path = $path)
ORDER BY line;
