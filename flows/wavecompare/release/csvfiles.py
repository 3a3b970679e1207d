"""The release tables and the quote bank as CSV files, for people who open them in Excel.

UTF-8 with a byte-order mark: without it Excel reads the file as the local
code page and garbles "→", "–" and accented names. One header row, the columns
as in the release contract ("Wave 1 (2012) | %"), so a file stays one
rectangular table; the notes that go with it are in the workbook and report.
Cells pass through `cells.export_frame`: numbers stay numbers, and text a
spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from .cells import export_frame, neutralise, neutralise_texts
from .model import ReleaseTable

QUOTE_BANK = "quote_bank.csv"


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    export_frame(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def write_typed_csv(frame: pd.DataFrame, path: Path) -> Path:
    """`write_csv` for a frame whose columns each hold one type (text, or whole numbers with gaps), as the
    cells files do, written by DuckDB's COPY: a release's cells are too many for pandas' writer. The same
    file but for quoting; each distinct text is neutralised once (`neutralise_texts`), and an empty text is
    written as an empty field, as pandas writes it."""
    columns, select = {}, []
    for c, name in enumerate(frame.columns):
        column = frame[name]
        if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
            codes, texts = pd.factorize(column)
            texts = neutralise_texts(texts.astype(str).to_numpy(dtype=object, copy=True))
            column = pd.Series(texts.take(codes), dtype=object).where(codes >= 0, None)
            select.append(f"nullif(c{c}, '') AS {_identifier(neutralise(name))}")
        else:
            select.append(f"c{c} AS {_identifier(neutralise(name))}")
        columns[f"c{c}"] = column.reset_index(drop=True)
    with duckdb.connect() as con, tempfile.TemporaryDirectory() as folder:
        con.register("frame", pd.DataFrame(columns))
        body = Path(folder) / "body.csv"
        con.execute(f"COPY (SELECT {', '.join(select)} FROM frame) TO '{body}' (HEADER, new_line '\r\n')")
        with path.open("wb") as out, body.open("rb") as written:
            out.write("\ufeff".encode())  # the byte-order mark of utf-8-sig
            shutil.copyfileobj(written, out)
    return path


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_csv_files(tables: list[ReleaseTable], quotes: pd.DataFrame, folder: Path) -> list[Path]:
    """`<table name>.csv` for each table, then `quote_bank.csv`, in `folder`."""
    paths = [write_csv(table.frame, folder / f"{table.name}.csv") for table in tables]
    return [*paths, write_csv(quotes, folder / QUOTE_BANK)]
