"""The report writers' workbook: a Read me sheet, Word-ready sheets of the tables (`display.printed`), the quote
bank (a tracker's compared waves, `quotes_on_sheet`).

Written with XlsxWriter, which writes frozen panes and page setup the way Excel
expects, so the file opens without a repair prompt. The tables' data areas have
no merged cells (a block selects and pastes into Word as it reads); only the
notes under a table span its width. Every cell goes through
`cells.export_value` (the quote bank a whole frame at once, through
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

from .cells import export_cells, export_value, neutralise_texts, shown_lengths
from .display import WORD_WAVES, Printed, blocks, description, printed
from .model import SUPPRESSED, ReleaseTable, compared_pairs
from .quotes import QUOTE_COLUMNS
from .runinfo import RunInfo

README_SHEET = "Read me"
SPLIT_SUFFIX = "_by_service_area"  # a table by service area (tables.SPLIT_TABLES): its blocks on one sheet
QUOTES_SHEET = "Quotes"
HEADER_ROW = 3  # rows 0-2: title, run, blank
FONT = {"font_name": "Arial", "font_size": 9}
"""Every cell's font: Arial (Liberation Sans, its metric twin, where Arial is missing) at 9 pt, as a report's
tables are set, so a sheet's page is the page it pastes into."""
TEXT_WIDTHS = {"": 45, "excerpt": 80}  # widest a quote bank column grows before wrapping
POINTS_PER_LINE = 12
PIXELS_PER_CHARACTER = 4.4  # an average character of FONT (Liberation Sans, 9 pt), in pixels at 96 dpi
PROSE_PIXELS_PER_CHARACTER = 4.9  # the same, for sizing rows of wrapped sentences (wider words wrap early)
BOLD_PIXELS_PER_CHARACTER = 5.6  # a header's character (bold), so that no word of a heading breaks
PAGE_PIXELS = 690
"""The width of columns a portrait A4 page prints inside margins of 0.25 inch: measured in LibreOffice (two
columns of 690 pixels print on one page, of 710 on two), a little under the 7.77 inches between the margins."""
README_PIXELS = (180, 505)  # the Read me's two columns: what, and what it says
LABEL_PIXELS, CHANGE_PIXELS, TEST_PIXELS, PADDING = 160, 46, 70, 10
"""Column widths: the row text wraps at 160 pixels; a change and a test ("n.s. (p 0.66)") fit theirs. A wave's
column is as wide as its longest "n of N (x%)": four waves of "10 of 15 (67%)" and two compared pairs take
160 + 4 × 72 + 2 × (46 + 70) = 680 pixels, inside PAGE_PIXELS; wider counts wrap instead."""
FONT_SPREAD = 1.15  # room per character when sizing a column, for fonts wider than Calibri (LibreOffice)


