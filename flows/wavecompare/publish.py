"""Publishing: the comparison tables as CSV and Parquet, and the warehouse file.

Everything is built beside its destination. Publishing is then a list of
renames written first to a journal (the commit point) and carried out after: a
run killed before the journal is written changed nothing; one killed after it
is rolled forward by the next run, under the run lock, before it does anything
else. Each rename is atomic, so a reader opening the warehouse or a table file
sees the old file or the new one, never a part of either.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb

PUBLISHED_TABLES = ("stakeholder_mix", "interview_duration", "awareness", "confidence", "risk_mentions")
FORMATS = {"csv": "(FORMAT csv, HEADER true)", "parquet": "(FORMAT parquet, KV_METADATA {{run_id: {run_id}}})"}
BUILD_PREFIX = ".build-"
RETIRED_PREFIX = ".retired-"


def _literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def export_tables(con: duckdb.DuckDBPyConnection, folder: Path, run_id: str) -> dict[str, int]:
    """Write each published mart to `folder` as CSV and Parquet (tagged with the run id); returns row counts."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in PUBLISHED_TABLES:
        for suffix, options in FORMATS.items():
            target = _literal(folder / f"{table}.{suffix}")
            con.execute(f"COPY marts.{table} TO {target} {options.format(run_id=_literal(run_id))}").complete()
        [(counts[table],)] = con.execute(f"SELECT count(*) FROM marts.{table}").fetchall()
    return counts


def journal_path(out_dir: Path) -> Path:
    return out_dir / ".publish-journal.json"


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _move(source: Path, target: Path) -> None:
    """Rename `source` over `target`; a folder being replaced is first renamed aside."""
    if not source.exists():
        return  # already moved by an earlier, interrupted attempt
    if source.is_dir() and target.exists():
        retired = target.with_name(f"{RETIRED_PREFIX}{target.name}")
        shutil.rmtree(retired, ignore_errors=True)
        os.replace(target, retired)
    os.replace(source, target)


def roll_forward(out_dir: Path) -> bool:
    """Finish an interrupted publish, if its journal exists; True when there was one."""
    journal = journal_path(out_dir)
    if not journal.exists():
        return False
    for source, target in json.loads(journal.read_text(encoding="utf-8"))["moves"]:
        _move(Path(source), Path(target))
    journal.unlink()
    for retired in out_dir.glob(f"{RETIRED_PREFIX}*"):
        shutil.rmtree(retired, ignore_errors=True)
    return True


def publish_moves(moves: list[tuple[Path, Path]], out_dir: Path) -> None:
    """Commit the moves to the journal, then carry them out."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for _, target in moves:
        target.parent.mkdir(parents=True, exist_ok=True)
    journal = {"moves": [[str(source.resolve()), str(target.resolve())] for source, target in moves]}
    _write_atomically(journal_path(out_dir), json.dumps(journal, indent=1))
    roll_forward(out_dir)


KEPT_PER_RUN = ("validation", "logs")  # folders that keep one entry per run: their entries move, not the folder


def staged_moves(staged: Path, out_dir: Path) -> list[tuple[Path, Path]]:
    """Every item of the staged folder onto its place in the output folder."""
    moves = []
    for item in sorted(staged.iterdir()):
        if item.name in KEPT_PER_RUN:
            moves += [(entry, out_dir / item.name / entry.name) for entry in sorted(item.iterdir())]
        else:
            moves.append((item, out_dir / item.name))
    return moves


def move_staged(staged: Path, out_dir: Path) -> list[Path]:
    """Move what a run that publishes no tables keeps (its validation report, its log) into place."""
    moved = []
    for source, target in staged_moves(staged, out_dir):
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        moved.append(target)
    return moved


def leftovers(warehouse: Path, out_dir: Path) -> list[Path]:
    """What killed runs leave behind: build databases and staged or retired folders."""
    found = list(warehouse.parent.glob(f".{warehouse.name}.build-*"))
    if out_dir.is_dir():
        found += [p for p in out_dir.iterdir() if p.name.startswith((BUILD_PREFIX, RETIRED_PREFIX))]
    return found
