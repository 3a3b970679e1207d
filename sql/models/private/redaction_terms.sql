-- What a released excerpt must not name, each term with the kind it is redacted
-- as, in the order the redaction tries them: the terms of the study's
-- redact.csv under their labels (in file order), then its own organisations
-- and interview ids. A term listed twice under one label is listed once.
CREATE OR REPLACE TABLE private.redaction_terms AS
WITH listed AS (
    SELECT label AS kind, term, source_row FROM staging.stg_redact WHERE term IS NOT NULL
),
interviews AS (
    SELECT organisation, interview_id FROM staging.stg_interviews
),
terms AS (
    SELECT 1 AS priority, kind, term, min(source_row) AS listed_at FROM listed GROUP BY kind, term
    UNION ALL
    SELECT DISTINCT 2 AS priority, 'organisation' AS kind, organisation AS term, NULL FROM interviews
    WHERE organisation IS NOT NULL
    UNION ALL
    SELECT DISTINCT 3 AS priority, 'interview id' AS kind, interview_id AS term, NULL FROM interviews
),
final AS (
    SELECT kind, term, row_number() OVER (ORDER BY priority, listed_at, term) AS term_order FROM terms
)
SELECT * FROM final ORDER BY term_order;