class Styles:
    """The workbook's formats, made once each (Excel caps the number of distinct styles)."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self.title = book.add_format({**FONT, "bold": True, "font_size": 12})
        self.subtitle = book.add_format({**FONT, "italic": True, "font_color": "#595959"})
        self.heading = book.add_format({**FONT, "bold": True, "font_size": 10})
        self.header = book.add_format({**FONT, "bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                                       "bottom": 1, "top": 1})
        self.note = book.add_format({**FONT, "text_wrap": True, "valign": "top"})
        self.link = book.add_format({**FONT, "font_color": "#1F4E79", "underline": 1, "valign": "top"})
        self._cells: dict[tuple, object] = {}

    def printed(self, kind: str, first: bool, indented: bool, number_format: str | None = None, wrap: bool = False):
        """The format of a printed table's cell (display.KINDS): bases bold over a rule, headings bold, nets
        italic; the row text wrapped (a level indented under its code), values right-aligned (wrapped when
        `wrap`), a number in `number_format`."""
        key = (kind, first, indented, number_format, wrap)
        if key not in self._cells:
            spec: dict[str, object] = {**FONT, "valign": "top"}
            spec |= ({"text_wrap": True, "align": "left", "indent": int(indented)} if first else
                     {"align": "right", "text_wrap": wrap})
            spec |= {"num_format": number_format} if number_format else {}
            spec |= {"bold": True, "top": 1} if kind in ("base", "heading") else {}
            spec |= {"italic": True} if kind == "net" else {}
            self._cells[key] = self.book.add_format(spec)
        return self._cells[key]

    def text(self):
        """A quote bank cell: text wrapped, top-aligned."""
        return self.printed("row", True, False)


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


def write_cell(sheet: Worksheet, row: int, col: int, value: object, style) -> None:
    """Write one value by its type: blanks, numbers as numbers, text only ever as text."""
    value = export_value(value)
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
    """Size each column to its header and values (`lengths`: rows × columns), up to its cap."""
    longest = [max(len(c), int(lengths[:, i].max(initial=0))) for i, c in enumerate(columns)]
    widths = [text_width(n, cap, floor=7) for n, cap in zip(longest, caps)]
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    return widths


def write_rows(sheet: Worksheet, first: int, frame: pd.DataFrame, columns: list[str], caps: list[int],
               style) -> list[int]:
    """Write the frame's rows from row `first`, every cell exported and in `style`, and size the columns and
    rows to fit. Returns the column widths."""
    lengths = shown_lengths(frame[columns])
    widths = set_widths(sheet, lengths, columns, caps)
    cells = export_cells(frame[columns])
    _write_cells(sheet, first, cells, np.full(cells.shape, style, dtype=object))
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


def table_sheet(sheet: Worksheet, view: Printed, run: RunInfo, styles: Styles) -> None:
    """Title, one header row, the rows (no merged cells: a block selects and pastes as it reads), then the
    notes numbered. Up to WORD_WAVES waves it prints portrait on A4 at 100% and 9 pt, one page per core
    table; a trend (more waves) prints landscape, one page wide."""
    write_title(sheet, view.title, run, styles)
    widths, wrap = column_pixels(view)
    for c, (column, width) in enumerate(zip(view.columns, widths)):
        sheet.set_column_pixels(c, c, width)
        write_cell(sheet, HEADER_ROW, c, column or None, styles.header)
    header_lines = max(lines_needed(len(column), width / BOLD_PIXELS_PER_CHARACTER) for column, width in
                       zip(view.columns, widths))
    sheet.set_row(HEADER_ROW, POINTS_PER_LINE * int(header_lines) + 2)
    first = HEADER_ROW + 1
    cells = view.cells.copy()
    cells[:, 0] = neutralise_texts(cells[:, 0].astype(str).astype(object))  # the row text comes from the data
    _write_cells(sheet, first, cells, _cell_styles(view, styles, wrap))
    wrapping = [0, *(range(1, len(view.columns)) if wrap else ())]
    lengths = np.vectorize(lambda text: len(str(text)), otypes=[int])(view.texts[:, wrapping])
    lines = np.max(lines_needed(lengths, np.array(widths)[wrapping] / PROSE_PIXELS_PER_CHARACTER), axis=1,
                   initial=1)
    for r in np.flatnonzero(lines > 1):
        fit_row(sheet, first + r, lines[r])
    sheet.freeze_panes(first, 1)
    sheet.repeat_rows(HEADER_ROW)
    starts = np.flatnonzero(np.diff(view.blocks, prepend=view.blocks[:1])) if len(view.blocks) else []
    sheet.set_h_pagebreaks([first + int(r) for r in starts])  # each group's block starts a page
    _page(sheet, portrait=not view.trend)
    notes = tuple(f"{i}. {note}" for i, note in enumerate(view.notes, 1))
    write_notes(sheet, first + len(view.cells) + 1, notes, sum(widths) / PROSE_PIXELS_PER_CHARACTER,
                len(view.columns) - 1, styles)


def _cell_styles(view: Printed, styles: Styles, wrap: bool) -> np.ndarray:
    """Each cell's format (rows × columns), chosen for all cells at once: its row's kind, whether it is the row
    text (indented or not) and a number's format from its text (NUMBER_FORMATS); the few distinct formats are
    made once each, in the order of the cells."""
    texts = view.texts.astype(str)
    number = np.frompyfunc(lambda value: not isinstance(value, str), 1, 1)(view.cells).astype(bool)
    decimals = np.char.find(texts, ".") >= 0
    signed = np.char.startswith(texts, "+") | np.char.startswith(texts, "-") | np.isin(texts, ["0", ""])
    kinds, kind = np.unique(np.asarray(view.kinds, dtype=str), return_inverse=True)
    first = np.zeros(texts.shape, dtype=bool)
    first[:, 0] = True
    indented = first & np.asarray(view.indented, dtype=bool)[:, None]
    dims = (len(kinds), 2, 2, len(NUMBER_FORMATS))
    keys = np.ravel_multi_index((np.broadcast_to(kind[:, None], texts.shape), first, indented,
                                 np.where(number, 1 + decimals + 2 * signed, 0)), dims)
    codes, unique = pd.factorize(keys.ravel())
    made = [styles.printed(kinds[k], bool(f), bool(i), NUMBER_FORMATS[n], wrap)
            for k, f, i, n in zip(*np.unravel_index(unique, dims))]
    return np.asarray(made, dtype=object)[codes].reshape(texts.shape)


NUMBER_FORMATS = (None, "0", "0.0", "+0;-0;0", "+0.0;-0.0;0")
"""A cell's number format by its text (`_cell_styles`): text; a % as is, whole or to one decimal; a change signed
("+27", "-3.5", "0")."""


def _write_cells(sheet: Worksheet, first: int, cells: np.ndarray, formats: np.ndarray) -> None:
    """The cells from row `first`, each in its format: numbers as numbers, text only ever as text, "" and None
    blank."""
    for r, (values, row_formats) in enumerate(zip(cells.tolist(), formats.tolist()), first):
        for c, (value, style) in enumerate(zip(values, row_formats)):
            if isinstance(value, str) and value:
                sheet.write_string(r, c, value, style)
            elif value is None or value == "":
                sheet.write_blank(r, c, None, style)
            else:
                sheet.write_number(r, c, value, style)


def column_pixels(view: Printed) -> tuple[list[int], bool]:
    """Each column's width, and whether the waves' cells must wrap to keep a portrait page: the row text
    LABEL_PIXELS (wrapping); each wave as wide as its longest cell or heading word; changes and tests narrow."""
    kinds = ["label"] + ["wave"] * (len(view.columns) - 1)
    for c, column in enumerate(view.columns):
        kinds[c] = "change" if column.startswith("Change") else "test" if column == "Test" else kinds[c]
    cells = [max((len(str(t)) for t in view.texts[:, c]), default=0) * PIXELS_PER_CHARACTER
             for c in range(len(view.columns))]
    words = [max(map(len, re.split(r"[\s-]", column)), default=0) * BOLD_PIXELS_PER_CHARACTER
             for column in view.columns]  # a heading breaks at spaces and hyphens
    widths = [{"label": LABEL_PIXELS, "change": CHANGE_PIXELS, "test": TEST_PIXELS}.get(kind) or
              int(max(cell, word)) + PADDING for kind, cell, word in zip(kinds, cells, words)]
    waves = [c for c, kind in enumerate(kinds) if kind == "wave"]
    spare = PAGE_PIXELS - sum(w for c, w in enumerate(widths) if c not in waves)
    if view.trend or sum(widths[c] for c in waves) <= spare:
        return widths, False
    for c in waves:
        widths[c] = spare // len(waves)
    return widths, True


def quotes_sheet(sheet: Worksheet, quotes: pd.DataFrame, run: RunInfo, styles: Styles,
                 notes: tuple[str, ...] = ()) -> None:
    """The quote bank as a filterable list, excerpts wrapped, then its notes (what it holds, and why)."""
    write_title(sheet, "Quote bank: excerpts by code, wave and stakeholder group", run, styles)
    columns = list(quotes.columns)
    for c, column in enumerate(columns):
        write_cell(sheet, HEADER_ROW, c, column or None, styles.header)
    caps = [TEXT_WIDTHS["excerpt"] if c.casefold() == "excerpt" else 30 for c in columns]
    widths = write_rows(sheet, HEADER_ROW + 1, quotes, columns, caps, styles.text())
    if notes:
        write_notes(sheet, HEADER_ROW + len(quotes) + 2, notes, sum(widths), len(columns) - 1, styles)
    if columns:
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + len(quotes), len(columns) - 1)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.repeat_rows(HEADER_ROW)
    _page(sheet, portrait=False)


def quotes_on_sheet(quotes: pd.DataFrame, tables: list[ReleaseTable]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The quote bank's rows for its sheet, with a note when that is not all of it.

    Up to WORD_WAVES waves (tables laid out side by side for a report) the sheet holds every excerpt. A tracker
    of more waves is reported as trends and the changes of its compared waves (the first, previous and latest):
    the sheet holds their excerpts, and quote_bank.csv every wave's. Twenty waves' excerpts are tens of
    thousands of rows that no one reads as a sheet, and most of the workbook's cells."""
    waves = max((table.waves for table in tables), key=len, default=())
    if len(waves) <= WORD_WAVES:
        return quotes, ()
    ids = {wave for pair in compared_pairs(tuple(w.wave_id for w in waves)) for wave in pair}
    labels = [w.label for w in waves if w.wave_id in ids]
    shown = quotes[quotes[QUOTE_COLUMNS[0]].isin(labels)]
    return shown, (f"This sheet holds the excerpts of the waves the tables compare ({', '.join(labels)}): "
                   f"{len(shown):,} of the bank's {len(quotes):,}. quote_bank.csv holds every wave's.",)


