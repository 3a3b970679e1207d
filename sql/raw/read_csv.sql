-- One CSV file, read with a stated schema: every column as text, named from the
-- file's header by the loader, so DuckDB's sniffer guesses nothing. Rows that do
-- not parse (wrong number of fields, bad quoting, bad encoding) go to the
-- rejects tables instead of stopping the read, so all of them can be reported.
-- A view, so that the file is read once, straight into its raw table (through
-- file_rows.sql); views take no parameters, so the file comes from the
-- variable `csv_file` (raw/csv_file.sql).
CREATE OR REPLACE TEMP VIEW file_source AS
SELECT *
FROM read_csv(
    getvariable('csv_file').path,
    columns = getvariable('csv_file').columns,
    header = true,
    auto_detect = false,
    delim = ',',
    quote = '"',
    escape = '"',
    strict_mode = true,
    max_line_size = getvariable('csv_file').max_line_size,
    store_rejects = true,
    rejects_table = 'csv_reject_errors',
    rejects_scan = 'csv_reject_scans'
) WITH ORDINALITY;
