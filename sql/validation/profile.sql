-- A check table reduced to its distinct combinations of file and check values,
-- with how many rows share each: the batch the expectation suite validates.
-- Checks are row-wise, so a combination fails exactly when its rows do, and the
-- work grows with the number of distinct combinations, not of rows.
-- Columns named given_* (values as given, for messages) and source_* are left out.
SELECT
    hash(source_file, *COLUMNS(lambda c: NOT regexp_matches(c, '^(given_|source_)'))) AS combination,
    source_file,
    COLUMNS(lambda c: NOT regexp_matches(c, '^(given_|source_)')),
    count(*) AS rows_in_file
FROM query_table($check_table)
GROUP BY ALL
ORDER BY ALL;
