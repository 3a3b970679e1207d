"""A tabular export (.xlsx, .xls or .csv) as a grid of text cells, read as the hostile file it may be.

Workbooks get the loader's own checks (`tabular.check_zip` for zip bombs; openpyxl parses the XML with
defusedxml) and a cell holding a formula or an Excel error refuses the file, naming the cell: an export holds
values, and a formula in one is either damage or an attack. An Excel 97–2003 workbook (.xls, as older MAXQDA
writes) is read by xlrd, which gives each cell's stored value (a formula's result, never the formula), within a
size limit; an error cell refuses it. CSV is read as UTF-8 (a BOM stripped), comma separated, with Python's csv
module in strict mode; nothing is guessed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from wavecompare.tabular import ERROR_CELL, Unreadable, cell_problem, cell_text, check_zip

from .archive import Refused

MAX_CSV_BYTES = 256 * 1024 * 1024
MAX_XLS_BYTES = 64 * 1024 * 1024


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


def read_old_workbook(path: Path) -> Grid:
    """The first sheet of an Excel 97–2003 workbook, numbers and dates as the loader writes them."""
    import xlrd

    if path.stat().st_size > MAX_XLS_BYTES:
        raise Refused(f"the workbook is larger than the {MAX_XLS_BYTES} bytes accepted for an .xls export")
    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except Exception as error:  # xlrd raises several types (XLRDError, CompDocError, struct errors) for damage
        raise Refused(f"the workbook could not be opened ({type(error).__name__})") from error
    try:
        sheet = book.sheet_by_index(0)
        rows = []
        for number in range(sheet.nrows):
            row = []
            for column, cell in enumerate(sheet.row(number)):
                if cell.ctype == xlrd.XL_CELL_ERROR:
                    raise Refused(f"cell {get_column_letter(column + 1)}{number + 1} of sheet {sheet.name!r}: "
                                  f"{ERROR_CELL}")
                row.append(_old_cell(cell, book.datemode))
            rows.append(row)
        return Grid(sheet.name, rows)
    finally:
        book.release_resources()


def _old_cell(cell, datemode: int) -> str | None:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    return cell_text(cell.value)