def readme_sheet(sheet: Worksheet, contents: list[tuple[str, str]], run: RunInfo, styles: Styles) -> None:
    """The study (what, when, whom), each sheet (linked) with what it holds, the levels and nets, how to read
    [c], the tests and the words, then the conventions, sources and run; portrait, one column of prose."""
    write_title(sheet, f"{run.title}: read me", run, styles)
    for column, width in enumerate(README_PIXELS):
        sheet.set_column_pixels(column, column, width)
    lead, rest = run.readme[:3], run.readme[3:]
    row = _readme_sections(sheet, HEADER_ROW, lead, styles)
    write_cell(sheet, row, 0, "Sheets", styles.heading)
    for name, about in contents:
        row += 1
        sheet.write_url(row, 0, f"internal:'{name}'!A1", styles.link, string=name)
        _readme_row(sheet, row, None, about, styles)
    row = _readme_sections(sheet, row + 2, rest, styles)
    write_notes(sheet, row, (*run.notes, *run.provenance), sum(README_PIXELS) / PROSE_PIXELS_PER_CHARACTER, 1,
                styles)
    sheet.activate()
    _page(sheet, portrait=True)


def _readme_sections(sheet: Worksheet, row: int, sections, styles: Styles) -> int:
    """Each section's heading, then its (what, says) rows; returns the row after a blank one."""
    for section in sections:
        write_cell(sheet, row, 0, section.heading, styles.heading)
        for what, says in section.rows:
            row += 1
            _readme_row(sheet, row, what, says, styles)
        row += 2
    return row


