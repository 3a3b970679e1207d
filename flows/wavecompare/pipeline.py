"""The Prefect flow: find the study's files, load them raw, stage and validate
them, build the marts, validate those and publish, in that order.

Each task opens its own DuckDB connection to the run's build database (never
passed between tasks). The build database and the staged outputs sit beside
their destinations and replace them only when everything passed; a rejected
run's build database is kept beside the warehouse for inspection.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State

from wavecompare import sqlfiles
from wavecompare.contract import ALL_KINDS
from wavecompare.discover import Study, discover
from wavecompare.problems import Problem, describe
from wavecompare.publish import export_tables, swap_in
from wavecompare.tabular import load_file
from wavecompare.validation import Validator, quarantine_problems, validate_inputs, validate_published
from wavecompare.warehouse import connect_build

DEFAULT_RAW_DIR = Path("data/raw")
DEFAULT_WAREHOUSE = Path("data/warehouse.duckdb")
DEFAULT_OUT_DIR = Path("data/processed")

KINDS = {kind.name: kind for kind in ALL_KINDS}


@dataclass(frozen=True)
class RunResult:
    """What a successful run published (or, with publish off, would have)."""

    run_id: str
    warehouse: Path
    out_dir: Path
    table_rows: dict[str, int]
    reconciliation: tuple[tuple[str, int, int, int], ...]
    report: Path


@task(cache_policy=NO_CACHE)
def find_inputs(raw_dir: Path) -> Study:
    """List and fingerprint the study's files."""
    study = discover(raw_dir)
    get_run_logger().info("Found %d input files in %s", len(study.files), raw_dir)
    return study


@task(cache_policy=NO_CACHE)
def load_raw(study: Study, build_db: Path, run_id: str) -> list[Problem]:
    """Load every file into the raw layer, each row with its lineage; returns
    the problems with files as a whole (unreadable, no header, missing columns)."""
    logger = get_run_logger()
    problems: list[Problem] = []
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with connect_build(build_db) as con:
        sqlfiles.run(con, "raw/create_tables.sql")
        sqlfiles.run(con, "validation/create_tables.sql")
        sqlfiles.run(con, "raw/wave_folders.sql", folders=list(study.wave_folders))
        for file in study.files:
            rows, file_problems = load_file(con, file, KINDS[file.kind], run_id=run_id, loaded_at=loaded_at)
            problems += file_problems
            logger.info("Loaded %s: %d rows (sha256 %s…)", file.name, rows, file.sha256[:12])
    return problems


@task(cache_policy=NO_CACHE)
def stage_and_validate(build_db: Path, validator: Validator) -> list[Problem]:
    """Build the staging layer and validate every input file against its suite."""
    with connect_build(build_db) as con:
        sqlfiles.build(con, "staging")
        validate_inputs(con, validator)
        problems = quarantine_problems(con)
    get_run_logger().info("Validated the study: %d rule(s) failed", len(problems))
    return problems


@task(cache_policy=NO_CACHE)
def build_marts(build_db: Path, validator: Validator) -> list[Problem]:
    """Build the comparison tables and check their internal consistency."""
    with connect_build(build_db) as con:
        sqlfiles.build(con, "marts")
        validate_published(con, validator)
        problems = quarantine_problems(con)
    return problems


@task(cache_policy=NO_CACHE)
def write_report(validator: Validator) -> Path:
    """Render the run's validation results as Great Expectations Data Docs."""
    return validator.build_docs()


@task(cache_policy=NO_CACHE)
def reconcile(build_db: Path) -> tuple[tuple[str, int, int, int], ...]:
    """Rows read = rows loaded + rows quarantined, per file."""
    with connect_build(build_db) as con:
        rows = con.execute("SELECT * FROM validation.reconciliation").fetchall()
    for file, read, loaded, quarantined in rows:
        get_run_logger().info("%s: %d rows read = %d loaded + %d quarantined", file, read, loaded, quarantined)
    return tuple(rows)


@task(cache_policy=NO_CACHE)
def publish(build_db: Path, warehouse: Path, out_dir: Path, staged: Path) -> dict[str, int]:
    """Export the tables to `staged` and swap the new warehouse and outputs into place."""
    with connect_build(build_db) as con:
        counts = export_tables(con, staged)
        con.execute("CHECKPOINT").complete()
    files = swap_in(staged, out_dir, build_db, warehouse)
    get_run_logger().info("Published %d files to %s and the warehouse %s", len(files), out_dir, warehouse)
    return counts


def _discard(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def rejected_path(warehouse: Path) -> Path:
    """Where a rejected run's build database is kept for inspection."""
    return warehouse.with_name(warehouse.stem + ".rejected.duckdb")


def reconciliation_line(reconciliation) -> str:
    """Rows read = loaded + quarantined: each file with quarantined rows, then the rest together."""
    held = [r for r in reconciliation if r[3]]
    clean = [r for r in reconciliation if not r[3]]
    parts = [f"{file} {read} = {loaded} + {kept}" for file, read, loaded, kept in held]
    if clean:
        read = sum(r[1] for r in clean)
        label = "the other" if held else "all"
        parts.append(f"{label} {len(clean)} file(s) {read} = {read} + 0")
    return "Rows read = loaded + quarantined: " + "; ".join(parts) + "."


UNREAD_NOTE = "The rules on rows are checked once every file can be read."


def _rejected(problems, build_db: Path, warehouse: Path, report: Path, reconciliation, note: str = "") -> State:
    kept = rejected_path(warehouse)
    if build_db.exists():
        os.replace(build_db, kept)
    lines = [describe(problems)] + ([note] if note else [])
    if reconciliation:
        lines.append(reconciliation_line(reconciliation))
    lines.append(f"The rejected rows are in the table validation.quarantine of {kept}.")
    if report.exists():
        lines.append(f"Validation report: {report}")
    return Failed(message="\n".join(lines))


@flow(name="wavecompare")
def wavecompare_flow(
    raw_dir: Path = DEFAULT_RAW_DIR,
    warehouse: Path = DEFAULT_WAREHOUSE,
    out_dir: Path = DEFAULT_OUT_DIR,
    publish_outputs: bool = True,
) -> State:
    """Ingest → validate → transform → validate → publish one study."""
    raw_dir, warehouse, out_dir = Path(raw_dir), Path(warehouse), Path(out_dir)
    run_id = str(flow_run.id or uuid.uuid4())
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    build_db = warehouse.with_name(f".{warehouse.name}.build-{run_id}")
    staged = out_dir / f".build-{run_id}"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    validator = Validator(out_dir / "validation" / f"{stamp}-{run_id[:8]}")
    report = validator.docs_dir / "index.html"
    try:
        study = find_inputs(raw_dir)
        problems = list(study.problems) + load_raw(study, build_db, run_id)
        if problems:
            return _rejected(problems, build_db, warehouse, report, (), note=UNREAD_NOTE)
        problems = stage_and_validate(build_db, validator)
        reconciliation = reconcile(build_db)
        if not problems:
            problems = build_marts(build_db, validator)
        write_report(validator)
        if problems:
            return _rejected(problems, build_db, warehouse, report, reconciliation)
        counts: dict[str, int] = {}
        if publish_outputs:
            counts = publish(build_db, warehouse, out_dir, staged)
            _discard(rejected_path(warehouse))
    finally:
        leftovers = [build_db.with_name(build_db.name + suffix) for suffix in (".wal", ".tmp")]
        _discard(build_db, *leftovers, staged)
    result = RunResult(run_id, warehouse, out_dir, counts, reconciliation, report)
    return Completed(message="Published" if publish_outputs else "Validated", data=result)
