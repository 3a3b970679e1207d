"""The release tables and the quote bank as CSV files, for people who open them in Excel.

UTF-8 with a byte-order mark: without it Excel reads the file as the local
code page and garbles "→", "–" and accented names. Each table is long, for
analysts: one row per printed row and wave, its keys and flags, then the count,
base, % and interval as numbers (empty where withheld, with `withheld` true);
`changes.csv` holds every table's changes and tests the same way. The notes that
go with them are in the workbook and report. Cells pass through
`cells.export_frame`: numbers stay numbers, and text a spreadsheet would run as
a formula is neutralised.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .cells import export_frame
from .model import ReleaseTable
from .quantifiers import words

QUOTE_BANK = "quote_bank.csv"


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    export_frame(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


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


def write_csv_files(tables: list[ReleaseTable], quotes: pd.DataFrame, folder: Path) -> list[Path]:
    """`<table name>.csv` for each table, `changes.csv`, then `quote_bank.csv`, in `folder`."""
    paths = [write_csv(long_values(table), folder / f"{table.name}.csv") for table in tables]
    return [*paths, write_csv(long_changes(tables), folder / CHANGES), write_csv(quotes, folder / QUOTE_BANK)]
