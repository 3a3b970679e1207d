"""Publishing: one folder per published run, and one pointer that says which is current.

A run builds everything it publishes (the warehouse, the tables as CSV and
Parquet, the release, the manifest) in a hidden folder `OUT_DIR/runs/.build-<run>`.
Publishing renames that folder to `OUT_DIR/runs/<time>-<run>` and then swaps the
symbolic link `OUT_DIR/current` onto it with one `rename`, the commit point. A
kill at any instant therefore leaves readers the old complete state or the new
one: before the swap nothing they can reach has changed; after it, all of it
has. The warehouse path (`data/warehouse.duckdb`) is a fixed link to
`OUT_DIR/current/warehouse.duckdb`, resolved through the pointer each time a
reader opens it, so it changes with the tables in the same instant. Earlier run
folders stay until retention removes them (see retention.py); a later run can
link their per-wave files instead of copying them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import duckdb

from wavecompare.layout import CURRENT

PUBLISHED_TABLES = ("stakeholder_mix", "interview_duration", "awareness", "confidence", "risk_mentions")
FORMATS = {"csv": "(FORMAT csv, HEADER true)", "parquet": "(FORMAT parquet, KV_METADATA {{run_id: {run_id}}})"}
RUNS = "runs"
WAREHOUSE_FILE = "warehouse.duckdb"
BUILD_PREFIX = ".build-"
# DuckDB's companions of a database file: its write-ahead log and its spill folder.
COMPANIONS = (".wal", ".tmp")


class LayoutProblem(RuntimeError):
    """The output folder is not laid out as publishing expects; the message says what to do."""


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


def build_folder(out_dir: Path, run_id: str) -> Path:
    """Where a run builds what it may publish; nobody reads it until it is renamed and pointed to."""
    return out_dir / RUNS / f"{BUILD_PREFIX}{run_id}"


def current_folder(out_dir: Path) -> Path | None:
    """The published run's folder, or None before the first publish."""
    link = out_dir / CURRENT
    if link.exists() and not link.is_symlink():
        raise LayoutProblem(
            f"{link} should be a link to the published run's folder, but it is a real folder (was the output "
            "folder copied without keeping its links? Copy it with `cp -a`); move it away and run again"
        )
    return link.resolve() if link.exists() else None


def companions(database: Path) -> list[Path]:
    return [database.with_name(database.name + suffix) for suffix in COMPANIONS]


def discard(*paths: Path) -> None:
    """Remove files, folders and links (a link itself, never what it points to), whichever exist."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _point(link: Path, target: str) -> None:
    """Make `link` a symbolic link to `target` in one rename, replacing whatever link was there."""
    temporary = link.with_name(f".{link.name}.new-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, link)


def link_warehouse(warehouse: Path, out_dir: Path) -> None:
    """Make the warehouse path a link to the current run's warehouse, unless it is one already."""
    target = os.path.relpath(Path(os.path.abspath(out_dir)) / CURRENT / WAREHOUSE_FILE,
                             os.path.abspath(warehouse.parent))
    if warehouse.is_symlink() and os.readlink(warehouse) == target:
        return
    if warehouse.exists() and not warehouse.is_symlink():
        raise LayoutProblem(
            f"{warehouse} is a file, not the link to the published warehouse that this version keeps there; "
            f"move it away (it is an earlier build) and run again"
        )
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    _point(warehouse, target)


def run_folder_name(started_at: dt.datetime, run_id: str) -> str:
    """A run's folder (and its log's and report's) name: start time first, so that names sort by time."""
    return f"{started_at:%Y%m%dT%H%M%SZ}-{run_id[:8]}"


LEGACY_MANIFEST = "run_manifest.json"


def adopt_earlier_layout(warehouse: Path, out_dir: Path) -> Path | None:
    """Versions before run folders published the warehouse file at the warehouse path and the tables straight
    into OUT_DIR. Move that published state, unchanged, into a run folder and make it current, so that nothing
    published is lost and the up-to-date check still knows it; returns the folder, or None if there was none."""
    manifest = out_dir / LEGACY_MANIFEST
    if (out_dir / CURRENT).is_symlink() or not manifest.is_file() or warehouse.is_symlink() or not warehouse.is_file():
        return None
    facts = json.loads(manifest.read_text(encoding="utf-8"))
    folder = out_dir / RUNS / run_folder_name(dt.datetime.fromisoformat(facts["started_at"]), facts["run_id"])
    folder.mkdir(parents=True)
    for name in (LEGACY_MANIFEST, "release", *(f"{t}.{suffix}" for t in PUBLISHED_TABLES for suffix in FORMATS)):
        if (out_dir / name).exists():
            os.replace(out_dir / name, folder / name)
    shutil.move(warehouse, folder / WAREHOUSE_FILE)
    link_warehouse(warehouse, out_dir)
    _point(out_dir / CURRENT, f"{RUNS}/{folder.name}")
    return folder


def check_layout(warehouse: Path, out_dir: Path) -> None:
    """Refuse before any work when the warehouse path or the pointer is something publishing would not replace."""
    current_folder(out_dir)
    if warehouse.exists() and not warehouse.is_symlink():
        link_warehouse(warehouse, out_dir)  # raises LayoutProblem with what to do


def publish_folder(build: Path, out_dir: Path, name: str, warehouse: Path) -> Path:
    """Rename the finished build to its run folder, then point `current` (and so the warehouse link) at it."""
    discard(*companions(build / WAREHOUSE_FILE))
    folder = out_dir / RUNS / name
    os.replace(build, folder)
    link_warehouse(warehouse, out_dir)  # in place before the swap, so the swap alone is the commit point
    _point(out_dir / CURRENT, f"{RUNS}/{name}")
    return folder


def leftovers(warehouse: Path, out_dir: Path) -> list[Path]:
    """What killed runs left: build folders, run folders renamed but never pointed to (newer than the
    current one: run folders are named by their start time), half-made links."""
    found = [*warehouse.parent.glob(f".{warehouse.name}.new-*"), *out_dir.glob(f".{CURRENT}.new-*")]
    runs = out_dir / RUNS
    if runs.is_dir():
        current = current_folder(out_dir)
        found += [p for p in runs.iterdir() if p.name.startswith(BUILD_PREFIX)]
        found += [p for p in runs.iterdir() if current is not None and not p.name.startswith(".")
                  and p.name > current.name]
    return found
