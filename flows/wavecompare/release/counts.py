"""Reads the long-format counts behind the release from the warehouse.

The set work (joins, counts, orders) is SQL in `sql/release/`; this only runs a
file and hands back its small result as a pandas frame.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from wavecompare import sqlfiles


def _frame(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    return con.execute(sqlfiles.text(f"release/{name}.sql"), params or None).df()


def copy_to_parquet(con: duckdb.DuckDBPyConnection, name: str, path: Path, **params: object) -> Path:
    """`sql/release/<name>.sql`'s result written to a Parquet file at `path` by DuckDB itself: rows handed to
    another process without becoming Python objects here (a large release's quote sources, see `quotes`)."""
    query = sqlfiles.text(f"release/{name}.sql").strip().removesuffix(";")
    target = str(path).replace("'", "''")
    con.execute(f"COPY ({query}\n) TO '{target}' (FORMAT parquet)", params or None)
    return path


def _plain_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain Python objects: every cell's key is built from them value by value, and
    reading one value of pandas' Arrow-backed text column costs about a microsecond each time."""
    return frame.astype({column: object for column in frame.select_dtypes(include="str").columns})


def waves(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """wave_id, label, wave_order, fieldwork_start, fieldwork_end, interviews and those not coded, in fieldwork
    order."""
    return _frame(con, "waves")


def wave_codes(con: duckdb.DuckDBPyConnection) -> int:
    """Waves times codebook codes: how large the release will be, known before it is built."""
    return int(_frame(con, "size").wave_codes.iloc[0])


def mix(con: duckdb.DuckDBPyConnection, *, organisations: bool) -> pd.DataFrame:
    """marts.stakeholder_mix with its print order; organisations only if asked."""
    return _plain_text(_frame(con, "mix_counts", organisations=organisations))


def organisations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row: taking_part (organisation-waves), single and several (of them with one interview or more),
    fewest and most interviews (sql/release/organisations.sql)."""
    return _frame(con, "organisations")


def level_definitions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """code_id, label, levels (lowest first), net, net_levels and is_default of each level code, in codebook
    order; no net (NULL) for a code of one level (sql/release/level_definitions.sql)."""
    return _frame(con, "level_definitions")


def group_merges(con: duckdb.DuckDBPyConnection, *, min_group: int) -> pd.DataFrame:
    """split, wave_id, grp, base and merged_into (NULL: the split is left out for the wave) of each group too
    small to publish answers for; kept as the temporary table `coded` reads (sql/release/group_merges.sql)."""
    con.execute(sqlfiles.text("release/group_merges.sql"), {"min_group": min_group})
    return _plain_text(_frame(con, "merged_groups"))


def durations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """label, n, min, median and max interview minutes of each wave with a stated duration."""
    return _frame(con, "durations")


def coded(con: duckdb.DuckDBPyConnection, *, min_group: int) -> pd.DataFrame:
    """n (NULL where not published) and base per table, split, group, wave, code and level
    (sql/release/code_counts.sql); `group_merges` first."""
    return _plain_text(_frame(con, "code_counts", min_group=min_group))


QUOTES = "quotes"
REDACTION_TERMS = "redaction_terms"


def quotes(con: duckdb.DuckDBPyConnection, **params: int) -> pd.DataFrame:
    """The quote bank's excerpts, one row each, with their codes, how each may be attributed, a speaker key
    drawn for this build, and how many excerpts the study has in all (sql/release/quotes.sql names the
    parameters)."""
    return _frame(con, QUOTES, **params)


def redaction_terms(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """term and the kind it is redacted as (a label of redact.csv, 'organisation' or 'interview id'), the
    study's own list first."""
    return _frame(con, REDACTION_TERMS)


def listed_terms(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """term, source_file and source_row of each term of the redact file, in file order."""
    return _frame(con, "listed_terms")
