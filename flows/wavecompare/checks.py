"""Set-based input checks: each file in `sql/checks/` returns the rows that break a rule."""

from __future__ import annotations

import duckdb

from wavecompare import sqlfiles
from wavecompare.problems import Problem

MAX_ROWS_PER_CHECK = 10_000


def run_checks(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    """Every broken rule in the staged study (at most MAX_ROWS_PER_CHECK rows per check file)."""
    problems = []
    for name in sqlfiles.ordered("checks"):
        rows = con.execute(sqlfiles.text(name)).fetchmany(MAX_ROWS_PER_CHECK)
        problems += [
            Problem(file, rule, row=row, column=column, value=None if value is None else str(value))
            for file, row, column, value, rule in rows
        ]
    return problems
