-- The outcome of one expectation of a suite, per file it was checked on (the
-- files come from the validated batch, so the check table is not read again).
INSERT INTO validation.results
SELECT
    $suite AS suite,
    files.source_file,
    $expectation AS expectation,
    $column_name AS column_name,
    $rule AS rule,
    coalesce(failing.rows_affected, 0) = 0 AS success,
    coalesce(failing.rows_affected, 0) AS rows_affected
FROM (SELECT unnest(CAST($files AS VARCHAR[])) AS source_file) AS files
LEFT JOIN (
    SELECT unnest(CAST($failing_files AS VARCHAR[])) AS source_file, unnest(CAST($failing_rows AS BIGINT[])) AS rows_affected
) AS failing ON failing.source_file = files.source_file;
