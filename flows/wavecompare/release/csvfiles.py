"""The release tables and the quote bank as CSV files, for people who open them in Excel.

UTF-8 with a byte-order mark: without it Excel reads the file as the local
code page and garbles "→", "–" and accented names. One header row, the columns
as in the release contract ("Wave 1 (2012) | %"), so a file stays one
rectangular table; the notes that go with it are in the workbook and report.
Cells pass through `cells.export_frame`: numbers stay numbers, and text a
spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .cells import export_frame
from .model import ReleaseTable

QUOTE_BANK = "quote_bank.csv"


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    export_frame(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def write_csv_files(tables: list[ReleaseTable], quotes: pd.DataFrame, folder: Path) -> list[Path]:
    """`<table name>.csv` for each table, then `quote_bank.csv`, in `folder`."""
    paths = [write_csv(table.frame, folder / f"{table.name}.csv") for table in tables]
    return [*paths, write_csv(quotes, folder / QUOTE_BANK)]
