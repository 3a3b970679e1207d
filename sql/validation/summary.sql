-- The quarantine summarised as a person reads it: per file, rule and column, how
-- many rows, and the first five rows with their values.
SELECT
    source_file,
    rule,
    column_name,
    count(DISTINCT source_row) AS rows_affected,
    list({'row': source_row, 'value': value} ORDER BY source_row)[1:5] AS examples
FROM validation.quarantine
GROUP BY source_file, rule, column_name
ORDER BY source_file, rule, column_name;
