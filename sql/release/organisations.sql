-- How many interviews each organisation gave in each wave it took part in,
-- summed up for the stakeholder mix's note on why organisations are not
-- named: organisation-waves with a single interview (whose name would
-- identify the interviewee), with several, and the fewest and most
-- interviews of those with several. Read from marts.stakeholder_mix.
WITH source AS (
    SELECT wave_id, category AS organisation, n
    FROM marts.stakeholder_mix
    WHERE dimension = 'organisation' AND n > 0
),
final AS (
    SELECT
        count(*) AS taking_part,
        count(*) FILTER (WHERE n = 1) AS single,
        count(*) FILTER (WHERE n > 1) AS several,
        min(n) FILTER (WHERE n > 1) AS fewest,
        max(n) AS most
    FROM source
)
SELECT * FROM final;
