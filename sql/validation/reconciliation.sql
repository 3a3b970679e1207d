-- Every input row is either loaded or quarantined: per file, rows read (parsed
-- plus unparseable), rows quarantined and rows loaded.
CREATE OR REPLACE TABLE validation.reconciliation AS
WITH parsed AS (
    SELECT source_file, source_row FROM raw.waves
    UNION ALL SELECT source_file, source_row FROM raw.codebook
    UNION ALL SELECT source_file, source_row FROM raw.interviews
    UNION ALL SELECT source_file, source_row FROM raw.responses
),
unparsed AS (
    SELECT DISTINCT source_file, source_row FROM validation.quarantine WHERE expectation = 'read'
),
read AS (
    SELECT source_file, source_row FROM parsed
    UNION
    SELECT source_file, source_row FROM unparsed
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
        count(*) AS rows_read,
        count(*) - coalesce(any_value(quarantined.rows_quarantined), 0) AS rows_loaded,
        coalesce(any_value(quarantined.rows_quarantined), 0) AS rows_quarantined
    FROM read
    LEFT JOIN quarantined ON quarantined.source_file = read.source_file
    GROUP BY read.source_file
)
SELECT * FROM final ORDER BY source_file;
