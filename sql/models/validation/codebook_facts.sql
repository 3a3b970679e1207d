-- What the codebook rules (expectations/codebook.yml) read: one row per row of
-- codebook.csv, its values from staging.stg_codebook (themes and kinds lower case,
-- levels a list), how often its code_id is listed, and the look-alikes among the
-- code_ids and among the row's levels (validation/identifiers.sql), and the net
-- levels that are not among the code's levels (any case; an empty one between
-- two | as '(empty)'). given_* hold the values as given, for messages.
CREATE OR REPLACE TABLE validation.codebook_facts AS
WITH codes AS (
    SELECT
        *,
        list_transform(
            list_filter(net_levels, lambda net: net IS NULL
                OR NOT coalesce(list_contains(list_transform(levels, lambda level: lower(level)), lower(net)), FALSE)),
            lambda net: coalesce(net, '(empty)')
        ) AS net_levels_unknown
    FROM staging.stg_codebook
),
lookalikes AS (
    SELECT
        source_file,
        source_row,
        any_value(resembles) FILTER (WHERE kind = 'code_id') AS resembles,
        count(resembles) FILTER (WHERE kind = 'level') AS levels_resembling
    FROM validation.identifiers
    WHERE kind IN ('code_id', 'level')
    GROUP BY ALL
),
final AS (
    SELECT
        raw.source_file,
        raw.source_row,
        raw.code_id AS given_code_id,
        raw.theme AS given_theme,
        raw.label AS given_label,
        raw.kind AS given_kind,
        raw.levels AS given_levels,
        staging.naming_invisible(raw.code_id) AS given_code_id_invisible,
        codes.code_id || ' looks like ' || lookalikes.resembles AS given_code_id_lookalike,
        staging.naming_invisible(raw.levels) AS given_levels_invisible,
        raw.net_levels AS given_net_levels,
        raw.net_levels || ' (not a level: ' || array_to_string(codes.net_levels_unknown, ', ')
            || '; the levels: ' || array_to_string(codes.levels, ' | ') || ')' AS given_net_levels_unknown,
        codes.code_id,
        count(*) OVER (PARTITION BY codes.code_id) AS code_id_listings,
        lookalikes.resembles,
        codes.theme,
        codes.label,
        codes.kind,
        codes.levels,
        codes.net_levels,
        codes.net_levels_unknown,
        coalesce(lookalikes.levels_resembling, 0) AS levels_resembling
    FROM raw.codebook AS raw
    JOIN codes USING (source_file, source_row)
    LEFT JOIN lookalikes USING (source_file, source_row)
)
SELECT * FROM final;