def _readme_row(sheet: Worksheet, row: int, what: str | None, says: str, styles: Styles) -> None:
    if what is not None:
        write_cell(sheet, row, 0, what, styles.note)
    write_cell(sheet, row, 1, says, styles.note)
    fit_row(sheet, row, max(lines_needed(len(text), width / PROSE_PIXELS_PER_CHARACTER)
                            for text, width in zip((what or "", says), README_PIXELS)))


def _page(sheet: Worksheet, portrait: bool) -> None:
    """Print on A4 with the sheet's name in the header and "page n of N" in the footer: portrait at 100%
    (a Word-ready table), or landscape one page wide (a trend, the quote bank)."""
    sheet.set_paper(9)
    sheet.set_margins(left=0.25, right=0.25, top=0.6, bottom=0.6)
    sheet.set_header("&L&A", {"margin": 0.25})
    sheet.set_footer("&RPage &P of &N", {"margin": 0.25})
    if portrait:
        sheet.set_portrait()
    else:
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)


def table_sheets(tables: list[ReleaseTable], run: RunInfo):
    """(sheet name, printed view, what it holds) of every table sheet: a table by stakeholder group as two
    sheets, all interviews (the page a report quotes) and the groups' blocks; any other table as one."""
    footer = (f"Made by {run.stamp}; sources, methods and how to read {SUPPRESSED}: see the Read me.",)
    for table in tables:
        name = table.name.removeprefix("theme_").replace("_", " ").capitalize()
        view = printed(table, footer)
        parts = [(name, view)]
        if table.tested and not table.name.endswith(SPLIT_SUFFIX):
            parts = [(name, blocks(view, 0, 0)), (f"{name} by group", blocks(view, 1))]
        for sheet, part in parts:
            if part is not None:
                yield sheet, part, description(table, part)


def write_workbook(tables: list[ReleaseTable], quotes: pd.DataFrame, path: Path, run: RunInfo,
                   quote_notes: tuple[str, ...] = ()) -> Path:
    """Write the workbook to `path`; its properties carry the run time, so reruns are equal."""
    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(str(path), options) as book:
        book.set_properties({"title": run.title, "comments": run.stamp, "created": run.time.replace(tzinfo=None)})
        styles = Styles(book)
        readme = book.add_worksheet(README_SHEET)
        sheets = list(table_sheets(tables, run))
        names = sheet_names([name for name, _, _ in sheets])
        for name, (_, view, _) in zip(names, sheets):
            table_sheet(book.add_worksheet(name), view, run, styles)
        shown, shown_note = quotes_on_sheet(quotes, tables)
        quotes_sheet(book.add_worksheet(QUOTES_SHEET), shown, run, styles, (*shown_note, *quote_notes))
        contents = [(name, about) for name, (_, _, about) in zip(names, sheets)]
        about = "Quote bank: excerpts attributed by role only" + (", of the compared waves" if shown_note else "")
        readme_sheet(readme, [*contents, (QUOTES_SHEET, about)], run, styles)
    return path
