-- What a released excerpt must not name: the study's own organisations and its
-- interview ids, each distinct value once, longest first (so that a longer name
-- is redacted before a shorter one inside it).
WITH source AS (
    SELECT organisation, interview_id FROM staging.stg_interviews
),
terms AS (
    SELECT 'organisation' AS kind, organisation AS term FROM source WHERE organisation IS NOT NULL
    UNION
    SELECT 'interview id' AS kind, interview_id AS term FROM source
),
final AS (
    SELECT kind, term FROM terms
)
SELECT * FROM final ORDER BY kind, length(term) DESC, term;
