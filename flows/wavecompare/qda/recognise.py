"""Which tool wrote an export, told by its content (a zip holding project.qde or a workbook, a sheet's header
row, a count matrix's labels), not by its file name, and the export read by that tool's reader."""

from __future__ import annotations

import zipfile
from pathlib import Path

from . import nvivo_matrix, refi, segment_lists
from .archive import Refused
from .export import Export
from .segment_lists import Headers
from .sheets import read_old_workbook, read_text, read_workbook

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an Excel 97–2003 workbook (and other old Office files)."""
WORKBOOK_MEMBER = "xl/workbook.xml"


def read_export(path: Path, headers: Headers | None = None) -> Export:
    """The export at `path`, or Refused (naming the file) with what is wrong or what was looked for. `headers`
    adds header names of tabular exports in other languages (`headers`, export_headers.csv)."""
    try:
        return _read(Path(path), headers)
    except Refused as refused:
        raise Refused(str(refused), str(path)) from refused


def _read(path: Path, headers: Headers | None) -> Export:
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                members = {name.casefold() for name in archive.namelist()}
        except (zipfile.BadZipFile, OSError) as error:
            raise Refused(f"the file is a damaged zip archive ({error})") from error
        if refi.PROJECT_MEMBER in members:
            return refi.read_project(path)
        if WORKBOOK_MEMBER not in members:
            raise Refused(f"the file is a zip archive holding neither {refi.PROJECT_MEMBER} (a REFI-QDA project) "
                          "nor a workbook (.xlsx)")
        grid = read_workbook(path)
    else:
        with path.open("rb") as handle:
            old = handle.read(len(OLE2)) == OLE2
        grid = read_old_workbook(path) if old else read_text(path)
    if found := segment_lists.recognise(grid, headers):
        return segment_lists.read_segments(grid, *found)
    if nvivo_matrix.recognise(grid):
        return nvivo_matrix.read_matrix(grid)
    header = ", ".join(repr(cell) for cell in (grid.rows[0] if grid.rows else []) if cell) or "none"
    raise Refused(f"the export is not one this tool reads. Its first row holds {header}; looked for a "
                  f"REFI-QDA project (.qdpx), {segment_lists.looked_for()}, or an {nvivo_matrix.LOOKED_FOR}")
