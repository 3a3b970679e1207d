-- The validation outcome recorded for this warehouse's run.
SELECT rules_checked, rules_failed, rows_quarantined FROM lineage.run_manifest
