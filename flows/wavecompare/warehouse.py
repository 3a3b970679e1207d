"""Opening the warehouse being built.

DuckDB 2.x writes a storage format that DuckDB 1.x cannot open. The warehouse is
written in the format of the 1.4 long-term-support release instead, so analysts
can open the published file with any DuckDB from 1.4 on: the 1.4/1.5 command
line (`duckdb-cli`), DBeaver's JDBC driver, R, or Python.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

STORAGE_VERSION = "v1.4.0"


def connect_build(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a warehouse file that readers from DuckDB 1.4 on can open."""
    return duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_VERSION})
