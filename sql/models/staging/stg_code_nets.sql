-- One row per level code that has a net: the top levels the release publishes
-- as one headline count. The net is the codebook's net_levels when given
-- (matched to the levels in any case, named as the levels spell them), else the
-- levels above the middle: the top floor(n / 2) of n levels, so a code with one
-- level has none. Members are listed, and the net named, in level order.
CREATE OR REPLACE TABLE staging.stg_code_nets AS
WITH codes AS (
    SELECT code_id, list_transform(net_levels, lambda level: lower(level)) AS given_members
    FROM staging.stg_codebook
    WHERE kind = 'level'
),
levels AS (
    SELECT code_id, level, level_order, count(*) OVER (PARTITION BY code_id) AS levels_in_code
    FROM staging.stg_code_levels
),
members AS (
    SELECT
        levels.code_id,
        levels.level,
        levels.level_order,
        codes.given_members IS NULL AS is_default
    FROM levels
    JOIN codes USING (code_id)
    WHERE CASE
        WHEN codes.given_members IS NULL THEN levels.level_order > levels.levels_in_code - levels.levels_in_code // 2
        ELSE list_contains(codes.given_members, lower(levels.level))
    END
),
final AS (
    SELECT
        code_id,
        string_agg(level, ' or ' ORDER BY level_order) AS net,
        list(level ORDER BY level_order) AS net_levels,
        is_default
    FROM members
    GROUP BY code_id, is_default
)
SELECT * FROM final ORDER BY code_id;
