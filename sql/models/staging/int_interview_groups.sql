-- Each interview under its own stakeholder group and again under 'All', so that
-- every table can count the groups and the whole wave in one pass.
CREATE OR REPLACE TABLE staging.int_interview_groups AS
WITH interviews AS (
    SELECT wave_id, interview_id, stakeholder_group FROM staging.stg_interviews
),
final AS (
    SELECT wave_id, interview_id, stakeholder_group FROM interviews
    UNION ALL
    SELECT wave_id, interview_id, 'All' AS stakeholder_group FROM interviews
)
SELECT * FROM final;
