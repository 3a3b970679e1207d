-- Lineage of the warehouse: the run that built it (run_manifest), every input
-- file it read with its content hash and rows (input_files), and every table it
-- published with its row count (published_tables). The same facts are written
-- to run_manifest.json beside the published tables.
CREATE SCHEMA IF NOT EXISTS lineage;

CREATE OR REPLACE TABLE lineage.run_manifest (
    run_id VARCHAR,
    flow_run_id VARCHAR,
    status VARCHAR,
    started_at TIMESTAMPTZ,
    built_at TIMESTAMPTZ,
    package_version VARCHAR,
    git_commit VARCHAR,
    code_fingerprint VARCHAR,
    rules_checked BIGINT,
    rules_failed BIGINT,
    rows_quarantined BIGINT
);

CREATE OR REPLACE TABLE lineage.input_files (
    run_id VARCHAR,
    source_file VARCHAR,
    sha256 VARCHAR,
    rows_read BIGINT
);

CREATE OR REPLACE TABLE lineage.published_tables (
    run_id VARCHAR,
    table_name VARCHAR,
    row_count BIGINT
);
