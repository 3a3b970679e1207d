"""How long earlier runs' files are kept.

Each publish keeps the newest `keep` run folders (the current one among them)
and removes older ones, so a reader who opened an earlier build is not cut off
at once and a mistaken publish can be inspected. `prune` removes everything but
the current run: every earlier run folder, the rejected build, and the
validation reports and logs of other runs, which can hold rows of the study
(for example when a participant withdraws and their answers must go).
A folder whose warehouse someone has open read-write, or has written to since
it was published (an analyst's tables, which would be lost), is never removed by
retention; `prune`, asked for explicitly, removes the latter too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from wavecompare.manifest import MANIFEST_NAME, warehouse_stamp
from wavecompare.publish import RUNS, WAREHOUSE_FILE, current_folder, discard
from wavecompare.sessions import WarehouseInUse, no_writers

DEFAULT_KEEP_RUNS = 3
PER_RUN_FOLDERS = ("validation", "logs")  # one entry per run, named by the run's folder name (with .log for logs)


def rejected_path(warehouse: Path) -> Path:
    """Where a rejected run's build database is kept for inspection, beside the warehouse link."""
    return warehouse.with_name(warehouse.stem + ".rejected.duckdb")


def published_runs(out_dir: Path) -> list[Path]:
    """Run folders, oldest first (their names start with the run's start time)."""
    runs = out_dir / RUNS
    return sorted(p for p in runs.iterdir() if p.is_dir() and not p.name.startswith(".")) if runs.is_dir() else []


def written_since_published(folder: Path) -> bool:
    """Whether someone wrote to the run's warehouse after the run published it (its size or time changed)."""
    try:
        recorded = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["warehouse"]["stamp"]
        return warehouse_stamp(folder / WAREHOUSE_FILE) != recorded
    except (OSError, ValueError, KeyError):
        return False


def _remove(folder: Path, keep_written: bool) -> Path | None:
    """Remove a run folder unless its warehouse is in use read-write (or, with `keep_written`, was written to
    since it was published); returns the folder when it was kept instead."""
    try:
        with no_writers(folder / WAREHOUSE_FILE):
            pass
    except WarehouseInUse:
        return folder
    if keep_written and written_since_published(folder):
        return folder
    shutil.rmtree(folder)
    return None


def retire(out_dir: Path, keep: int) -> list[Path]:
    """Remove run folders beyond the newest `keep`; returns the old ones kept because they are in use or hold
    someone's writes."""
    current, runs = current_folder(out_dir), published_runs(out_dir)
    old = [p for p in runs if p != current][: max(0, len(runs) - keep)]
    return [kept for kept in (_remove(folder, keep_written=True) for folder in old) if kept is not None]


def prune(warehouse: Path, out_dir: Path) -> tuple[list[Path], list[Path]]:
    """Remove all but the current run; returns (removed, kept because in use)."""
    current = current_folder(out_dir)
    removed, in_use = [], []
    for folder in published_runs(out_dir):
        if folder != current:
            (in_use if _remove(folder, keep_written=False) else removed).append(folder)
    rejected = rejected_path(warehouse)
    if rejected.exists():
        rejected.unlink()
        removed.append(rejected)
    for name in PER_RUN_FOLDERS:
        for entry in sorted((out_dir / name).glob("*")) if (out_dir / name).is_dir() else []:
            if current is None or entry.name.removesuffix(".log") != current.name:
                discard(entry)
                removed.append(entry)
    return removed, in_use
