-- The quote bank's source: the first $per_group excerpts (in the study's files'
-- order) of each code, wave and stakeholder group, with wave, code and theme,
-- the interviewee's stakeholder group and how many interviews that group has in
-- the wave (for attribution by role only), and how many excerpts the study has
-- in all (for the bank's note). Interview ids and organisations are
-- deliberately not selected.
WITH source AS (
    SELECT wave_id, interview_id, code_id, trim(excerpt) AS excerpt, source_file, source_row
    FROM staging.stg_responses
    WHERE nullif(trim(excerpt), '') IS NOT NULL
),
interviews AS (
    SELECT wave_id, interview_id, stakeholder_group FROM staging.stg_interviews
),
group_sizes AS (
    SELECT wave_id, stakeholder_group, count(*) AS group_interviews
    FROM interviews
    GROUP BY wave_id, stakeholder_group
),
final AS (
    SELECT
        waves.label AS wave,
        codes.theme,
        source.code_id,
        codes.label AS code_label,
        interviews.stakeholder_group,
        group_sizes.group_interviews,
        source.excerpt,
        waves.wave_order,
        codes.code_order,
        source.source_file,
        source.source_row,
        row_number() OVER (
            PARTITION BY source.wave_id, source.code_id, interviews.stakeholder_group
            ORDER BY source.source_file, source.source_row
        ) AS nth_in_group,
        count(*) OVER () AS excerpts_in_study
    FROM source
    JOIN interviews ON interviews.wave_id = source.wave_id AND interviews.interview_id = source.interview_id
    JOIN group_sizes
        ON group_sizes.wave_id = interviews.wave_id AND group_sizes.stakeholder_group = interviews.stakeholder_group
    JOIN staging.stg_waves AS waves ON waves.wave_id = source.wave_id
    JOIN staging.stg_codebook AS codes ON codes.code_id = source.code_id
)
SELECT wave, theme, code_id, code_label, stakeholder_group, group_interviews, excerpt, excerpts_in_study
FROM final
WHERE nth_in_group <= $per_group
ORDER BY wave_order, code_order, stakeholder_group, source_file, source_row;
