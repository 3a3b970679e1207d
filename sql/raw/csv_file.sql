-- The CSV file read_csv.sql reads: its path, its columns (all text) and the
-- longest line accepted.
SET VARIABLE csv_file = {'path': $path, 'columns': $columns, 'max_line_size': $max_line_size};
