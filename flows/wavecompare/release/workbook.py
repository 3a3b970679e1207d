"""The report writers' workbook: a Read me sheet, one sheet per table, the quote bank.

Written with XlsxWriter, which writes merged ranges and frozen panes the way
Excel expects, so the file opens without a repair prompt. Every cell goes
through `cells.export_value` (table cells a whole frame at once, through
`cells.export_cells`), and strings are always written as strings (never as
formulas or links), so nothing in the data can run in a reader's Excel.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from .cells import NUMBER_LIKE_MEASURES, export_cells, export_value, measure_of, shown_lengths
from .layout import base_mask, column_groups
from .model import ReleaseTable
from .runinfo import RunInfo

README_SHEET = "Read me"
QUOTES_SHEET = "Quotes"
HEADER_ROW = 3  # rows 0-2: title, run, blank
NUMBER_FORMATS = {"n": "0", "base": "0", "%": "0.0", "change (pp)": "+0.0;-0.0;0.0"}
TEXT_WIDTHS = {"": 45, "test": 36, "excerpt": 80}  # widest a text column grows before wrapping
POINTS_PER_LINE = 15
FONT_SPREAD = 1.15  # room per character when sizing a column, for fonts wider than Calibri (LibreOffice)


class Styles:
    """The workbook's formats, made once each (Excel caps the number of distinct styles)."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.subtitle = book.add_format({"italic": True, "font_color": "#595959"})
        self.heading = book.add_format({"bold": True, "font_size": 12})
        self.header = book.add_format(
            {
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#D9D9D9",
                "border": 1,
            }
        )
        self.note = book.add_format({"text_wrap": True, "valign": "top"})
        self.link = book.add_format({"font_color": "#1F4E79", "underline": 1})
        self._cells: dict[tuple[str, bool], object] = {}

    def cell(self, measure: str, base: bool = False):
        """The format of a table cell: numbers right-aligned in their format, text wrapped; base rows bold."""
        key = (measure, base)
        if key not in self._cells:
            spec: dict[str, object] = {"valign": "top"}
            if measure in NUMBER_FORMATS:
                spec |= {"num_format": NUMBER_FORMATS[measure], "align": "right"}
            elif measure in NUMBER_LIKE_MEASURES:
                spec |= {"align": "right"}
            else:
                spec |= {"text_wrap": True, "align": "left", "indent": 1 if measure else 0}
            if base:
                spec |= {"bold": True, "bg_color": "#F2F2F2", "top": 1}
            self._cells[key] = self.book.add_format(spec)
        return self._cells[key]


def sheet_names(names: list[str], reserved: tuple[str, ...] = (README_SHEET, QUOTES_SHEET)) -> list[str]:
    """Excel-valid, unique sheet names: no []:*?/\\, no edge quotes, at most 31 characters.

    Excel compares sheet names ignoring case; a clash gets "~2", "~3", … within the 31.
    Long names are shortened ("by service area" → "by area") before they are cut.
    """
    taken = {r.casefold() for r in reserved}
    result = []
    for name in names:
        clean = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "table"
        clean = clean.replace(" by service area", " by area") if len(clean) > 31 else clean
        candidate, number = clean[:31], 1
        while candidate.casefold() in taken:
            number += 1
            suffix = f"~{number}"
            candidate = clean[: 31 - len(suffix)] + suffix
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def write_cell(sheet: Worksheet, row: int, col: int, value: object, style, measure: str = "") -> None:
    """Write one value by its type: blanks, numbers as numbers, text only ever as text."""
    value = export_value(value, measure)
    if value is None:
        sheet.write_blank(row, col, None, style)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, style)
    else:
        sheet.write_number(row, col, value, style)


def text_width(longest: int, cap: int, floor: int = 6) -> int:
    """A column width (in characters) that shows a value `longest` characters long, up to `cap` (then it wraps)."""
    return max(floor, min(cap, math.ceil(longest * FONT_SPREAD) + 2))


def lines_needed(lengths, width: float):
    """How many lines text of these lengths wraps to in a column `width` characters wide (arrays or one number)."""
    return np.ceil(lengths / np.maximum(np.asarray(width) - 2, 1))


