"""The Prefect flow: find the study's files, load them raw, stage and validate
them, build the marts, validate those and publish, in that order.

One run at a time holds the warehouse's lock. A run whose inputs and code match
the published manifest stops at "up to date" and changes nothing. Each task
opens its own DuckDB connection to the run's build database (never passed
between tasks). Everything a run may publish is built in its own hidden run
folder and becomes the published state in one step, the swap of the `current`
pointer (publish.py), only when everything passed; a rejected run's build
database is kept beside the warehouse for inspection. A fault of the machine
(a full disk, a read-only folder, a file gone mid-run) ends the run with one
plain sentence; its traceback goes to the run's log.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State

import wavecompare
from wavecompare import graph, manifest, rules, studycheck
from wavecompare.artifacts import publish_artifacts, up_to_date_artifact
from wavecompare.discover import Study, discover
from wavecompare.faults import fault_sentence, is_machine_fault
from wavecompare.layout import DEFAULT_OUT_DIR, DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE
from wavecompare.problems import RELEASE_REFUSED, STUDY_REFUSED, Problem, describe
from wavecompare.publish import (
    CURRENT,
    WAREHOUSE_FILE,
    LayoutProblem,
    adopt_earlier_layout,
    build_folder,
    check_layout,
    companions,
    current_folder,
    discard,
    export_tables,
    leftovers,
    publish_folder,
    run_folder_name,
)
from wavecompare.release.model import ReleaseTable
from wavecompare.release.refusal import ReleaseRefused
from wavecompare.release.settings import ReleaseSettings
from wavecompare.release.study import StudyText
from wavecompare.retention import DEFAULT_KEEP_RUNS, rejected_path, retire, written_since_published
from wavecompare.runlock import RunInProgress, run_lock
from wavecompare.runlog import FILE_ONLY, log_to_file
from wavecompare.sessions import WarehouseInUse, no_writers
from wavecompare.studycheck import UNREAD_NOTE, Reconciliation, reconciliation_line
from wavecompare.validation import Validator
from wavecompare.warehouse import connect_build

BUSY = "Busy"  # the name of the Failed state of a run that found another run in progress


@dataclass(frozen=True)
class RunResult:
    """What a successful run published (or, with publish off, would have)."""

    run_id: str
    warehouse: Path
    out_dir: Path
    table_rows: dict[str, int]
    reconciliation: tuple[tuple[str, int, int, int], ...]
    report: Path | None
    work_seconds: float
    up_to_date: bool = False
    drift: studycheck.Drift = ()


def _transient(task, task_run, state) -> bool:
    """Retry file-system errors (a network share that dropped, a file still being
    copied in), never problems with the content, which are reported, not raised."""
    return isinstance(state.data, OSError)


FILE_RETRIES = {"retries": 2, "retry_delay_seconds": 2, "retry_condition_fn": _transient}


@task(cache_policy=NO_CACHE, **FILE_RETRIES)
def find_inputs(raw_dir: Path) -> Study:
    """List and fingerprint the study's files."""
    study = discover(raw_dir)
    get_run_logger().info("Found %d input files in %s", len(study.files), raw_dir)
    return study


@task(cache_policy=NO_CACHE, **FILE_RETRIES)
def load_raw(study: Study, build_db: Path, run_id: str) -> list[Problem]:
    """Load every file into the raw layer (studycheck.load)."""
    return studycheck.load(study, build_db, run_id, get_run_logger())


@task(cache_policy=NO_CACHE)
def stage_and_validate(build_db: Path, validator: Validator, models: graph.Graph) -> list[Problem]:
    """Build the staging layer and validate every input file against its suite."""
    problems = studycheck.stage_and_validate(build_db, validator, models)
    get_run_logger().info("Validated the study: %d rule(s) failed", len(problems))
    return problems


@task(cache_policy=NO_CACHE)
def build_marts(build_db: Path, validator: Validator, models: graph.Graph) -> list[Problem]:
    """Build the comparison tables and check their internal consistency."""
    return studycheck.build_marts(build_db, validator, models)


