"""Reading one input file (CSV or XLSX) into the raw layer, as text, with lineage.

Every input file is treated as hostile. CSV is read by DuckDB with a stated
schema (every column VARCHAR, named from the header) so nothing is guessed; rows
it cannot parse go to the quarantine with the reason. The loader's own pass over
the bytes (filescan.py) checks them against discover()'s sha256, counts the
records to check DuckDB's count, and sets aside itself the rows DuckDB could drop
without a trace: rows over the length limit and rows holding NUL bytes.
Windows-1252 files are transcoded to UTF-8 first. XLSX is read with openpyxl (which parses the XML with
defusedxml) after a zip-bomb check; formula and error cells are quarantined.
Problems with the file as a whole (not a table, no header, missing columns) are
returned in plain words.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import tempfile
import zipfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from wavecompare import sqlfiles
from wavecompare.contract import LINEAGE_COLUMNS, FileKind, column_name
from wavecompare.discover import InputFile
from wavecompare.filescan import BadRow, Layout, Pass, identity, read_pass
from wavecompare.problems import Problem

SNIFF_BYTES = 8192
TRANSCODE_CHUNK = 1 << 20
MAX_LINE_BYTES = 8 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_XLSX_RATIO = 200
PREVIEW_BYTES = 1000  # of a row set aside by the loader, kept as its value in the quarantine
CHANGED = "the file changed while it was being read; run again once it is complete"
TOO_LONG = f"the row is longer than the largest row accepted ({MAX_LINE_BYTES} bytes)"
HOLDS_NUL = "the row holds a NUL byte (binary data)"
ERROR_CELL = "the cell holds an Excel error value: enter the value, or leave the cell empty"
# A header-only interviews file is told as "the wave has no interviews" by the waves suite.
KINDS_NEEDING_ROWS = ("waves", "codebook", "responses")


class Unreadable(Exception):
    """The file cannot be read as a table; the message says why in plain words."""


def _header_problems(file: InputFile, kind: FileKind, headers: list[str]) -> tuple[list[str], list[Problem]]:
    if len(headers) == 1 and ";" in headers[0]:
        rule = "the file is separated by semicolons; save it as comma-separated CSV"
        return [], [Problem(file.name, rule, examples=((1, headers[0]),))]
    named = max((i for i, h in enumerate(headers, start=1) if h.strip()), default=0)
    names = [column_name(h, kind) if h.strip() else f"unnamed_{i}" for i, h in enumerate(headers, start=1)]
    problems = []
    seen: set[str] = set()
    for position, (header, name) in enumerate(zip(headers, names, strict=True), start=1):
        if not header.strip() and position < named:
            rule = f"header cell {position} is empty: every column needs a name (merged header cells count as empty)"
            problems.append(Problem(file.name, rule))
        elif name in seen:
            problems.append(Problem(file.name, f"two headers name the same column {name!r}", examples=((1, header),)))
        elif name in LINEAGE_COLUMNS:
            rule = "this header name is reserved for lineage; rename the column"
            problems.append(Problem(file.name, rule, examples=((1, header),)))
        seen.add(name)
    missing = [c for c in kind.required if c not in seen]
    if missing:
        rule = "required column(s) missing from the header row: " + ", ".join(missing)
        problems.append(Problem(file.name, rule, examples=((1, ", ".join(headers)),)))
    return names, problems


def _unchanged(file: InputFile, seen: Pass) -> None:
    """The bytes read must be those discover() fingerprinted, so that the sha256 recorded is that of the rows
    loaded."""
    if seen.sha256 != file.sha256:
        raise Unreadable(CHANGED)


def _still(file: InputFile, seen: Pass) -> None:
    """After DuckDB or openpyxl read the file: it must be the file the loader's own pass read."""
    if identity(os.stat(file.path)) != seen.identity:
        raise Unreadable(CHANGED)


