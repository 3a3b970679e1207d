-- The quarantine summarised as a person reads it: per file, rule and column, how
-- many rows, and the first five rows with their values and the record each row
-- belongs to, so a message names the wave, code or interview and not only the
-- row. A record is the row's keys (a response's are its interview and code; an
-- export's coding's its document and the tool's id or row of its segment, since
-- its row is its number among the export's codings),
-- less the key the rule is about, which is the value shown. Rows that could not
-- be read are not in raw and have no record. The join reads only the few
-- quarantined rows' keys: DuckDB filters raw by the quarantine's row numbers.
WITH keys AS (
    SELECT source_file, source_row, [{'column': 'wave_id', 'label': 'wave', 'value': staging.clean_text(wave_id)}]
        AS keys
    FROM raw.waves
    UNION ALL
    SELECT source_file, source_row, [{'column': 'code_id', 'label': 'code', 'value': staging.clean_text(code_id)}]
    FROM raw.codebook
    UNION ALL
    SELECT source_file, source_row,
        [{'column': 'interview_id', 'label': 'interview', 'value': staging.clean_text(interview_id)}]
    FROM raw.interviews
    UNION ALL
    SELECT source_file, source_row, [
        {'column': 'interview_id', 'label': 'interview', 'value': staging.clean_text(interview_id)},
        {'column': 'code_id', 'label': 'code', 'value': staging.clean_text(code_id)}
    ]
    FROM raw.responses
    UNION ALL
    SELECT source_file, source_row, [
        {'column': 'document', 'label': 'document', 'value': staging.clean_text(document)},
        {'column': 'record', 'label': 'segment', 'value': staging.clean_text(record)}
    ]
    FROM raw.codings
),
quarantined AS (
    SELECT
        quarantine.*,
        nullif(array_to_string(list_transform(
            list_filter(keys.keys, lambda k: k.value IS NOT NULL AND k.column IS DISTINCT FROM quarantine.column_name),
            lambda k: k.label || ' ' || k.value), ', '), '') AS record
    FROM validation.quarantine AS quarantine
    LEFT JOIN keys USING (source_file, source_row)
)
SELECT
    source_file,
    rule,
    column_name,
    count(DISTINCT source_row) AS rows_affected,
    list({'row': source_row, 'value': value, 'record': record} ORDER BY source_row)[1:5] AS examples
FROM quarantined
GROUP BY source_file, rule, column_name
ORDER BY source_file, rule, column_name;
