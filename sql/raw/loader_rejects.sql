-- The rows of one CSV file the loader set aside itself before DuckDB read it
-- (rows over the length limit, rows holding NUL bytes), into the quarantine:
-- $rows lists each as {source_row, value (its first bytes), rule}.
INSERT INTO validation.quarantine
SELECT
    $source_file AS source_file,
    CAST(source_row AS BIGINT) AS source_row,
    NULL AS column_name,
    value,
    rule,
    'read' AS expectation
FROM (SELECT unnest($rows, recursive := TRUE));
