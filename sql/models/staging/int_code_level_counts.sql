-- How many interviews of each wave, stakeholder group and service area were
-- coded with each level of each code (mention codes: 'mentioned'). Every table
-- of codes is summed from these few rows instead of reading the coded
-- interviews (one row per interview, code and level) again. service_area is
-- NULL where the interview states none.
CREATE OR REPLACE TABLE staging.int_code_level_counts AS
WITH coded AS (
    SELECT wave_id, interview_id, code_id, level FROM staging.int_coded_interviews
),
interviews AS (
    SELECT DISTINCT wave_id, interview_id, stakeholder_group, service_area FROM staging.stg_interviews
),
final AS (
    SELECT
        interviews.wave_id,
        interviews.stakeholder_group,
        interviews.service_area,
        coded.code_id,
        coded.level,
        count(*) AS n
    FROM coded
    JOIN interviews ON interviews.wave_id = coded.wave_id AND interviews.interview_id = coded.interview_id
    GROUP BY ALL
)
SELECT * FROM final;