@task(cache_policy=NO_CACHE)
def write_report(validator: Validator) -> Path:
    """Render the run's validation results as Great Expectations Data Docs."""
    return validator.build_docs()


@task(cache_policy=NO_CACHE)
def reconcile(build_db: Path) -> Reconciliation:
    """Rows read = rows loaded + rows quarantined, per file."""
    rows = studycheck.reconcile(build_db)
    for file, read, loaded, quarantined in rows:
        get_run_logger().info("%s: %d rows read = %d loaded + %d quarantined", file, read, loaded, quarantined)
    return rows


@task(cache_policy=NO_CACHE)
def code_drift(build_db: Path) -> studycheck.Drift:
    """The exports' codes coded in some waves only (studycheck.code_drift), logged."""
    drift = studycheck.code_drift(build_db)
    if drift:
        get_run_logger().warning(studycheck.drift_line(drift))
    return drift


@task(cache_policy=NO_CACHE)
def build_release(build_db: Path, staged: Path, run_id: str, sources: list[str],
                  settings: ReleaseSettings, previous: Path | None, study: StudyText) -> list[ReleaseTable]:
    """Write the release-safe tables, charts, workbook and report for report writers to `staged/release`,
    audited against the published release in `previous` too (differencing), in the words of `study`."""
    from wavecompare.release.build import make_release  # SciPy, statsmodels, matplotlib: only when publishing

    with connect_build(build_db) as con:
        tables = make_release(con, staged / "release", run_id=run_id, time=_now().replace(microsecond=0),
                              sources=sources, settings=settings, previous=previous, study=study)
    get_run_logger().info("Wrote the release for report writers: %d tables", len(tables))
    return tables


@task(cache_policy=NO_CACHE)
def tidy_up(warehouse: Path, out_dir: Path) -> None:
    """Remove what killed runs left behind (none of it was ever published), and refuse a layout that
    publishing could not replace safely."""
    adopted = adopt_earlier_layout(warehouse, out_dir)
    if adopted:
        get_run_logger().warning("Moved the tables and warehouse an earlier version published into %s", adopted)
    check_layout(warehouse, out_dir)
    for path in leftovers(warehouse, out_dir):
        get_run_logger().info("Removing %s, left by an interrupted run", path)
        discard(path)


@task(cache_policy=NO_CACHE)
def publish(build: Path, warehouse: Path, out_dir: Path, name: str, facts: dict) -> dict:
    """Export the tables and the manifest into the build folder, then make it the published run."""
    build_db = build / WAREHOUSE_FILE
    with connect_build(build_db) as con:
        facts = {**facts, "tables": export_tables(con, build, facts["run_id"])}
        facts["validation"] = manifest.record(con, facts)
        con.execute("CHECKPOINT").complete()
    facts["warehouse"] = {"path": str(warehouse), "stamp": manifest.warehouse_stamp(build_db)}
    facts["outputs"] = manifest.output_hashes(build)
    manifest.write(facts, build)
    keep_report(build, out_dir)
    with no_writers(_published_warehouse(out_dir)):  # no writer can open the old build until the pointer moved
        folder = publish_folder(build, out_dir, name, warehouse)
    get_run_logger().info("Published the tables to %s and the warehouse %s", folder, warehouse)
    return facts


@task(cache_policy=NO_CACHE)
def keep_old_runs(out_dir: Path, keep: int) -> None:
    """Apply the retention setting to earlier run folders. It runs after publishing, so a folder that cannot be
    removed is a warning, not a failed run (the run's message would say nothing was published)."""
    try:
        kept = retire(out_dir, keep)
    except OSError as fault:
        get_run_logger().warning("Could not remove an earlier run: %s", fault_sentence(fault, out_dir))
        return
    for folder in kept:
        get_run_logger().warning("Kept %s beyond the %d runs to keep: its warehouse is open read-write or was "
                                 "written to after it was published (`wavecompare prune` removes it)", folder, keep)


