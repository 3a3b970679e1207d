-- Each level code's levels and net, for the Read me: the code's label, its
-- levels lowest first (staging.stg_codebook, as the codebook spells them),
-- the net's name and levels and whether it is the default net
-- (staging.stg_code_nets; NULL for a code of one level, which has no net),
-- in codebook order.
WITH codes AS (
    SELECT code_id, label, levels, code_order FROM staging.stg_codebook WHERE kind = 'level'
),
nets AS (
    SELECT code_id, net, net_levels, is_default FROM staging.stg_code_nets
),
final AS (
    SELECT codes.code_id, codes.label, codes.levels, nets.net, nets.net_levels, nets.is_default, codes.code_order
    FROM codes
    LEFT JOIN nets ON nets.code_id = codes.code_id
)
SELECT code_id, label, levels, net, net_levels, is_default FROM final ORDER BY code_order;
