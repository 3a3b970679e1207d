-- The quote bank's source: one row per excerpt (the same text of one interview
-- in one wave is one excerpt, whatever codes it is coded under), with its codes,
-- labels and themes joined with '; ' in the codebook's order, how it may be
-- attributed, and a speaker key drawn at random for this build.
--
-- Attribution ($min_group = k, sizes counted over the wave's interviews):
-- 'group' names the interviewee's stakeholder group (shown_group); 'merged'
-- marks the groups of fewer than k interviews in a wave where those groups
-- together have at least k, all read alike; 'none' marks every excerpt of a
-- wave whose groups under k together have fewer than k. So no attribution
-- tells one small group's excerpts from another group's.
--
-- Selection, within each wave and attribution (a merged set, or a wave with no
-- attribution, is one): a speaker whose attribution covers a group of fewer
-- than $min_unanimous_group interviews keeps only their first $per_speaker
-- excerpts; then each code keeps its first $per_group excerpts, in the study's
-- files' order, and an excerpt kept for any of its codes is kept once, with all
-- of them. Interview ids and organisations never leave this query; speakers
-- are numbered only over the interviews left in the bank.
WITH excerpts AS (
    -- one row per excerpt (private.quote_candidates); its id is what the rest groups and joins on
    SELECT
        excerpt_id,
        wave_id,
        interview_id,
        stakeholder_group,
        excerpt,
        code_ids AS code_list,
        count(*) OVER () AS excerpts_in_study
    FROM private.quote_candidates
),
coded AS (
    SELECT listed.excerpt_id, listed.code_id, codes.theme, codes.label, codes.code_order
    FROM (SELECT excerpt_id, unnest(code_list) AS code_id FROM excerpts) AS listed
    JOIN marts.codebook AS codes ON codes.code_id = listed.code_id
),
group_sizes AS (
    SELECT wave_id, category AS stakeholder_group, n AS group_interviews
    FROM marts.stakeholder_mix
    WHERE dimension = 'stakeholder_group' AND n > 0
),
small_groups AS (
    SELECT
        wave_id,
        stakeholder_group,
        group_interviews,
        coalesce(sum(group_interviews) FILTER (WHERE group_interviews < $min_group) OVER (PARTITION BY wave_id), 0)
            AS small_interviews
    FROM group_sizes
),
attributions AS (
    SELECT
        wave_id,
        stakeholder_group,
        CASE
            WHEN small_interviews > 0 AND small_interviews < $min_group THEN 'none'
            WHEN group_interviews < $min_group THEN 'merged'
            ELSE 'group'
        END AS attributed_as,
        group_interviews
    FROM small_groups
),
units AS (
    SELECT
        wave_id,
        stakeholder_group,
        attributed_as,
        CASE WHEN attributed_as = 'group' THEN stakeholder_group END AS shown_group,
        min(group_interviews) OVER (
            PARTITION BY wave_id, attributed_as, CASE WHEN attributed_as = 'group' THEN stakeholder_group END
        ) < $min_unanimous_group AS capped
    FROM attributions
),
speaking AS (
    SELECT
        excerpts.excerpt_id,
        excerpts.wave_id,
        excerpts.interview_id,
        units.attributed_as,
        units.shown_group,
        units.capped,
        row_number() OVER (
            PARTITION BY excerpts.wave_id, excerpts.interview_id ORDER BY excerpts.excerpt_id
        ) AS nth_of_speaker
    FROM excerpts
    JOIN units ON units.wave_id = excerpts.wave_id AND units.stakeholder_group = excerpts.stakeholder_group
),
eligible AS (
    SELECT * FROM speaking
    WHERE NOT capped OR nth_of_speaker <= $per_speaker
),
ranked AS (
    SELECT
        eligible.excerpt_id,
        eligible.wave_id,
        eligible.interview_id,
        row_number() OVER (
            PARTITION BY eligible.wave_id, eligible.attributed_as, eligible.shown_group, coded.code_id
            ORDER BY eligible.excerpt_id
        ) AS nth_of_code
    FROM eligible
    JOIN coded USING (excerpt_id)
),
kept AS (
    SELECT DISTINCT excerpt_id, wave_id, interview_id FROM ranked WHERE nth_of_code <= $per_group
),
kept_codes AS (
    SELECT coded.* FROM coded JOIN kept USING (excerpt_id)
),
themes AS (
    SELECT excerpt_id, theme, min(code_order) AS theme_order
    FROM kept_codes
    GROUP BY ALL
),
excerpt_themes AS (
    SELECT excerpt_id, string_agg(theme, '; ' ORDER BY theme_order) AS themes
    FROM themes
    GROUP BY ALL
),
excerpt_codes AS (
    SELECT
        excerpt_id,
        string_agg(code_id, '; ' ORDER BY code_order) AS code_ids,
        string_agg(label, '; ' ORDER BY code_order) AS code_labels,
        min(code_order) AS code_order
    FROM kept_codes
    GROUP BY ALL
),
draws AS (
    SELECT wave_id, interview_id, random() AS draw
    FROM (SELECT DISTINCT wave_id, interview_id FROM kept)
),
speakers AS (
    SELECT
        wave_id,
        interview_id,
        'R' || lpad(
            (row_number() OVER (ORDER BY draw))::VARCHAR, greatest(2, length((count(*) OVER ())::VARCHAR))::INTEGER, '0'
        ) AS speaker
    FROM draws
),
final AS (
    SELECT
        waves.label AS wave,
        excerpt_themes.themes AS theme,
        excerpt_codes.code_ids AS code_id,
        excerpt_codes.code_labels AS code_label,
        eligible.attributed_as,
        eligible.shown_group,
        speakers.speaker,
        excerpts.excerpt,
        excerpts.excerpts_in_study,
        waves.wave_order,
        excerpt_codes.code_order,
        eligible.excerpt_id
    FROM eligible
    JOIN kept USING (excerpt_id)
    JOIN excerpts USING (excerpt_id)
    JOIN excerpt_codes USING (excerpt_id)
    JOIN excerpt_themes USING (excerpt_id)
    JOIN speakers ON speakers.wave_id = eligible.wave_id AND speakers.interview_id = eligible.interview_id
    JOIN marts.waves AS waves ON waves.wave_id = eligible.wave_id
)
SELECT wave, theme, code_id, code_label, attributed_as, shown_group, speaker, excerpt, excerpts_in_study
FROM final
ORDER BY wave_order, code_order, attributed_as, shown_group, speaker, excerpt_id;
