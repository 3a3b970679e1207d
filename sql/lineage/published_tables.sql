-- Every table the run published (as CSV and Parquet), with its row count.
INSERT INTO lineage.published_tables
WITH source AS (
    SELECT unnest($tables, recursive := TRUE)
),
final AS (
    SELECT $run_id AS run_id, "table" AS table_name, rows AS row_count FROM source
)
SELECT * FROM final
