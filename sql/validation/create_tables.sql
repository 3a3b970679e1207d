-- What validation found. quarantine: every input row that was rejected, with the
-- column, the value as given and the rule it broke (rows that could not be read
-- at all come from the loader; the rest from the expectation suites).
-- results: the outcome of every expectation on every file.
-- reconciliation: per file, rows read = rows loaded + rows quarantined.
-- rows_read: the rows of each CSV file as counted by the loader's own pass.
CREATE SCHEMA IF NOT EXISTS validation;

CREATE OR REPLACE TABLE validation.quarantine (
    source_file VARCHAR,
    source_row BIGINT,
    column_name VARCHAR,
    value VARCHAR,
    rule VARCHAR,
    expectation VARCHAR
);

CREATE OR REPLACE TABLE validation.results (
    suite VARCHAR,
    source_file VARCHAR,
    expectation VARCHAR,
    column_name VARCHAR,
    rule VARCHAR,
    success BOOLEAN,
    rows_affected BIGINT
);

CREATE OR REPLACE TABLE validation.rows_read (
    source_file VARCHAR,
    rows_read BIGINT
);
