"""The release tables and the quote bank as CSV files, for people who open them in Excel.

UTF-8 with a byte-order mark: without it Excel reads the file as the local
code page and garbles "→", "–" and accented names. Each table is long, for
analysts: one row per printed row and wave, its keys and flags, then the count,
base, % and interval as numbers (empty where withheld, with `withheld` true);
`changes.csv` holds every table's changes and tests the same way, and
`quote_bank.csv` the quote bank's text. The notes that go with them are in the
workbook and report. Every file is written by DuckDB's COPY (a release's cells
and excerpts are too many for pandas' writer): numbers stay numbers, and text a
spreadsheet would run as a formula is neutralised (`cells.neutralise_texts`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .cells import neutralise, neutralise_texts
from .model import ReleaseTable
from .quantifiers import words

QUOTE_BANK = "quote_bank.csv"


CHANGES = "changes.csv"
KEYS = ["group", "code_id", "label", "level", "is_base", "is_net"]


def long_values(table: ReleaseTable) -> pd.DataFrame:
    """The table's values with their rows' keys and the wave's label: one row per printed row and wave."""
    labels = pd.Series(table.labels, name="wave")
    frame = table.values.merge(table.rows[["row", *KEYS]], on="row").join(labels, on="wave_id")
    rated = frame.pct.notna().to_numpy()
    frame["words"] = None
    if table.quantifiers and rated.any():
        frame.loc[rated, "words"] = words(frame.n[rated].to_numpy(dtype=np.int64),
                                          frame.base[rated].to_numpy(dtype=np.int64))
    return _flags(frame[["row", *KEYS, "wave_id", "wave", "n", "base", "pct", "ci_low", "ci_high", "withheld",
                         "words"]])


def long_changes(tables: list[ReleaseTable]) -> pd.DataFrame:
    """Every table's changes and tests with their rows' keys and table name."""
    frames = [table.changes.merge(table.rows[["row", *KEYS[:4]]], on="row").assign(table=table.name)
              for table in tables]
    changes = pd.concat(frames, ignore_index=True)
    return _flags(changes[["table", "row", *KEYS[:4], "earlier", "later", "change_pp", "withheld", "base_a",
                           "base_b", "tested", "p", "p_adjusted", "test"]])


def _flags(frame: pd.DataFrame) -> pd.DataFrame:
    """Flags written "true"/"false", as published_cells.csv writes them (and DuckDB reads them back as BOOLEAN)."""
    flags = frame.select_dtypes(include="bool").columns
    return frame.assign(**{column: frame[column].map({True: "true", False: "false"}) for column in flags})


def write_typed_csv(frame: pd.DataFrame, path: Path) -> Path:
    """A frame whose columns each hold one type (text, or numbers with gaps), as the cells files, long tables
    and quote bank do, as a CSV file: UTF-8 with a byte-order mark, CRLF line ends, fields quoted only where they
    must be; each distinct text neutralised once (`neutralise_texts`), and an empty text written as an empty
    field, as missing values are."""
    return write_typed_csvs([(frame, path)])[0]


def write_typed_csvs(files: Iterable[tuple[pd.DataFrame, Path]]) -> list[Path]:
    """`write_typed_csv` for each (frame, path), through one DuckDB connection (opening one takes longer than
    writing a table's file)."""
    paths = []
    with duckdb.connect() as con, tempfile.TemporaryDirectory() as folder:
        body = Path(folder) / "body.csv"
        for frame, path in files:
            select, columns = _typed_columns(frame)
            con.register("frame", columns)
            con.execute(f"COPY (SELECT {', '.join(select)} FROM frame) TO '{body}' (HEADER, new_line '\r\n')")
            con.unregister("frame")
            with path.open("wb") as out, body.open("rb") as written:
                out.write("\ufeff".encode())  # the byte-order mark of utf-8-sig
                shutil.copyfileobj(written, out)
            paths.append(path)
    return paths


def _typed_columns(frame: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """The SELECT list that writes the frame's columns under their (neutralised) names, and the columns to
    select from: numbers as they are, any other column as its neutralised texts (None where missing)."""
    columns, select = {}, []
    for c, name in enumerate(frame.columns):
        column = frame[name]
        if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
            codes, texts = pd.factorize(column)
            texts = neutralise_texts(texts.astype(str).to_numpy(dtype=object, copy=True))
            taken = texts.take(codes) if len(texts) else np.full(len(codes), None, dtype=object)  # all empty
            column = pd.Series(taken, dtype=object).where(codes >= 0, None)
            select.append(f"nullif(c{c}, '') AS {_identifier(neutralise(name))}")
        else:
            select.append(f"c{c} AS {_identifier(neutralise(name))}")
        columns[f"c{c}"] = column.reset_index(drop=True)
    return select, pd.DataFrame(columns)


def write_cells_file(cells: pd.DataFrame, path: Path) -> Path:
    """A cells frame (`disclosure.CELL_COLUMNS`) as `published_cells.csv` writes it, its flag "true"/"false"."""
    return write_typed_csv(cells.assign(withheld=cells.withheld.map({True: "true", False: "false"})), path)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_csv_files(tables: list[ReleaseTable], quotes: pd.DataFrame, folder: Path) -> list[Path]:
    """`<table name>.csv` for each table, `changes.csv`, then `quote_bank.csv`, in `folder`."""
    files = [(long_values(table), folder / f"{table.name}.csv") for table in tables]
    return write_typed_csvs([*files, (long_changes(tables), folder / CHANGES), (quotes, folder / QUOTE_BANK)])
