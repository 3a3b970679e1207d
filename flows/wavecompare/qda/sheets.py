"""A tabular export (.xlsx or .csv) as a grid of text cells, read as the hostile file it may be.

Workbooks get the loader's own checks (`tabular.check_zip` for zip bombs; openpyxl parses the XML with
defusedxml) and a cell holding a formula or an Excel error refuses the file, naming the cell: an export holds
values, and a formula in one is either damage or an attack. CSV is read as UTF-8 (a BOM stripped), comma
separated, with Python's csv module in strict mode; nothing is guessed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from wavecompare.tabular import Unreadable, cell_problem, cell_text, check_zip

from .archive import Refused

MAX_CSV_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Grid:
    """The first sheet's (or the CSV file's) rows, each cell as text or None; `sheet` is the sheet's name."""

    sheet: str | None
    rows: list[list[str | None]]


def read_workbook(path: Path) -> Grid:
    """The first sheet, opened from its bytes whatever the file's name (openpyxl otherwise goes by it)."""
    import openpyxl

    try:
        check_zip(path)
    except Unreadable as error:
        raise Refused(str(error)) from error
    with path.open("rb") as handle:
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=False)
        except Exception as error:  # openpyxl raises many types for damaged files
            raise Refused(f"the workbook could not be opened ({type(error).__name__})") from error
        try:
            sheet = book.worksheets[0]
            rows = []
            for number, row in enumerate(sheet.iter_rows(), start=1):
                for column, cell in enumerate(row, start=1):
                    if rule := cell_problem(cell):
                        raise Refused(f"cell {get_column_letter(column)}{number} of sheet {sheet.title!r}: {rule}")
                rows.append([cell_text(cell.value) for cell in row])
            return Grid(sheet.title, rows)
        finally:
            book.close()


def read_text(path: Path) -> Grid:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise Refused(f"the file is larger than the {MAX_CSV_BYTES} bytes accepted for an export")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused("the file is not UTF-8 text; save it as 'CSV UTF-8'") from error
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise Refused(f"the file is not valid CSV ({error})") from error
    return Grid(None, [[cell if cell != "" else None for cell in row] for row in rows])
