"""Opening the warehouse being built.

DuckDB 2.x writes a storage format that DuckDB 1.x cannot open. The warehouse is
written in the format of the 1.4 long-term-support release instead, so analysts
can open the published file with any DuckDB from 1.4 on: the 1.4/1.5 command
line (`duckdb-cli`), DBeaver's JDBC driver, R, or Python.

DuckDB's memory is capped (default 1GB, or WAVECOMPARE_MEMORY_LIMIT): left to its
default of 80% of RAM it held 3.4 GB on ten million responses; capped, it spills
to a temporary folder beside the build database, at the same speed there.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from wavecompare import sqlfiles

STORAGE_VERSION = "v1.4.0"
DEFAULT_MEMORY_LIMIT = "1GB"


def connect_build(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a warehouse file that readers from DuckDB 1.4 on can open."""
    memory_limit = os.environ.get("WAVECOMPARE_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
    config = {"storage_compatibility_version": STORAGE_VERSION, "memory_limit": memory_limit}
    return duckdb.connect(str(path), config=config)


def create_layers(con: duckdb.DuckDBPyConnection, wave_folders: list[str]) -> None:
    """The raw and validation tables every build starts with, empty (a load then fills them, and a retry
    starts clean), and the study's wave folders."""
    sqlfiles.run(con, "raw/create_tables.sql")
    sqlfiles.run(con, "validation/create_tables.sql")
    sqlfiles.run(con, "raw/wave_folders.sql", folders=wave_folders)