def _cp1252_copy(path: Path, workdir: Path) -> Path:
    """Text that is not UTF-8 is taken to be Windows-1252, and read from a UTF-8 copy."""
    target = workdir / (path.name + ".utf8")
    try:
        with path.open("r", encoding="cp1252", newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
            for chunk in iter(lambda: src.read(TRANSCODE_CHUNK), ""):
                dst.write(chunk)
    except UnicodeDecodeError as error:
        raise Unreadable("the file is neither UTF-8 nor Windows-1252 text") from error
    return target


def _without_bad_rows(path: Path, bad: tuple[BadRow, ...], workdir: Path) -> Path:
    """A copy of the file in which each row the loader set aside is a blank line, which DuckDB's reader skips
    and the row numbers still count: DuckDB never sees a row it might drop without a trace."""
    target = workdir / (path.name + ".kept")
    with path.open("rb") as src, target.open("wb") as dst:
        position = 0
        for row in bad:
            _copy_range(src, dst, position, row.start)
            position = row.end
        _copy_range(src, dst, position, None)
    return target


def _copy_range(src, dst, start: int, end: int | None) -> None:
    src.seek(start)
    left = None if end is None else end - start
    while left is None or left > 0:
        chunk = src.read(TRANSCODE_CHUNK if left is None else min(TRANSCODE_CHUNK, left))
        if not chunk:
            return
        dst.write(chunk)
        if left is not None:
            left -= len(chunk)


def _bad_row_entries(path: Path, bad: tuple[BadRow, ...]) -> list[dict[str, object]]:
    """The quarantine's entries for the rows the loader set aside: row, rule and the row's first bytes."""
    entries = []
    with path.open("rb") as handle:
        for row in bad:
            handle.seek(row.start)
            value = handle.read(min(PREVIEW_BYTES, row.end - row.start)).decode("utf-8", errors="replace")
            entries.append({"source_row": row.row, "value": value, "rule": TOO_LONG if row.too_long else HOLDS_NUL})
    return entries


def _first_record(path: Path) -> list[str] | None:
    """The header record, read with a bounded field size so a huge first line cannot exhaust memory."""
    csv.field_size_limit(MAX_LINE_BYTES)
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        try:
            return next(csv.reader(handle), None)
        except csv.Error as error:
            raise Unreadable(f"the header row could not be read ({error})") from error


def _read_csv(con: duckdb.DuckDBPyConnection, file: InputFile, kind: FileKind, workdir: Path
              ) -> tuple[list[Problem], int]:
    """Check the file and its header, and read its rows into `file_source` (rows that do not parse are kept
    aside for csv_rejects.sql); errors that stop DuckDB reading the file at all are told here. Returns the
    problems and the records the loader's own pass counted."""
    seen = read_pass(file.path, csv_limit=MAX_LINE_BYTES)
    _unchanged(file, seen)
    layout = seen.layout
    if layout.first_nul is not None and layout.first_nul < SNIFF_BYTES:
        raise Unreadable("the file is not a text table (it holds binary data); save it as CSV or XLSX")
    readable = file.path
    if not seen.utf8:
        readable = _cp1252_copy(file.path, workdir)
        layout = read_pass(readable, csv_limit=MAX_LINE_BYTES).layout  # rows as long as DuckDB will see them
    if layout.bad_rows and layout.bad_rows[0].row == 1:
        rule = TOO_LONG if layout.bad_rows[0].too_long else HOLDS_NUL
        raise Unreadable("the header row " + rule.removeprefix("the row "))
    headers = _first_record(readable)
    if not headers or all(not h.strip() for h in headers):
        raise Unreadable("the file is empty: it has no header row")
    names, problems = _header_problems(file, kind, headers)
    if problems:
        return problems, 0
    source = _without_bad_rows(readable, layout.bad_rows, workdir) if layout.bad_rows else readable
    try:
        sqlfiles.run(con, "raw/read_csv.sql", path=str(source), columns={n: "VARCHAR" for n in names},
                     max_line_size=MAX_LINE_BYTES)
    except duckdb.Error as error:
        raise Unreadable("the file could not be read as a comma-separated table: " + str(error).splitlines()[0]) from error
    _still(file, seen)
    sqlfiles.run(con, "raw/csv_rejects.sql", path=str(source), source_file=file.name)
    rejected = _quarantined_rows(con, file)
    skipped = np.union1d(np.union1d(layout.blank_rows, rejected), [row.row for row in layout.bad_rows])
    _check_counts(con, layout, len(rejected), skipped, source)
    if layout.bad_rows:
        sqlfiles.run(con, "raw/loader_rejects.sql", source_file=file.name,
                     rows=_bad_row_entries(readable, layout.bad_rows))
    _number_csv_rows(con, layout.last_record, skipped)
    return [], layout.records


def _check_counts(con: duckdb.DuckDBPyConnection, layout: Layout, rejected: int, skipped: np.ndarray,
                  source: Path) -> None:
    """Every record the pass counted must be one DuckDB kept or set aside, and at the row the pass gives it
    (`skipped`: blank lines and rows set aside, which DuckDB keeps no place for)."""
    [(kept,)] = con.execute("SELECT count(*) FROM file_source").fetchall()
    read = kept + rejected
    numbered = layout.last_record - 1 - int(np.count_nonzero((skipped > 1) & (skipped <= layout.last_record)))
    if read + len(layout.bad_rows) != layout.records or numbered != kept:
        counted = layout.records - len(layout.bad_rows)
        parting = _first_parting_row(con, source, skipped)
        where = f" (first at row {parting})" if parting else ""
        raise Unreadable(
            f"two readers count the rows differently{where}: the loader counts {counted} row(s), DuckDB's CSV "
            f"reader {read} ({kept} readable, {rejected} not); check the quotes and line ends"
        )


def _first_parting_row(con: duckdb.DuckDBPyConnection, source: Path, skipped: np.ndarray) -> int | None:
    """The first row at which Python's csv reader (which counts as the loader's pass does) and DuckDB's rows
    differ. Per-row Python, so only once the counts already differ and the file is refused."""
    skip = set(skipped.tolist())
    duck = con.execute("SELECT cells FROM file_source ORDER BY rowid")
    with source.open("r", encoding="utf-8-sig", newline="") as handle:
        records = enumerate(csv.reader(handle), start=1)
        next(records, None)
        try:
            for row, record in records:
                if row in skip or not record:
                    continue
                theirs = duck.fetchone()
                if theirs is None or [v or "" for v in theirs[0].values()] != record:
                    return row
        except csv.Error:
            return None
    return None


def _number_csv_rows(con: duckdb.DuckDBPyConnection, last_record: int, skipped: np.ndarray) -> None:
    """Give each row of `file_source` its row in the file. DuckDB's reader skips blank lines and sets rejected
    rows aside without keeping their place; when either comes before the last record, the rows are numbered
    from the pass's count (raw/counted_rows.sql)."""
    if np.count_nonzero(skipped < last_record):
        with registered(con, "skipped_rows", pd.DataFrame({"source_row": skipped.astype(np.int64)})):
            sqlfiles.run(con, "raw/counted_rows.sql", last_row=last_record)
        sqlfiles.run(con, "raw/row_numbers_counted.sql")
    else:
        sqlfiles.run(con, "raw/row_numbers.sql")


def cell_text(value: object) -> str | None:
    """Excel cells as the text a CSV export of them would hold."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            packed = sum(info.compress_size for info in archive.infolist()) or 1
    except zipfile.BadZipFile as error:
        raise Unreadable("the file is not a valid Excel workbook (.xlsx)") from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES or unpacked / packed > MAX_XLSX_RATIO:
        raise Unreadable("the workbook unpacks to an implausible size; it was not opened (possible zip bomb)")


def cell_problem(cell) -> str | None:
    if cell.data_type == "f":
        return "the cell holds a formula, not a value: copy the column and paste it back as values"
    if cell.data_type == "e":
        return ERROR_CELL
    return None


def _read_xlsx(con: duckdb.DuckDBPyConnection, file: InputFile, kind: FileKind) -> list[Problem]:
    import openpyxl

    seen = read_pass(file.path)
    _unchanged(file, seen)
    check_zip(file.path)
    try:
        workbook = openpyxl.load_workbook(file.path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise Unreadable(f"the workbook could not be opened ({type(error).__name__})") from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows()
        headers = [cell_text(cell.value) or "" for cell in next(rows, ())]
        while headers and not headers[-1].strip():
            headers.pop()
        if not headers:
            others = [ws.title for ws in workbook.worksheets[1:] if ws.max_row and ws.max_row > 1]
            hint = f"; the data seems to be on sheet {others[0]!r}: move it to the front" if others else ""
            raise Unreadable(f"the first sheet ({sheet.title!r}) is empty: it has no header row{hint}")
        names, problems = _header_problems(file, kind, headers)
        if problems:
            return problems
        width = len(names)
        body, bad_cells = [], []
        for number, row in enumerate(rows, start=2):
            values = [None] * width
            for position, cell in enumerate(row[:width]):
                rule = cell_problem(cell)
                if rule:
                    bad_cells.append((file.name, number, names[position], cell_text(cell.value), rule))
                else:
                    values[position] = cell_text(cell.value)
            body.append(values)
    finally:
        workbook.close()
    _still(file, seen)
    frame = pd.DataFrame(body, columns=names, dtype="string")
    with registered(con, "xlsx_frame", frame):
        sqlfiles.run(con, "raw/read_xlsx.sql")
    sqlfiles.run(con, "raw/row_numbers.sql")
    if bad_cells:
        cells = pd.DataFrame(bad_cells, columns=["source_file", "source_row", "column_name", "value", "rule"])
        with registered(con, "cell_problems", cells):
            sqlfiles.run(con, "validation/cell_problems.sql")
    return []


@contextlib.contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame):
    """A pandas frame visible to DuckDB as `name` for the duration of the block."""
    con.register(name, frame)
    try:
        yield
    finally:
        con.unregister(name)


def load_file(
    con: duckdb.DuckDBPyConnection, file: InputFile, kind: FileKind, *, run_id: str, loaded_at: dt.datetime
) -> tuple[int, list[Problem]]:
    """Append one file's rows to raw.<kind>; returns (rows loaded, problems with the file as a whole)."""
    try:
        with tempfile.TemporaryDirectory(prefix="wavecompare-") as workdir:
            if file.path.suffix.casefold() == ".xlsx":
                problems, records = _read_xlsx(con, file, kind), None
            else:
                problems, records = _read_csv(con, file, kind, Path(workdir))
            if problems:
                return 0, problems
            sqlfiles.run(
                con,
                "raw/file_lineage.sql",
                source_file=file.name,
                source_sha256=file.sha256,
                loaded_at=loaded_at,
                run_id=run_id,
                folder_wave_id=file.wave_id,
            )
            sqlfiles.run(con, "raw/file_rows.sql")
            rows = _append(con, f"raw.{kind.name}")
            if records is not None:
                sqlfiles.run(con, "raw/rows_read.sql", source_file=file.name, records=records, loaded=rows)
    except Unreadable as error:
        return 0, [Problem(file.name, str(error))]
    if rows == 0 and kind.name in KINDS_NEEDING_ROWS and not _quarantined_rows(con, file):
        return 0, [Problem(file.name, "the file has a header row but no data rows")]
    return rows, []


def _quarantined_rows(con: duckdb.DuckDBPyConnection, file: InputFile) -> list[int]:
    """The rows of the file set aside as unreadable while reading it. A file with none loaded but some of these
    is not empty: its rows are told as unreadable, and for a CSV file they are rows the recount skips."""
    query = sqlfiles.text("raw/quarantined_rows.sql")
    return [row for (row,) in con.execute(query, {"source_file": file.name}).fetchall()]


def _append(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Union by name (files of one kind may carry different extra columns); returns the rows added."""
    existing = {name for (name,) in con.execute(f"SELECT name FROM pragma_table_info('{table}')").fetchall()}
    for name, type_ in con.execute("SELECT name, type FROM pragma_table_info('file_rows')").fetchall():
        if name not in existing:
            con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {type_}').complete()
    [(rows,)] = con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM file_rows").fetchall()
    return rows
