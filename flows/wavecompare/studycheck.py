"""The checks of a run, without Prefect: load a study's files raw, stage them, pass the input gate, build the
marts and pass the published gate, in one build database.

The flow's tasks are these steps with a run logger, so a check and a run cannot differ. Checking a study this way
takes about a second (no API server, no task runs), which is what the bad-input corpus needs.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from wavecompare import graph, sqlfiles
from wavecompare.contract import ALL_KINDS
from wavecompare.discover import EXPORT, Study
from wavecompare.problems import Problem
from wavecompare.qda.loading import load_export, loaded_headers
from wavecompare.tabular import load_file
from wavecompare.validation import Validator, quarantine_problems, validate_inputs, validate_published
from wavecompare.warehouse import connect_build, create_layers

KINDS = {kind.name: kind for kind in ALL_KINDS}
UNREAD_NOTE = "The rules on rows are checked once every file can be read."

Reconciliation = tuple[tuple[str, int, int, int], ...]
Drift = tuple[tuple[str, tuple[str, ...]], ...]
DRIFT_SHOWN = 10


def load(study: Study, build_db: Path, run_id: str, logger: logging.Logger | logging.LoggerAdapter) -> list[Problem]:
    """Load every file into the raw layer, each row with its lineage; returns the problems with files as a whole
    (unreadable, no header, missing columns). It replaces the raw tables, so a retry starts clean."""
    problems: list[Problem] = []
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with connect_build(build_db) as con:
        create_layers(con, list(study.wave_folders))
        headers = None  # export_headers.csv, read once it is loaded (before any export)
        for file in study.tables:
            if file.kind == EXPORT:
                if headers is None:
                    headers, header_problems = loaded_headers(con)
                    problems += header_problems
                rows, file_problems = load_export(con, file, headers=headers, run_id=run_id, loaded_at=loaded_at)
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


def code_drift(build_db: Path) -> Drift:
    """The exports' codes coded in some of the waves coded in a tool and not in others, with those waves."""
    with connect_build(build_db) as con:
        return tuple((code, tuple(waves)) for code, waves in con.execute(sqlfiles.text("validation/code_drift.sql"))
                     .fetchall())


def drift_line(drift: Drift) -> str | None:
    """The drift as one line (the first few codes), or None when every code is coded in every such wave."""
    if not drift:
        return None
    shown = "; ".join(f"{code} ({', '.join(waves)})" for code, waves in drift[:DRIFT_SHOWN])
    more = f"; and {len(drift) - DRIFT_SHOWN} more" if len(drift) > DRIFT_SHOWN else ""
    return (f"Codes of the coding tools' exports coded in some waves only ({len(drift)}; check the crosswalk where "
            f"a code was renamed, split or merged): {shown}{more}.")
