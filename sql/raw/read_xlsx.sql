-- One workbook's first sheet (the frame `xlsx_frame`, its cells already as text)
-- in the shape read_csv.sql gives a CSV file: the rows in sheet order in a
-- temporary table, each as one struct `cells`, for raw/row_numbers.sql.
CREATE OR REPLACE TEMP TABLE file_source AS
SELECT struct_pack(*COLUMNS(*)) AS cells
FROM xlsx_frame;
