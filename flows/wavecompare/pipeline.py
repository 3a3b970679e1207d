"""The Prefect flow: find the study's files, load them raw, stage and check them,
build the marts and publish, in that order.

Each task opens its own DuckDB connection to the run's build database (never
passed between tasks). The build database and the staged outputs sit beside
their destinations and replace them only when everything passed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State

from wavecompare import sqlfiles
from wavecompare.checks import run_checks
from wavecompare.contract import ALL_KINDS
from wavecompare.discover import Study, discover
from wavecompare.problems import Problem, describe
from wavecompare.publish import export_tables, swap_in
from wavecompare.tabular import load_file
from wavecompare.warehouse import connect_build

DEFAULT_RAW_DIR = Path("data/raw")
DEFAULT_WAREHOUSE = Path("data/warehouse.duckdb")
DEFAULT_OUT_DIR = Path("data/processed")

KINDS = {kind.name: kind for kind in ALL_KINDS}


@dataclass
class LoadReport:
    """Rows loaded per input file, and what could not be read."""

    rows: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class RunResult:
    """What a successful run published."""

    run_id: str
    warehouse: Path
    out_dir: Path
    table_rows: dict[str, int]
    files: tuple[Path, ...]
    input_rows: dict[str, int]


@task(cache_policy=NO_CACHE)
def find_inputs(raw_dir: Path) -> Study:
    """List and fingerprint the study's files."""
    study = discover(raw_dir)
    get_run_logger().info("Found %d input files in %s", len(study.files), raw_dir)
    return study


@task(cache_policy=NO_CACHE)
def load_raw(study: Study, build_db: Path, run_id: str) -> LoadReport:
    """Load every file into the raw layer, each row with its lineage."""
    logger = get_run_logger()
    report = LoadReport()
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with connect_build(build_db) as con:
        sqlfiles.run(con, "raw/create_tables.sql")
        sqlfiles.run(con, "raw/wave_folders.sql", folders=list(study.wave_folders))
        for file in study.files:
            rows, problems = load_file(con, file, KINDS[file.kind], run_id=run_id, loaded_at=loaded_at)
            report.rows[file.name] = rows
            report.problems += problems
            logger.info("Loaded %s: %d rows (sha256 %s…)", file.name, rows, file.sha256[:12])
    return report


@task(cache_policy=NO_CACHE)
def stage_and_check(build_db: Path) -> list[Problem]:
    """Build the staging layer and run every input check against it."""
    with connect_build(build_db) as con:
        sqlfiles.build(con, "staging")
        problems = run_checks(con)
    get_run_logger().info("Checked the study: %d problem(s)", len(problems))
    return problems


@task(cache_policy=NO_CACHE)
def build_marts(build_db: Path) -> None:
    """Build the comparison tables."""
    with connect_build(build_db) as con:
        sqlfiles.build(con, "marts")


@task(cache_policy=NO_CACHE)
def publish(build_db: Path, warehouse: Path, out_dir: Path, run_id: str) -> tuple[dict[str, int], list[Path]]:
    """Export the tables and swap the new warehouse and outputs into place."""
    staged = out_dir / f".build-{run_id}"
    with connect_build(build_db) as con:
        counts = export_tables(con, staged)
        con.execute("CHECKPOINT").complete()
    files = swap_in(staged, out_dir, build_db, warehouse)
    get_run_logger().info("Published %d files to %s and the warehouse %s", len(files), out_dir, warehouse)
    return counts, files


def _discard(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


@flow(name="wavecompare", log_prints=True)
def wavecompare_flow(
    raw_dir: Path = DEFAULT_RAW_DIR,
    warehouse: Path = DEFAULT_WAREHOUSE,
    out_dir: Path = DEFAULT_OUT_DIR,
) -> State:
    """Ingest → validate → transform → publish one study."""
    raw_dir, warehouse, out_dir = Path(raw_dir), Path(warehouse), Path(out_dir)
    run_id = flow_run.id or uuid.uuid4().hex
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    build_db = warehouse.with_name(f".{warehouse.name}.build-{run_id}")
    staged = out_dir / f".build-{run_id}"
    try:
        study = find_inputs(raw_dir)
        report = load_raw(study, build_db, run_id)
        problems = list(study.problems) + report.problems
        if not problems:
            problems = stage_and_check(build_db)
        if problems:
            return Failed(message=describe(problems), data=problems)
        build_marts(build_db)
        counts, files = publish(build_db, warehouse, out_dir, run_id)
    finally:
        _discard(build_db, build_db.with_name(build_db.name + ".wal"), staged)
    result = RunResult(run_id, warehouse, out_dir, counts, tuple(files), report.rows)
    return Completed(message=f"Published {len(files)} files", data=result)
