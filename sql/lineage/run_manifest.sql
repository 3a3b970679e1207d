-- One row for the run that built this warehouse; the validation outcome is
-- taken from the run's own results and quarantine.
INSERT INTO lineage.run_manifest
WITH outcome AS (
    SELECT count(*) AS rules_checked, count(*) FILTER (WHERE NOT success) AS rules_failed
    FROM validation.results
),
quarantined AS (
    SELECT count(DISTINCT (source_file, source_row)) AS rows_quarantined FROM validation.quarantine
),
final AS (
    SELECT
        $run_id AS run_id,
        $flow_run_id AS flow_run_id,
        $status AS status,
        $started_at::TIMESTAMPTZ AS started_at,
        $built_at::TIMESTAMPTZ AS built_at,
        $package_version AS package_version,
        $git_commit AS git_commit,
        $code_fingerprint AS code_fingerprint,
        outcome.rules_checked,
        outcome.rules_failed,
        quarantined.rows_quarantined
    FROM outcome, quarantined
)
SELECT * FROM final
