-- Every input file of the run, with its content hash and the rows read from it.
INSERT INTO lineage.input_files
WITH source AS (
    SELECT unnest($inputs, recursive := TRUE)
),
final AS (
    SELECT $run_id AS run_id, file AS source_file, sha256, rows AS rows_read FROM source
)
SELECT * FROM final
