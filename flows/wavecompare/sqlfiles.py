"""The SQL that builds the warehouse lives in `sql/` as plain files; this reads and runs them."""

from __future__ import annotations

from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
ORDER_FILE = "run_order.txt"


def text(name: str) -> str:
    """The text of `sql/<name>`."""
    return (SQL_DIR / name).read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> None:
    """Run one single-statement file with named `$parameters`, to completion."""
    con.execute(text(name), params or None).complete()


def ordered(layer: str) -> list[str]:
    """The models of one layer in the order stated in `sql/run_order.txt`."""
    names = []
    for line in text(ORDER_FILE).splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry.startswith(layer + "/"):
            names.append(entry)
    return names


def build(con: duckdb.DuckDBPyConnection, layer: str) -> None:
    """Build every model of a layer, in order."""
    for name in ordered(layer):
        con.execute(text(name)).complete()
