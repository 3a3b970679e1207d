-- Each row of codebook.csv: a unique code_id, a theme, a label and a kind;
-- level codes list their levels, lowest first, separated by |.
SELECT source_file, source_row, column_name, value, 'a value is required' AS rule
FROM (
    UNPIVOT (SELECT source_file, source_row, code_id, theme, label, kind FROM raw.codebook)
    ON code_id, theme, label, kind
    INTO NAME column_name VALUE value
) AS cells
WHERE staging.clean_text(value) IS NULL
UNION ALL
SELECT source_file, source_row, 'code_id', code_id, 'the code_id is listed more than once'
FROM raw.codebook
WHERE staging.clean_text(code_id) IS NOT NULL
QUALIFY count(*) OVER (PARTITION BY staging.clean_text(code_id)) > 1
UNION ALL
SELECT source_file, source_row, 'kind', kind, 'kind must be level or mention'
FROM raw.codebook
WHERE staging.clean_text(kind) IS NOT NULL AND lower(staging.clean_text(kind)) NOT IN ('level', 'mention')
UNION ALL
SELECT source_file, source_row, 'levels', levels_as_given, 'a level code needs its levels, lowest first, separated by |'
FROM staging.stg_codebook
WHERE kind = 'level' AND (levels IS NULL OR len(list_filter(levels, lambda l: l IS NOT NULL)) = 0)
UNION ALL
SELECT source_file, source_row, 'levels', levels_as_given,
    'the levels must be different from each other, and not empty between two |'
FROM staging.stg_codebook
WHERE kind = 'level'
    AND levels IS NOT NULL
    AND len(list_distinct(list_transform(levels, lambda l: lower(l)))) < len(levels)
UNION ALL
SELECT source_file, source_row, 'levels', levels_as_given,
    '''not coded'' and ''mentioned'' are reserved words and cannot be levels'
FROM staging.stg_codebook
WHERE list_has_any(list_transform(levels, lambda l: lower(l)), ['not coded', 'mentioned']);
