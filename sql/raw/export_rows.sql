-- One coding tool's export (the frames export_codings and export_documents, read by
-- flows/wavecompare/qda/) appended to the raw layer with its lineage
-- (raw/file_lineage.sql). source_row numbers the codings, and the documents, in the
-- order the export holds them.
INSERT INTO raw.codings BY NAME
SELECT
    codings.document,
    codings.source_code,
    codings.record,
    codings."start" AS start_position,
    codings."end" AS end_position,
    codings.excerpt,
    codings."references" AS coding_references,
    codings.source_row,
    lineage.*
FROM export_codings AS codings, file_lineage() AS lineage;

INSERT INTO raw.documents BY NAME
SELECT documents.document, documents.source_row, lineage.*
FROM export_documents AS documents, file_lineage() AS lineage;
