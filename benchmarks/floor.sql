-- The DuckDB floor: the five published tables computed by one plain SQL script
-- straight from the study's CSV files, with no validation, lineage or
-- orchestration. It is the least work DuckDB must do for the same output, so
-- the pipeline's overhead is measured against it. Expects the variables
-- `study` (the study folder) and `out` (the output folder).

-- Inputs, typed as read, in the stated CSV dialect (sniffing one file of a glob
-- can miss the quoting of another). The wave of an interview or response is its folder.
CREATE TABLE waves AS
SELECT wave_id, row_number() OVER (ORDER BY fieldwork_start, wave_id) AS wave_order
FROM read_csv(getvariable('study') || '/waves.csv',
    header = true, delim = ',', quote = '"', escape = '"', columns = {
    'wave_id': 'VARCHAR', 'label': 'VARCHAR', 'fieldwork_start': 'DATE', 'fieldwork_end': 'DATE',
    'planned_interviews': 'BIGINT'});

CREATE TABLE codebook AS
SELECT code_id, lower(theme) AS theme, label, lower(kind) AS kind, string_split(levels, '|') AS levels,
    ordinality AS code_order
FROM read_csv(getvariable('study') || '/codebook.csv',
    header = true, delim = ',', quote = '"', escape = '"', columns = {
    'code_id': 'VARCHAR', 'theme': 'VARCHAR', 'label': 'VARCHAR', 'kind': 'VARCHAR', 'levels': 'VARCHAR'})
    WITH ORDINALITY;

-- The documented mode synonyms, matched ignoring case, spaces and punctuation.
CREATE TABLE mode_synonyms AS
SELECT DISTINCT regexp_replace(lower(synonym), '[^a-z0-9]', '', 'g') AS synonym_key, mode
FROM (VALUES
    ('face_to_face', 'face_to_face'), ('Face to face', 'face_to_face'), ('F2F', 'face_to_face'),
    ('In person', 'face_to_face'), ('Personal visit', 'face_to_face'),
    ('CAPI', 'face_to_face'),
    ('telephone', 'telephone'), ('Phone', 'telephone'), ('Tel', 'telephone'), ('By telephone', 'telephone'),
    ('Telephone interview', 'telephone'), ('Mobile', 'telephone'), ('CATI', 'telephone'),
    ('video', 'video'), ('Video call', 'video'), ('Video conference', 'video'), ('Online video', 'video'),
    ('Teams', 'video'), ('MS Teams', 'video'), ('Microsoft Teams', 'video'), ('Zoom', 'video'),
    ('Skype', 'video'), ('Google Meet', 'video'), ('Webex', 'video'),
    ('online', 'online'), ('Online survey', 'online'), ('Web', 'online'), ('CAWI', 'online')
) AS synonyms(synonym, mode);

CREATE TABLE interviews AS
SELECT parse_filename(parse_dirpath(filename)) AS wave_id, interview_id, stakeholder_group, organisation_type,
    organisation, coalesce(synonyms.mode, 'other') AS mode, duration_minutes, service_area
FROM read_csv(getvariable('study') || '/*/interviews.csv',
    header = true, delim = ',', quote = '"', escape = '"', filename = true, columns = {
    'interview_id': 'VARCHAR', 'interview_date': 'DATE', 'stakeholder_group': 'VARCHAR',
    'organisation_type': 'VARCHAR', 'organisation': 'VARCHAR', 'mode': 'VARCHAR',
    'duration_minutes': 'DOUBLE', 'service_area': 'VARCHAR'}) AS interviews
LEFT JOIN mode_synonyms AS synonyms
    ON synonyms.synonym_key = regexp_replace(lower(interviews.mode), '[^a-z0-9]', '', 'g');

CREATE TABLE responses AS
SELECT parse_filename(parse_dirpath(filename)) AS wave_id, interview_id, code_id, value
FROM read_csv(getvariable('study') || '/*/responses.csv',
    header = true, delim = ',', quote = '"', escape = '"', filename = true, columns = {
    'interview_id': 'VARCHAR', 'code_id': 'VARCHAR', 'value': 'VARCHAR', 'excerpt': 'VARCHAR'});

-- Each interview once under its group and once under 'All'; every wave crossed
-- with every group ('All' first), with its base (0 where the group is absent).
CREATE TABLE interview_groups AS
SELECT wave_id, interview_id, stakeholder_group FROM interviews
UNION ALL
SELECT wave_id, interview_id, 'All' FROM interviews;

CREATE TABLE wave_groups AS
SELECT waves.wave_id, waves.wave_order, groups.stakeholder_group, groups.group_order, count(ig.interview_id) AS base
FROM waves
CROSS JOIN (
    SELECT stakeholder_group, row_number() OVER (ORDER BY stakeholder_group <> 'All', stakeholder_group) AS group_order
    FROM (SELECT DISTINCT stakeholder_group FROM interview_groups)
) AS groups
LEFT JOIN interview_groups AS ig ON ig.wave_id = waves.wave_id AND ig.stakeholder_group = groups.stakeholder_group
GROUP BY ALL;

-- Which interview was coded with which level of which code (any number of
-- segments count once); levels match ignoring case, mention codes 'mentioned'.
CREATE TABLE code_levels AS
SELECT code_id, unnest(levels) AS level, generate_subscripts(levels, 1) AS level_order
FROM codebook WHERE kind = 'level';

CREATE TABLE coded AS
SELECT DISTINCT responses.wave_id, responses.interview_id, responses.code_id,
    CASE WHEN codebook.kind = 'mention' THEN 'mentioned' ELSE code_levels.level END AS level
