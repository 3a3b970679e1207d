-- One CSV file, read with a stated schema: every column as text, named from the
-- file's header by the loader, so DuckDB's sniffer guesses nothing. Rows that do
-- not parse (wrong number of fields, bad quoting, bad encoding) go to the
-- rejects tables instead of stopping the read, so all of them can be reported.
-- The rows land in file order (DuckDB's preserve_insertion_order, left on) in
-- a temporary table, for raw/row_numbers.sql to number by rowid: numbering them while
-- reading (WITH ORDINALITY) held the insert into the raw table to one thread.
-- Each row is one struct, `cells`, so that no column of the file can hide
-- rowid.
CREATE OR REPLACE TEMP TABLE file_source AS
SELECT struct_pack(*COLUMNS(*)) AS cells
FROM read_csv(
    $path,
    columns = $columns,
    header = TRUE,
    auto_detect = FALSE,
    delim = ',',
    quote = '"',
    escape = '"',
    strict_mode = TRUE,
    max_line_size = $max_line_size,
    store_rejects = TRUE,
    rejects_table = 'csv_reject_errors',
    rejects_scan = 'csv_reject_scans'
);
