-- Every input row is either loaded or quarantined: per file, rows read, rows
-- quarantined and rows loaded (for a coding tool's export, its codings).
CREATE OR REPLACE TABLE validation.reconciliation AS
WITH parsed_rows AS (
    SELECT source_file, source_row FROM raw.waves
    UNION ALL SELECT source_file, source_row FROM raw.codebook
    UNION ALL SELECT source_file, source_row FROM raw.redact
    UNION ALL SELECT source_file, source_row FROM raw.interviews
    UNION ALL SELECT source_file, source_row FROM raw.responses
    UNION ALL SELECT source_file, source_row FROM raw.crosswalk
    UNION ALL SELECT source_file, source_row FROM raw.export_headers
    UNION ALL SELECT source_file, source_row FROM raw.codings
),
parsed AS (
    SELECT source_file, count(*) AS rows_parsed FROM parsed_rows GROUP BY source_file
),
-- rows DuckDB could not parse (few): those not also among the parsed rows (a
-- workbook row can be parsed and still hold an unusable cell)
unparsed AS (
    SELECT source_file, count(*) AS rows_unparsed
    FROM (SELECT DISTINCT source_file, source_row FROM validation.quarantine WHERE expectation = 'read') AS bad
    ANTI JOIN parsed_rows USING (source_file, source_row)
    GROUP BY source_file
),
-- rows read: for a CSV file as counted by the loader's own pass (not by DuckDB's
-- reader, whose count is what is checked); for a workbook, openpyxl's rows
read AS (
    SELECT
        source_file,
        coalesce(counted.rows_read, coalesce(parsed.rows_parsed, 0) + coalesce(unparsed.rows_unparsed, 0))
            AS rows_read
    FROM parsed
    FULL JOIN unparsed USING (source_file)
    FULL JOIN validation.rows_read AS counted USING (source_file)
),
quarantined AS (
    SELECT source_file, count(DISTINCT source_row) AS rows_quarantined
    FROM validation.quarantine
    WHERE source_row IS NOT NULL
    GROUP BY source_file
),
final AS (
    SELECT
        read.source_file,
        read.rows_read,
        read.rows_read - coalesce(quarantined.rows_quarantined, 0) AS rows_loaded,
        coalesce(quarantined.rows_quarantined, 0) AS rows_quarantined
    FROM read
    LEFT JOIN quarantined ON quarantined.source_file = read.source_file
)
SELECT * FROM final ORDER BY source_file;
