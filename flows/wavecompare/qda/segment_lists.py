"""Exports that list coded segments one row each: Taguette's highlights, MAXQDA's "Coded Segments" and ATLAS.ti's
Quotation Manager. Each is recognised by its header row (`LAYOUTS`: the headers each tool writes, compared
without regard to case or surrounding spaces; MAXQDA's in English and German).

- Taguette writes one row per highlight and tag (`id`, `document`, `tag`, `content`); tags are flat, so a tag is
  a path of one name. A row without a tag is a highlight nobody coded: its document is listed, no coding made.
- MAXQDA writes the code's path as it shows it (`Parent\\Child`), and `Begin`/`End` as the segment's paragraphs,
  kept as its positions (lineage, not offsets into a text).
- ATLAS.ti puts every code of a quotation in one cell, one per line: each line is a coding.

Neither MAXQDA nor ATLAS.ti export is among the samples the project has (tests/data/qda-samples): their headers
here are those of the tools' manuals and of scripts that read them, and an export in another layout or language
is refused with the headers that were looked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from .archive import Refused
from .export import Export, code_path, codings_frame
from .sheets import Grid

Headers = dict[str, dict[str, tuple[str, ...]]]
"""Header names to add to the built-in ones: tool key → field → names (lower case); see `headers`."""


@dataclass(frozen=True)
class Layout:
    key: str
    """How export_headers.csv names the tool."""
    tool: str
    headers: dict[str, tuple[str, ...]]
    """field → the header names a tool writes for it (lower case)."""
    required: tuple[str, ...]
    path_given: bool = True
    """The code cell holds the code's path as the tool shows it (False: a flat name, made a path here)."""
    codes_per_line: bool = False


LAYOUTS = (
    Layout("taguette", "Taguette highlights export",
           {"record": ("id",), "document": ("document",), "code": ("tag",), "excerpt": ("content",)},
           ("record", "document", "code", "excerpt"), path_given=False),
    Layout("maxqda", "MAXQDA coded segments export",
           {"document": ("document name", "dokumentname"), "code": ("code",), "excerpt": ("segment",),
            "start": ("begin", "beginning", "anfang"), "end": ("end", "ende")},
           ("document", "code", "excerpt")),
    Layout("atlas.ti", "ATLAS.ti quotation manager export",
           {"record": ("id",), "document": ("document",), "code": ("codes",),
            "excerpt": ("quotation content", "content")},
           ("document", "code", "excerpt"), codes_per_line=True),
)


def looked_for() -> str:
    """The header rows recognised, for the message about an export that is none of them."""
    return "; ".join(f"{layout.tool} ({', '.join(layout.headers[field][0] for field in layout.required)})"
                     for layout in LAYOUTS)


def recognise(grid: Grid, extra: Headers | None = None) -> tuple[Layout, dict[str, int]] | None:
    """The layout whose required headers the first row holds, and each field's column; None if no layout's.
    `extra` adds header names by tool key and field (export_headers.csv, `headers`)."""
    if not grid.rows:
        return None
    header = [(cell or "").strip().casefold() for cell in grid.rows[0]]
    for layout in LAYOUTS:
        added = (extra or {}).get(layout.key, {})
        columns = {field: header.index(name) for field, names in layout.headers.items()
                   for name in (*names, *added.get(field, ())) if name in header}
        if all(field in columns for field in layout.required):
            return layout, columns
    return None


def read_segments(grid: Grid, layout: Layout, columns: dict[str, int]) -> Export:
    def cell(row: list, field: str) -> str | None:
        at = columns.get(field)
        value = row[at] if at is not None and at < len(row) else None
        return value.strip() if value is not None and field != "excerpt" else value

    documents, rows = {}, []
    for number, row in enumerate(grid.rows[1:], start=2):
        if not any(row):
            continue
        document = cell(row, "document")
        if not document:
            raise Refused(f"row {number} has no document ({grid.rows[0][columns['document']]!r} is empty)")
        documents.setdefault(document, None)
        codes = cell(row, "code") or ""
        names = codes.splitlines() if layout.codes_per_line else [codes]
        record = cell(row, "record") or f"row {number}"
        start, end = (_position(cell(row, field), number, field) for field in ("start", "end"))
        for name in (name.strip() for name in names):
            if name:
                path = name if layout.path_given else code_path([name])
                rows.append((document, path, record, start, end, cell(row, "excerpt"), 1))
    frame = codings_frame(rows)
    return Export(layout.tool, tuple(documents), tuple(dict.fromkeys(frame.source_code)), frame)


def _position(value: str | None, number: int, field: str) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise Refused(f"row {number}: the segment's {field} {value!r} is not a whole number")
    return int(value)
