-- Cells of a workbook that hold no usable value (formulas, Excel errors), found
-- while reading it, into the quarantine.
INSERT INTO validation.quarantine
SELECT source_file, source_row, column_name, value, rule, 'read' AS expectation
FROM cell_problems;
