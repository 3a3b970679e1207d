"""`export_headers.csv`: the headers of coding tools' exports written in another language than the ones built
in (`segment_lists.LAYOUTS`: English, and German for MAXQDA).

Optional, at the study's root: one row per header, with the columns `tool` (`maxqda`, `atlas.ti` or
`taguette`), `field` (what the column holds: `document`, `code`, `excerpt`, `start`, `end` or `record`, as the
tool's layout has them) and `header` (the column's header in the export, in any case). A row adds a name to
the built-in ones; it never removes one. `wavecompare codes --headers FILE` reads the same file.
"""

from __future__ import annotations

import csv
from pathlib import Path

from wavecompare.problems import Problem

from .segment_lists import LAYOUTS, Headers

FILE_NAME = "export_headers.csv"


def parse(rows: list[tuple[int, str | None, str | None, str | None]], file: str) -> tuple[Headers, list[Problem]]:
    """(row, tool, field, header) rows as headers to add, and the problems of the rows that are not one."""
    tools = {layout.key: layout for layout in LAYOUTS}
    headers: Headers = {}
    bad: dict[tuple[str, str], list[tuple[int, str | None]]] = {}
    for row, tool, field, header in rows:
        tool, field, header = ((value or "").strip().casefold() for value in (tool, field, header))
        layout = tools.get(tool)
        if layout is None:
            bad.setdefault(("tool", f"the tool is one of {', '.join(tools)}"), []).append((row, tool or None))
        elif field not in layout.headers:
            bad.setdefault(("field", f"the field is one of the tool's: {', '.join(layout.headers)}"), []).append(
                (row, field or None))
        elif not header:
            bad.setdefault(("header", "a value is required: the column's header in the export"), []).append(
                (row, None))
        else:
            names = headers.setdefault(tool, {}).setdefault(field, ())
            headers[tool][field] = (*names, header)
    problems = [Problem(file, rule, column, len(examples), tuple(examples[:5]))
                for (column, rule), examples in bad.items()]
    return headers, problems


def read_file(path: Path) -> tuple[Headers, list[Problem]]:
    """The headers of an export_headers.csv given on the command line."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return parse([(number, row.get("tool"), row.get("field"), row.get("header"))
                  for number, row in enumerate(rows, start=2)], str(path))
