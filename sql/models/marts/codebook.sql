-- The codebook as the tables print it: one row per code with its theme, label,
-- kind and position, a level code's levels lowest first, and its net (the top
-- levels published as one count, staging.stg_code_nets) with the net's levels.
CREATE OR REPLACE TABLE marts.codebook AS
WITH codes AS (
    SELECT code_id, theme, label, kind, code_order, levels FROM staging.stg_codebook
),
nets AS (
    SELECT code_id, net, net_levels, is_default FROM staging.stg_code_nets
),
final AS (
    SELECT
        codes.code_id,
        codes.theme,
        codes.label,
        codes.kind,
        codes.code_order,
        codes.levels,
        nets.net,
        nets.net_levels,
        nets.is_default AS net_is_default
    FROM codes
    LEFT JOIN nets ON nets.code_id = codes.code_id
)
SELECT * FROM final ORDER BY code_order;