FROM responses
JOIN codebook USING (code_id)
LEFT JOIN code_levels ON code_levels.code_id = responses.code_id AND lower(code_levels.level) = lower(responses.value)
WHERE codebook.kind = 'mention' OR code_levels.level IS NOT NULL;

-- Interviews per wave, group, code and level; n_coded = interviews coded with
-- the code at all (the sum over levels, as an interview has one level per code).
CREATE TABLE counts AS
SELECT ig.wave_id, ig.stakeholder_group, coded.code_id, coded.level, count(*) AS n
FROM coded JOIN interview_groups AS ig USING (wave_id, interview_id)
GROUP BY ALL;

CREATE TABLE reach AS
SELECT wg.*, codebook.code_id, codebook.theme, codebook.label AS code_label, codebook.kind, codebook.code_order,
    coalesce(reached.n_coded, 0) AS n_coded
FROM wave_groups AS wg
CROSS JOIN codebook
LEFT JOIN (
    SELECT wave_id, stakeholder_group, code_id, sum(n)::BIGINT AS n_coded FROM counts GROUP BY ALL
) AS reached USING (wave_id, stakeholder_group, code_id);

CREATE MACRO pct(n, base) AS CASE WHEN base > 0 THEN CAST(round(100.0 * n / base, 1) AS DECIMAL(4, 1)) END;

-- Awareness and confidence: each level, then 'not coded' (so levels sum to the
-- base), or 'mentioned' for a mention code.
CREATE TABLE theme_levels AS
WITH levels AS (
    SELECT code_id, level, level_order FROM code_levels
    UNION ALL
    SELECT code_id, 'not coded', len(levels) + 1 FROM codebook WHERE kind = 'level'
    UNION ALL
    SELECT code_id, 'mentioned', 1 FROM codebook WHERE kind = 'mention'
),
final AS (
    SELECT reach.*, levels.level, levels.level_order,
        CASE WHEN levels.level = 'not coded' THEN reach.base - reach.n_coded ELSE coalesce(counts.n, 0) END AS n
    FROM reach
    JOIN levels USING (code_id)
    LEFT JOIN counts USING (wave_id, stakeholder_group, code_id, level)
    WHERE reach.theme IN ('awareness', 'confidence')
)
SELECT wave_id, stakeholder_group, theme, code_id, level, n, base, pct(n, base) AS pct, code_label, kind,
    wave_order, group_order, code_order, level_order
FROM final;

-- Stakeholder mix: every category of every dimension in every wave.
CREATE TABLE mix AS
WITH long AS (
    UNPIVOT (SELECT wave_id, stakeholder_group, organisation_type, organisation, mode,
                coalesce(service_area, 'not stated') AS service_area FROM interviews)
    ON stakeholder_group, organisation_type, organisation, mode, service_area
    INTO NAME dimension VALUE category
),
counts AS (
    SELECT wave_id, dimension, category, count(*) AS n FROM long GROUP BY ALL
),
categories AS (
    SELECT DISTINCT dimension, category FROM long
    -- service_area only when some interview has one
    WHERE dimension <> 'service_area' OR (SELECT count(service_area) FROM interviews) > 0
),
dimensions AS (
    SELECT * FROM (VALUES ('stakeholder_group', 1), ('organisation_type', 2), ('organisation', 3), ('mode', 4),
        ('service_area', 5)) AS d(dimension, dimension_order)
)
SELECT waves.wave_id, categories.dimension, categories.category, coalesce(counts.n, 0) AS n, wg.base,
    waves.wave_order, dimensions.dimension_order
FROM waves
CROSS JOIN categories
JOIN dimensions USING (dimension)
JOIN wave_groups AS wg ON wg.wave_id = waves.wave_id AND wg.stakeholder_group = 'All'
LEFT JOIN counts ON counts.wave_id = waves.wave_id AND counts.dimension = categories.dimension
    AND counts.category = categories.category;

-- The five published tables, in the pipeline's columns and row order.
COPY (SELECT wave_id, dimension, category, n, base, pct(n, base) AS pct FROM mix
      ORDER BY wave_order, dimension_order, category)
TO (getvariable('out') || '/stakeholder_mix.csv') (FORMAT csv, HEADER true);

COPY (SELECT waves.wave_id, count(duration_minutes) AS n, min(duration_minutes) AS "min",
          median(duration_minutes) AS "median", max(duration_minutes) AS "max"
      FROM waves LEFT JOIN interviews USING (wave_id)
      GROUP BY waves.wave_id, waves.wave_order ORDER BY waves.wave_order)
TO (getvariable('out') || '/interview_duration.csv') (FORMAT csv, HEADER true);

COPY (SELECT wave_id, stakeholder_group, code_id, level, n, base, pct, code_label, kind FROM theme_levels
      WHERE theme = 'awareness' ORDER BY wave_order, group_order, code_order, level_order)
TO (getvariable('out') || '/awareness.csv') (FORMAT csv, HEADER true);

COPY (SELECT wave_id, stakeholder_group, code_id, level, n, base, pct, code_label, kind FROM theme_levels
      WHERE theme = 'confidence' ORDER BY wave_order, group_order, code_order, level_order)
TO (getvariable('out') || '/confidence.csv') (FORMAT csv, HEADER true);

COPY (SELECT wave_id, stakeholder_group, code_id, n_coded AS n, base, pct(n_coded, base) AS pct, code_label
      FROM reach WHERE theme = 'risk' ORDER BY wave_order, group_order, code_order)
TO (getvariable('out') || '/risk_mentions.csv') (FORMAT csv, HEADER true);
