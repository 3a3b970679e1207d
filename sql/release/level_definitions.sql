-- Each level code's levels and net, for the Read me: the code's label, its
-- levels lowest first (as the codebook spells them), the net's name and levels
-- and whether it is the default net (NULL for a code of one level, which has
-- no net), in codebook order (marts.codebook).
WITH codes AS (
    SELECT code_id, label, levels, net, net_levels, net_is_default, code_order
    FROM marts.codebook
    WHERE kind = 'level'
),
final AS (
    SELECT code_id, label, levels, net, net_levels, net_is_default AS is_default, code_order FROM codes
)
SELECT code_id, label, levels, net, net_levels, is_default FROM final ORDER BY code_order;