def fit_row(sheet: Worksheet, row: int, lines: int) -> None:
    """Make a row tall enough for `lines` of wrapped text (LibreOffice does not grow rows on opening).

    A row of one line keeps the default height.
    """
    if lines > 1:
        sheet.set_row(row, POINTS_PER_LINE * int(lines) + 2)


def set_widths(sheet: Worksheet, lengths: np.ndarray, columns: list[str], caps: list[int]) -> list[int]:
    """Size each column to its header (the measure, if any) and values (`lengths`: rows × columns), up to its cap."""
    longest = [max(len(measure_of(c) or c), int(lengths[:, i].max(initial=0))) for i, c in enumerate(columns)]
    widths = [text_width(n, cap, floor=7) for n, cap in zip(longest, caps)]
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    return widths


def write_column(sheet: Worksheet, row: int, col: int, values: np.ndarray, style) -> None:
    """Exported values down a column from `row`: None blank, numbers as numbers, text only ever as text.

    XlsxWriter's `write_column` writes "" as a blank, so those cells are then written as the empty string.
    """
    sheet.write_column(row, col, values, style)
    for r in np.flatnonzero(values == ""):
        sheet.write_string(row + r, col, "", style)


def write_rows(sheet: Worksheet, first: int, frame: pd.DataFrame, columns: list[str], caps: list[int],
               bases: np.ndarray, style_of) -> list[int]:
    """Write the frame's rows from row `first`, a column at a time, and size the columns and rows to fit.

    `style_of(column, base)` gives the format of a column's cells in base rows or other rows. Each run of
    rows that share a format is written column by column; runs go top to bottom and columns left to right,
    so formats are made in the order a row-by-row writer would make them. Returns the column widths.
    """
    lengths = shown_lengths(frame[columns])
    widths = set_widths(sheet, lengths, columns, caps)
    values = export_cells(frame[columns])
    starts = np.flatnonzero(np.diff(bases, prepend=~bases[:1], append=~bases[-1:])).tolist()
    for start, end in zip(starts, starts[1:]):
        for c, column in enumerate(columns):
            write_column(sheet, first + start, c, values[start:end, c], style_of(column, bool(bases[start])))
    lines = np.max(lines_needed(lengths, np.array(widths)), axis=1, initial=1)
    for r in np.flatnonzero(lines > 1):
        fit_row(sheet, first + r, lines[r])
    return widths


def write_notes(sheet: Worksheet, row: int, notes: tuple[str, ...], width: float, last_col: int, styles: Styles) -> int:
    """Notes under a table, each merged across its width and tall enough for its wrapped lines."""
    sheet.write_string(row, 0, "Notes", styles.heading)
    for note in notes:
        row += 1
        fit_row(sheet, row, lines_needed(len(note), width))
        if last_col:
            sheet.merge_range(row, 0, row, last_col, "", styles.note)
        write_cell(sheet, row, 0, note, styles.note)
    return row


def write_title(sheet: Worksheet, title: str, run: RunInfo, styles: Styles) -> None:
    write_cell(sheet, 0, 0, title, styles.title)
    write_cell(sheet, 1, 0, f"{run.title}, {run.stamp}", styles.subtitle)


