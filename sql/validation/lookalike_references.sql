-- Quarantined responses whose interview_id, code_id or level value is not
-- defined but differs from a defined one only in look-alike characters (the
-- same identifier_key, see validation/identifiers.sql): the value shown gains
-- "looks like <identifier> in <file> row <n>", so the message says which one was
-- meant. Reads only the quarantined rows' references, keyed once each.
UPDATE validation.quarantine AS quarantine
SET value = quarantine.value || ', looks like ' || hints.resembles
FROM (
    WITH refs AS (
        SELECT
            quarantine.source_file,
            quarantine.source_row,
            quarantine.column_name,
            CASE quarantine.column_name WHEN 'value' THEN 'level' ELSE quarantine.column_name END AS kind,
            staging.clean_text(CASE quarantine.column_name
                WHEN 'interview_id' THEN responses.interview_id
                WHEN 'code_id' THEN responses.code_id
                ELSE responses.value
            END) AS reference,
            staging.clean_text(responses.code_id) AS code_id
        FROM validation.quarantine AS quarantine
        JOIN raw.responses AS responses USING (source_file, source_row)
        WHERE quarantine.column_name IN ('interview_id', 'code_id', 'value')
    ),
    keys AS (
        SELECT reference, identifier_key(staging.visible_text(reference)) AS key
        FROM (SELECT DISTINCT reference FROM refs WHERE reference IS NOT NULL)
    )
    SELECT
        refs.source_file,
        refs.source_row,
        refs.column_name,
        arg_min(defined.identifier || ' in ' || defined.source_file || coalesce(' row ' || defined.source_row, ''),
                (defined.source_file, defined.source_row)) AS resembles
    FROM refs
    JOIN keys USING (reference)
    JOIN validation.identifiers AS defined
        ON defined.kind = refs.kind AND defined.key = keys.key
        AND lower(defined.identifier) <> lower(refs.reference)
        AND (refs.kind <> 'level' OR defined.code_id = refs.code_id)
    GROUP BY ALL
) AS hints
WHERE quarantine.source_file = hints.source_file
    AND quarantine.source_row = hints.source_row
    AND quarantine.column_name = hints.column_name;
