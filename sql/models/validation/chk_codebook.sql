-- One row per row of codebook.csv: the checks the codebook suite asserts.
CREATE OR REPLACE TABLE validation.chk_codebook AS
WITH source AS (
    SELECT
        raw.source_file,
        raw.source_row,
        raw.code_id AS given_code_id,
        raw.theme AS given_theme,
        raw.label AS given_label,
        raw.kind AS given_kind,
        raw.levels AS given_levels,
        codes.code_id,
        codes.theme,
        codes.kind,
        codes.levels
    FROM raw.codebook AS raw
    JOIN staging.stg_codebook AS codes USING (source_file, source_row)
),
-- look-alikes among the code_ids, and among the levels of each row (validation/identifiers.sql)
lookalikes AS (
    SELECT
        source_file,
        source_row,
        any_value(resembles) FILTER (WHERE kind = 'code_id') AS code_id_resembles,
        count(resembles) FILTER (WHERE kind = 'level') AS levels_resembling
    FROM validation.identifiers
    WHERE kind IN ('code_id', 'level')
    GROUP BY ALL
),
final AS (
    SELECT
        source_file,
        source_row,
        given_code_id,
        given_theme,
        given_label,
        given_kind,
        given_levels,
        staging.naming_invisible(given_code_id) AS given_code_id_invisible,
        code_id || ' looks like ' || lookalikes.code_id_resembles AS given_code_id_lookalike,
        staging.naming_invisible(given_levels) AS given_levels_invisible,
        code_id IS NOT NULL AS code_id_given,
        CASE WHEN code_id IS NOT NULL THEN len(staging.invisible_characters(code_id)) = 0 END AS code_id_visible,
        CASE WHEN code_id IS NOT NULL THEN lookalikes.code_id_resembles IS NULL END AS code_id_unlike_others,
        theme IS NOT NULL AS theme_given,
        staging.clean_text(given_label) IS NOT NULL AS label_given,
        kind IS NOT NULL AS kind_given,
        CASE WHEN code_id IS NOT NULL THEN count(*) OVER (PARTITION BY code_id) = 1 END AS code_id_unique,
        theme,
        kind,
        CASE WHEN kind = 'level' THEN coalesce(len(list_filter(levels, lambda l: l IS NOT NULL)), 0) > 0 END
            AS levels_listed,
        CASE WHEN kind = 'level' AND levels IS NOT NULL
            THEN len(staging.invisible_characters(given_levels)) = 0 END AS levels_visible,
        CASE WHEN kind = 'level' AND levels IS NOT NULL
            THEN len(list_distinct(list_transform(levels, lambda l: lower(l)))) = len(levels)
                AND coalesce(lookalikes.levels_resembling, 0) = 0
        END AS levels_distinct,
        CASE WHEN kind = 'level' AND levels IS NOT NULL
            THEN NOT list_has_any(list_transform(levels, lambda l: lower(l)), ['not coded', 'mentioned'])
        END AS levels_not_reserved
    FROM source
    LEFT JOIN lookalikes USING (source_file, source_row)
)
SELECT * FROM final;
