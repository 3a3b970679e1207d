"""What every reader of a coding tool's export gives: its documents, its code paths and its codings, in one
shape whichever tool wrote it.

A code is named by its path, the names from the top joined by `\\` as NVivo and MAXQDA show them, since code
names repeat under different parents and tools regenerate their ids on every export. A `\\` inside a name is
written `\\\\`, so a path splits back into its names unambiguously.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

SEPARATOR = "\\"
CODING_COLUMNS = ("document", "source_code", "record", "start", "end", "excerpt", "references")
"""One row per coding: the document (interview) it is in, the code's path, the tool's id for the coded segment
or row (lineage), the segment's positions where the tool gives them (in the tool's units), the coded text where
the tool gives it, and how many coding references the row stands for (1, but for count matrices)."""


def code_path(names: Iterable[str]) -> str:
    """The names from the top, joined by `\\`, each `\\` inside a name doubled."""
    return SEPARATOR.join(name.replace(SEPARATOR, SEPARATOR * 2) for name in names)


@dataclass(frozen=True)
class Export:
    """One export file as read: `kind` says which tool's format (and version, where the file says), `documents`
    every document it holds (coded or not), `codes` every code path it defines or uses, `codings` one row per
    coding (CODING_COLUMNS)."""

    kind: str
    documents: tuple[str, ...]
    codes: tuple[str, ...]
    codings: pd.DataFrame


def codings_frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows in CODING_COLUMNS order as the typed frame every reader returns."""
    frame = pd.DataFrame(rows, columns=list(CODING_COLUMNS))
    return frame.astype({"document": "string", "source_code": "string", "record": "string", "start": "Int64",
                         "end": "Int64", "excerpt": "string", "references": "int64"})