def _published_warehouse(out_dir: Path) -> Path | None:
    current = current_folder(out_dir)
    return current / WAREHOUSE_FILE if current else None


def keep_report(build: Path, out_dir: Path) -> None:
    """Move the run's validation report from its build folder to OUT_DIR/validation/, where every run's stays."""
    for report in sorted((build / "validation").glob("*")):
        target = out_dir / "validation" / report.name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(report, target)
    discard(build / "validation")


def _rejected(problems, build: Path, warehouse: Path, out_dir: Path, report: Path, facts: dict,
              reconciliation, note: str = "", refused: tuple[str, str] = STUDY_REFUSED) -> State:
    """Keep the rejected build and its validation report; say what was wrong."""
    kept, build_db = rejected_path(warehouse), build / WAREHOUSE_FILE
    if build_db.exists():
        with connect_build(build_db) as con:
            manifest.record(con, {**facts, "status": "rejected", "tables": {}})
        shutil.move(build_db, kept)
    keep_report(build, out_dir)
    lines = [describe(problems, refused)] + ([note] if note else [])
    if reconciliation:
        lines.append(reconciliation_line(reconciliation))
    lines.append(f"The rejected rows are in the table validation.quarantine of {kept}.")
    if report.exists():
        lines.append(f"Validation report: {report}")
    return Failed(message="\n".join(lines))


def _facts(run_id: str, started_at: dt.datetime, study: Study, fingerprint: str) -> dict:
    """What the manifest says about this run, as far as it is known before anything is read."""
    return {
        "run_id": run_id,
        "flow_run_id": str(flow_run.id) if flow_run.id else None,
        "status": "published",
        "started_at": started_at.isoformat(),
        "built_at": _now().isoformat(),
        "package_version": wavecompare.__version__,
        "git_commit": manifest.git_commit(),
        "code_fingerprint": fingerprint,
        "inputs": manifest.inputs_of(study),
    }


def _built(facts: dict, study: Study, reconciliation) -> dict:
    """The facts once the study is built: when, and the rows read from each file."""
    rows_read = {file: read for file, read, _, _ in reconciliation}
    return {**facts, "built_at": _now().isoformat(), "inputs": manifest.inputs_of(study, rows_read)}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@flow(name="wavecompare")
def wavecompare_flow(
    raw_dir: Path = DEFAULT_RAW_DIR,
    warehouse: Path = DEFAULT_WAREHOUSE,
    out_dir: Path = DEFAULT_OUT_DIR,
    publish_outputs: bool = True,
    full_refresh: bool = False,
    release: dict[str, int | float | bool] | None = None,
    keep_runs: int = DEFAULT_KEEP_RUNS,
) -> State:
    """Ingest → validate → transform → validate → publish one study, unless it is up to date.

    `release` overrides the release settings (e.g. {"min_cell": 5}); see ReleaseSettings. `keep_runs` is how
    many published run folders to keep, the current one included."""
    clock, started_at = time.perf_counter(), _now()
    raw_dir, warehouse, out_dir = Path(raw_dir), Path(warehouse), Path(out_dir)
    run_id = str(flow_run.id or uuid.uuid4())
    stamp = run_folder_name(started_at, run_id)
    log = out_dir / "logs" / f"{stamp}.log"
    try:
        with run_lock(warehouse, run_id), log_to_file(log):
            try:
                return _run(raw_dir, warehouse, out_dir, publish_outputs, full_refresh,
                            ReleaseSettings(**(release or {})), keep_runs, run_id, stamp, started_at, clock)
            except (OSError, duckdb.Error) as fault:
                if not is_machine_fault(fault):
                    raise
                FILE_ONLY.error("The run stopped on a fault of the machine", exc_info=True)
                return Failed(message=f"{fault_sentence(fault, out_dir)}. Nothing published was changed; "
                                      f"the details are in the run's log {log}.")
    except (RunInProgress, WarehouseInUse) as busy:
        get_run_logger().warning("%s", busy)
        return Failed(message=str(busy), name=BUSY)
    except (LayoutProblem, graph.GraphError, rules.RulesError) as problem:
        return Failed(message=str(problem))
    except OSError as fault:  # the lock or the log could not even be opened
        return Failed(message=f"{fault_sentence(fault, out_dir)}. Nothing published was changed.")


