-- The rows of one CSV file that could not be parsed, into the quarantine,
-- in plain words, once per row. (Rows over the length limit never reach DuckDB:
-- the loader sets them aside, raw/loader_rejects.sql.) `line` counts records as Excel does (the header is row 1).
INSERT INTO validation.quarantine
SELECT DISTINCT
    $source_file AS source_file,
    line AS source_row,
    CASE WHEN error_type = 'MISSING COLUMNS' THEN NULL ELSE column_name END AS column_name,
    csv_line AS value,
    CASE error_type
        WHEN 'TOO MANY COLUMNS' THEN 'the row has more fields than the header (is a comma missing its quotes?)'
        WHEN 'MISSING COLUMNS' THEN 'the row has fewer fields than the header'
        ELSE 'the row could not be read: ' || error_message
    END AS rule,
    'read' AS expectation
FROM csv_reject_errors
WHERE scan_id IN (SELECT scan_id FROM csv_reject_scans WHERE file_path = $path);
