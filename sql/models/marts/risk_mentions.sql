-- Risks raised: for each wave, stakeholder group (and 'All') and risk code, the
-- interviews that raised the risk at least once, out of the base.
CREATE OR REPLACE TABLE marts.risk_mentions AS
WITH reach AS (
    SELECT * FROM staging.int_code_reach WHERE theme = 'risk'
),
final AS (
    SELECT
        wave_id,
        stakeholder_group,
        code_id,
        n_coded AS n,
        base,
        staging.pct(n_coded, base) AS pct,
        code_label,
        wave_order,
        group_order,
        code_order
    FROM reach
)
SELECT wave_id, stakeholder_group, code_id, n, base, pct, code_label
FROM final
ORDER BY wave_order, group_order, code_order;
