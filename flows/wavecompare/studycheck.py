"""The checks of a run, without Prefect: load a study's files raw, stage them, pass the input gate, build the
marts and pass the published gate, in one build database.

The flow's tasks are these steps with a run logger, so a check and a run cannot differ. Checking a study this way
takes about a second (no API server, no task runs), which is what the bad-input corpus needs.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from wavecompare import graph
from wavecompare.contract import ALL_KINDS
from wavecompare.discover import EXPORT, Study
from wavecompare.problems import Problem
from wavecompare.qda.loading import load_export
from wavecompare.tabular import load_file
from wavecompare.validation import Validator, quarantine_problems, validate_inputs, validate_published
from wavecompare.warehouse import connect_build, create_layers

KINDS = {kind.name: kind for kind in ALL_KINDS}
UNREAD_NOTE = "The rules on rows are checked once every file can be read."

Reconciliation = tuple[tuple[str, int, int, int], ...]


def load(study: Study, build_db: Path, run_id: str, logger: logging.Logger | logging.LoggerAdapter) -> list[Problem]:
    """Load every file into the raw layer, each row with its lineage; returns the problems with files as a whole
    (unreadable, no header, missing columns). It replaces the raw tables, so a retry starts clean."""
    problems: list[Problem] = []
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with connect_build(build_db) as con:
        create_layers(con, list(study.wave_folders))
        for file in study.tables:
            if file.kind == EXPORT:
                rows, file_problems = load_export(con, file, run_id=run_id, loaded_at=loaded_at)
            else:
                rows, file_problems = load_file(con, file, KINDS[file.kind], run_id=run_id, loaded_at=loaded_at)
            problems += file_problems
            logger.info("Loaded %s: %d rows (sha256 %s…)", file.name, rows, file.sha256[:12])
    return problems


def stage_and_validate(build_db: Path, validator: Validator, models: graph.Graph) -> list[Problem]:
    """Build the staging layer and validate every input file against its suite."""
    with connect_build(build_db) as con:
        graph.build(con, "staging", models)
        validate_inputs(con, validator, models)
        return quarantine_problems(con)


def build_marts(build_db: Path, validator: Validator, models: graph.Graph) -> list[Problem]:
    """Build the comparison tables and check their internal consistency."""
    with connect_build(build_db) as con:
        graph.build(con, "marts", models)
        validate_published(con, validator, models)
        return quarantine_problems(con)


def reconcile(build_db: Path) -> Reconciliation:
    """Rows read = rows loaded + rows quarantined, per file."""
    with connect_build(build_db) as con:
        return tuple(con.execute("SELECT * FROM validation.reconciliation").fetchall())


def reconciliation_line(reconciliation: Reconciliation) -> str:
    """Rows read = loaded + quarantined: each file with quarantined rows, then the rest together."""
    held = [r for r in reconciliation if r[3]]
    clean = [r for r in reconciliation if not r[3]]
    parts = [f"{file} {read} = {loaded} + {kept}" for file, read, loaded, kept in held]
    if clean:
        read = sum(r[1] for r in clean)
        label = "the other" if held else "all"
        parts.append(f"{label} {len(clean)} file(s) {read} = {read} + 0")
    return "Rows read = loaded + quarantined: " + "; ".join(parts) + "."
