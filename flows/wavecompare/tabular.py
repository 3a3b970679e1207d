"""Reading one input file (CSV or XLSX) into the raw layer, as text, with lineage.

CSV is read by DuckDB with a stated schema (every column VARCHAR, named from the
header) so nothing is guessed; rows it cannot parse are kept as rejects and
reported. Windows-1252 files are transcoded to UTF-8 first. XLSX is read with
openpyxl (which uses defusedxml when installed) after a zip-bomb check.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import zipfile
from pathlib import Path

import duckdb
import pandas as pd

from wavecompare import sqlfiles
from wavecompare.contract import LINEAGE_COLUMNS, FileKind, column_name
from wavecompare.discover import InputFile
from wavecompare.problems import Problem

SNIFF_BYTES = 8192
TRANSCODE_CHUNK = 1 << 20
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_XLSX_RATIO = 200


class Unreadable(Exception):
    """The file cannot be read as a table; the message says why in plain words."""


def _header_problems(file: InputFile, kind: FileKind, headers: list[str]) -> tuple[list[str], list[Problem]]:
    names = [column_name(h or "", kind) for h in headers]
    problems = []
    seen: dict[str, str] = {}
    for header, name in zip(headers, names, strict=True):
        if name in seen:
            problems.append(
                Problem(file.name, f"two headers name the same column {name!r}", row=1, column=name, value=header)
            )
        seen[name] = header
        if name in LINEAGE_COLUMNS:
            problems.append(
                Problem(file.name, "this header name is reserved for lineage; rename the column", row=1, value=header)
            )
    missing = [c for c in kind.required if c not in seen]
    if missing:
        problems.append(
            Problem(
                file.name,
                "required column(s) missing from the header row: " + ", ".join(missing),
                row=1,
                value=", ".join(h or "" for h in headers),
            )
        )
    if len(headers) == 1 and ";" in headers[0]:
        problems = [Problem(file.name, "the file is separated by semicolons; save it as comma-separated CSV", row=1)]
    return names, problems


def _is_utf8(path: Path) -> bool:
    with path.open("rb") as handle:
        try:
            for chunk in iter(lambda: handle.read(TRANSCODE_CHUNK), b""):
                chunk.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character may straddle the chunk boundary.
            return error.start >= len(chunk) - 3 and error.reason == "unexpected end of data"
    return True


def _utf8_copy(path: Path, workdir: Path) -> Path:
    """UTF-8 files are read as they are; anything else is taken to be Windows-1252."""
    if _is_utf8(path):
        return path
    target = workdir / (path.name + ".utf8")
    try:
        with path.open("r", encoding="cp1252", newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
            for chunk in iter(lambda: src.read(TRANSCODE_CHUNK), ""):
                dst.write(chunk)
    except UnicodeDecodeError as error:
        raise Unreadable("the file is neither UTF-8 nor Windows-1252 text") from error
    return target


def _read_csv(con: duckdb.DuckDBPyConnection, file: InputFile, kind: FileKind, workdir: Path) -> list[Problem]:
    with file.path.open("rb") as handle:
        if b"\x00" in handle.read(SNIFF_BYTES):
            raise Unreadable("the file is not a text table (it holds binary data); save it as CSV or XLSX")
    readable = _utf8_copy(file.path, workdir)
    with readable.open("r", encoding="utf-8-sig", newline="") as handle:
        headers = next(csv.reader(handle), None)
    if not headers or all(not h.strip() for h in headers):
        raise Unreadable("the file is empty: it has no header row")
    names, problems = _header_problems(file, kind, headers)
    if problems:
        return problems
    try:
        sqlfiles.run(con, "raw/read_csv.sql", path=str(readable), columns={n: "VARCHAR" for n in names})
    except duckdb.Error as error:
        raise Unreadable("the file could not be read as a comma-separated table: " + str(error).splitlines()[0]) from error
    rejects = con.execute(sqlfiles.text("raw/csv_rejects.sql")).fetchall()
    return [
        Problem(file.name, f"the row could not be read ({message})", row=line, column=column, value=content)
        for line, column, content, message in rejects
    ]


def _cell_text(value: object) -> str | None:
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


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            packed = sum(info.compress_size for info in archive.infolist()) or 1
    except zipfile.BadZipFile as error:
        raise Unreadable("the file is not a valid Excel workbook (.xlsx)") from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES or unpacked / packed > MAX_XLSX_RATIO:
        raise Unreadable("the workbook unpacks to an implausible size; it was not opened (possible zip bomb)")


def _read_xlsx(con: duckdb.DuckDBPyConnection, file: InputFile, kind: FileKind) -> list[Problem]:
    import openpyxl

    _check_zip(file.path)
    try:
        workbook = openpyxl.load_workbook(file.path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise Unreadable(f"the workbook could not be opened ({type(error).__name__})") from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        headers = [_cell_text(v) or "" for v in next(rows, ())]
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            raise Unreadable("the first sheet is empty: it has no header row")
        names, problems = _header_problems(file, kind, headers)
        if problems:
            return problems
        width = len(names)
        body = [[_cell_text(v) for v in row[:width]] for row in rows]
    finally:
        workbook.close()
    frame = pd.DataFrame(body, columns=names, dtype="string").reindex(columns=names)
    frame["ordinality"] = pd.RangeIndex(1, len(frame) + 1, dtype="int64")
    con.register("xlsx_frame", frame)
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE file_source AS SELECT * FROM xlsx_frame").complete()
    finally:
        con.unregister("xlsx_frame")
    return []


def load_file(
    con: duckdb.DuckDBPyConnection, file: InputFile, kind: FileKind, *, run_id: str, loaded_at: dt.datetime
) -> tuple[int, list[Problem]]:
    """Append one file's rows to raw.<kind>; returns (rows loaded, problems)."""
    try:
        with tempfile.TemporaryDirectory(prefix="wavecompare-") as workdir:
            if file.path.suffix.casefold() == ".xlsx":
                problems = _read_xlsx(con, file, kind)
            else:
                problems = _read_csv(con, file, kind, Path(workdir))
            if problems:
                return 0, problems
            sqlfiles.run(
                con,
                "raw/file_rows.sql",
                source_file=file.name,
                source_sha256=file.sha256,
                loaded_at=loaded_at,
                run_id=run_id,
                folder_wave_id=file.wave_id,
            )
    except Unreadable as error:
        return 0, [Problem(file.name, str(error))]
    _append(con, f"raw.{kind.name}")
    [(rows,)] = con.execute("SELECT count(*) FROM file_rows").fetchall()
    return rows, []


def _append(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Union by name: files of one kind may carry different extra columns."""
    con.execute(f"CREATE TABLE IF NOT EXISTS {table} AS SELECT * FROM file_rows LIMIT 0").complete()
    existing = {name for (name,) in con.execute(f"SELECT name FROM pragma_table_info('{table}')").fetchall()}
    for name, type_ in con.execute("SELECT name, type FROM pragma_table_info('file_rows')").fetchall():
        if name not in existing:
            con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {type_}').complete()
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM file_rows").complete()
