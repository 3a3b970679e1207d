-- The rows behind the failing combinations of one expectation, into the quarantine.
INSERT INTO validation.quarantine
SELECT
    source_file,
    source_row,
    $column_name AS column_name,
    CAST(COLUMNS($shown_column) AS VARCHAR) AS value,
    $rule AS rule,
    $expectation AS expectation
FROM query_table($check_table)
WHERE hash(source_file, *COLUMNS(lambda c: NOT regexp_matches(c, '^(given_|source_)')))
    IN (SELECT unnest(CAST($combinations AS UBIGINT[])));
