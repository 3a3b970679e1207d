"""The SQL that builds the warehouse lives in `sql/` as plain files; this reads and runs them."""

from __future__ import annotations

import duckdb

from wavecompare import resources

SQL_DIR = resources.folder("sql")


def text(name: str) -> str:
    """The text of `sql/<name>`."""
    return (SQL_DIR / name).read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> None:
    """Run one single-statement file with named `$parameters`, to completion."""
    con.execute(text(name), params or None).complete()


def names(folder: str, suffix: str) -> list[str]:
    """The files under `sql/<folder>/` (at any depth) whose names end in `suffix`, as
    names `text()` reads, in name order."""
    return sorted(name for name, _ in resources.walk(SQL_DIR / folder, folder) if name.endswith(suffix))
