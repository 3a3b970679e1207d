-- For each wave, stakeholder group, service area and theme of mention codes:
-- how many interviews mentioned at least one code of the theme (an "any
-- mention" net, which is not the sum of its codes: one interview can mention
-- several). service_area is NULL where the interview states none.
CREATE OR REPLACE TABLE staging.int_theme_reach AS
WITH coded AS (
    SELECT wave_id, interview_id, code_id FROM staging.int_coded_interviews WHERE level = 'mentioned'
),
codes AS (
    SELECT code_id, theme FROM staging.stg_codebook WHERE kind = 'mention'
),
interviews AS (
    SELECT DISTINCT wave_id, interview_id, stakeholder_group, service_area FROM staging.stg_interviews
),
reached AS (
    SELECT DISTINCT coded.wave_id, coded.interview_id, codes.theme
    FROM coded
    JOIN codes ON codes.code_id = coded.code_id
),
final AS (
    SELECT
        interviews.wave_id,
        interviews.stakeholder_group,
        interviews.service_area,
        reached.theme,
        count(*) AS n
    FROM reached
    JOIN interviews ON interviews.wave_id = reached.wave_id AND interviews.interview_id = reached.interview_id
    GROUP BY ALL
)
SELECT * FROM final;