def table_sheet(sheet: Worksheet, table: ReleaseTable, run: RunInfo, styles: Styles) -> None:
    """Title, a two-row banner header (waves merged over their measures), the rows, then the notes."""
    write_title(sheet, table.title, run, styles)
    groups = column_groups(table)
    columns = [c for g in groups for c in g.columns]
    first_data = HEADER_ROW + 2
    col = 0
    for group in groups:
        for offset, (column, measure) in enumerate(zip(group.columns, group.measures)):
            if group.label:
                write_cell(sheet, HEADER_ROW + 1, col + offset, measure, styles.header)
            else:
                sheet.merge_range(HEADER_ROW, col + offset, HEADER_ROW + 1, col + offset, "", styles.header)
                write_cell(sheet, HEADER_ROW, col + offset, column, styles.header)
        if group.label:
            last = col + len(group.columns) - 1
            if last > col:
                sheet.merge_range(HEADER_ROW, col, HEADER_ROW, last, "", styles.header)
            write_cell(sheet, HEADER_ROW, col, group.label, styles.header)
        col += len(group.columns)
    caps = [TEXT_WIDTHS.get(measure_of(c), 14) for c in columns]
    bases = base_mask(table).to_numpy()
    widths = write_rows(
        sheet, first_data, table.frame, columns, caps, bases, lambda c, base: styles.cell(measure_of(c), base)
    )
    sheet.set_row(HEADER_ROW, POINTS_PER_LINE * 2)
    sheet.freeze_panes(first_data, len(table.row_columns))
    sheet.repeat_rows(HEADER_ROW, HEADER_ROW + 1)
    _landscape(sheet)
    notes_row = first_data + len(table.frame) + 1
    write_notes(sheet, notes_row, (*table.notes, *run.provenance), sum(widths), len(columns) - 1, styles)


def quotes_sheet(sheet: Worksheet, quotes: pd.DataFrame, run: RunInfo, styles: Styles,
                 notes: tuple[str, ...] = ()) -> None:
    """The quote bank as a filterable list, excerpts wrapped, then its notes (what it holds, and why)."""
    write_title(sheet, "Quote bank: excerpts by code, wave and stakeholder group", run, styles)
    columns = list(quotes.columns)
    for c, column in enumerate(columns):
        write_cell(sheet, HEADER_ROW, c, column, styles.header)
    caps = [TEXT_WIDTHS["excerpt"] if c.casefold() == "excerpt" else 30 for c in columns]
    text = styles.cell("")
    widths = write_rows(
        sheet, HEADER_ROW + 1, quotes, columns, caps, np.zeros(len(quotes), dtype=bool), lambda c, base: text)
    if notes:
        write_notes(sheet, HEADER_ROW + len(quotes) + 2, notes, sum(widths), len(columns) - 1, styles)
    if columns:
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + len(quotes), len(columns) - 1)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.repeat_rows(HEADER_ROW)
    _landscape(sheet)


def readme_sheet(sheet: Worksheet, contents: list[tuple[str, str]], run: RunInfo, styles: Styles) -> None:
    """What each sheet holds (linked) and how to read them: conventions, settings, sources and run."""
    write_title(sheet, f"{run.title}: read me", run, styles)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 100)
    row = HEADER_ROW
    write_cell(sheet, row, 0, "Sheet", styles.header)
    write_cell(sheet, row, 1, "What it holds", styles.header)
    for name, title in contents:
        row += 1
        sheet.write_url(row, 0, f"internal:'{name}'!A1", styles.link, string=name)
        write_cell(sheet, row, 1, title, styles.note)
    row += 2
    write_notes(sheet, row, (*run.notes, *run.provenance), 134, 1, styles)
    sheet.activate()
    _landscape(sheet)


def _landscape(sheet: Worksheet) -> None:
    """Print (and convert to PDF) landscape on A4, one page wide."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def write_workbook(tables: list[ReleaseTable], quotes: pd.DataFrame, path: Path, run: RunInfo,
                   quote_notes: tuple[str, ...] = ()) -> Path:
    """Write the workbook to `path`; its properties carry the run time, so reruns are equal."""
    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(str(path), options) as book:
        book.set_properties({"title": run.title, "comments": run.stamp, "created": run.time.replace(tzinfo=None)})
        styles = Styles(book)
        readme = book.add_worksheet(README_SHEET)
        names = sheet_names([t.name.removeprefix("theme_").replace("_", " ").capitalize() for t in tables])
        for table, name in zip(tables, names):
            table_sheet(book.add_worksheet(name), table, run, styles)
        quotes_sheet(book.add_worksheet(QUOTES_SHEET), quotes, run, styles, quote_notes)
        contents = [(n, t.title) for n, t in zip(names, tables)]
        readme_sheet(readme, [*contents, (QUOTES_SHEET, "Quote bank: excerpts attributed by role only")], run, styles)
    return path
