"""Publishing: the comparison tables as CSV and Parquet, and the warehouse file.

Everything is built beside its destination and moved into place with atomic
renames only after the whole run succeeded, so a failed run never changes what
was published before.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

PUBLISHED_TABLES = ("stakeholder_mix", "interview_duration", "awareness", "confidence", "risk_mentions")
FORMATS = {"csv": "(FORMAT csv, HEADER true)", "parquet": "(FORMAT parquet)"}


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_tables(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Write each published mart to `folder` as CSV and Parquet; returns row counts."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in PUBLISHED_TABLES:
        for suffix, options in FORMATS.items():
            con.execute(f"COPY marts.{table} TO {_literal(folder / f'{table}.{suffix}')} {options}").complete()
        [(counts[table],)] = con.execute(f"SELECT count(*) FROM marts.{table}").fetchall()
    return counts


def swap_in(staged: Path, out_dir: Path, build_db: Path, warehouse: Path) -> list[Path]:
    """Move the staged outputs and the built warehouse over the published ones."""
    out_dir.mkdir(parents=True, exist_ok=True)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    os.replace(build_db, warehouse)
    published = []
    for item in sorted(staged.iterdir()):
        target = out_dir / item.name
        os.replace(item, target)
        published.append(target)
    shutil.rmtree(staged, ignore_errors=True)
    return published
