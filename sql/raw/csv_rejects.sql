-- The rows of the last CSV read that could not be parsed.
SELECT line, column_name, csv_line, error_message
FROM csv_reject_errors
WHERE scan_id = (SELECT max(scan_id) FROM csv_reject_scans)
ORDER BY line;
