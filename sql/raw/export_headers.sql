-- The rows of export_headers.csv as loaded, for flows/wavecompare/qda/headers.py:
-- row, tool, field, header, and the file's name.
SELECT source_row, tool, field, header, source_file
FROM raw.export_headers
ORDER BY source_row;