def _run(raw_dir: Path, warehouse: Path, out_dir: Path, publish_outputs: bool, full_refresh: bool,
         settings: ReleaseSettings, keep_runs: int, run_id: str, stamp: str, started_at: dt.datetime,
         clock: float) -> State:
    get_run_logger().info("Run %s: study %s, warehouse %s, outputs %s", run_id, raw_dir, warehouse, out_dir)
    models = graph.load()  # a model that reads what nothing builds, or a cycle, stops the run before any work
    suites = rules.checked(models)  # and so does a rule that is malformed or checks a fact that does not exist
    tidy_up(warehouse, out_dir)
    if publish_outputs:
        with no_writers(_published_warehouse(out_dir)):  # say so now rather than after the work
            pass
        current = current_folder(out_dir)
        if current and written_since_published(current):
            get_run_logger().warning("The published warehouse was written to after its run published it; those "
                                     "writes stay in %s, which is kept until `wavecompare prune`", current)
    study = find_inputs(raw_dir)
    fingerprint = manifest.code_fingerprint(asdict(settings))
    previous = manifest.load(out_dir)
    if publish_outputs and not full_refresh and not study.problems and manifest.is_up_to_date(
        previous, study, fingerprint, warehouse, out_dir
    ):
        get_run_logger().info("Up to date: the inputs and code are those of run %s", previous["run_id"])
        up_to_date_artifact(previous["run_id"])
        result = RunResult(previous["run_id"], warehouse, out_dir, previous["tables"], (), None,
                           time.perf_counter() - clock, up_to_date=True)
        return Completed(message="Up to date", data=result)
    build = build_folder(out_dir, run_id)
    build.mkdir(parents=True)
    build_db = build / WAREHOUSE_FILE
    validator = Validator(build / "validation" / stamp, suites)
    report = out_dir / "validation" / stamp / "index.html"
    facts = _facts(run_id, started_at, study, fingerprint)
    try:
        problems = list(study.problems) + load_raw(study, build_db, run_id)
        if problems:
            return _rejected(problems, build, warehouse, out_dir, report, facts, (), note=UNREAD_NOTE)
        problems = stage_and_validate(build_db, validator, models)
        reconciliation = reconcile(build_db)
        drift = code_drift(build_db)
        if not problems:
            problems = build_marts(build_db, validator, models)
        write_report(validator)
        facts = _built(facts, study, reconciliation)
        if problems:
            return _rejected(problems, build, warehouse, out_dir, report, facts, reconciliation)
        counts: dict[str, int] = {}
        if publish_outputs:
            try:
                published = current_folder(out_dir)
                tables = build_release(build_db, build, run_id, [f.name for f in study.files], settings,
                                       published / "release" if published else None, study.text)
            except ReleaseRefused as refused:
                return _rejected(refused.problems, build, warehouse, out_dir, report, facts, reconciliation,
                                 refused=RELEASE_REFUSED)
            counts = publish(build, warehouse, out_dir, stamp, facts)["tables"]
            discard(rejected_path(warehouse))
            publish_artifacts(tables, out_dir / CURRENT / "release" / "report.md")
            keep_old_runs(out_dir, keep_runs)
        else:
            keep_report(build, out_dir)
    finally:
        discard(build, *companions(build_db))
    result = RunResult(run_id, warehouse, out_dir, counts, reconciliation, report, time.perf_counter() - clock,
                       drift=drift)
    return Completed(message="Published" if publish_outputs else "Validated", data=result)
