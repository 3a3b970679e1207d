"""The check that no released text holds a term of the study's redact.csv.

Excerpts are redacted, but a term can also stand in text the release shows as it is: a
stakeholder group, category, code label, wave label or file name. The terms are themselves
identifying, so a release that would show one is refused, naming the term's row and where it
stands, never the term.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from wavecompare.problems import Problem
from wavecompare.release import counts, display
from wavecompare.release.model import ReleaseTable, TextTable
from wavecompare.release.redaction import terms_found
from wavecompare.release.refusal import ReleaseRefused
from wavecompare.release.runinfo import RunInfo

RULE = ("this term would be published in the release, where it is not redacted (a group, category, label or file "
        "name holds it): rename it there, or take the term out of redact.csv")


class ListedTermReleased(ReleaseRefused):
    """A term of redact.csv stands in released text; `problems` say which rows and where."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems, RULE)


def check_unlisted(con: duckdb.DuckDBPyConnection, tables: list[ReleaseTable], quotes: TextTable,
                   run: RunInfo) -> None:
    """Raise ListedTermReleased if any table, the quote bank or the run's notes would show a listed term."""
    listed = counts.listed_terms(con)
    if listed.empty:
        return
    terms = [(term, str(index)) for index, term in enumerate(listed.term)]  # labelled by position
    found: dict[int, list[str]] = {}
    for where, texts in [*((table.name, _texts(table)) for table in [*tables, quotes]),
                         ("the notes", list(run.texts))]:
        for index in terms_found(texts, terms):
            found.setdefault(int(index), []).append(where)
    if found:
        raise ListedTermReleased([
            Problem(listed.source_file[index], RULE, "term", 1, ((int(listed.source_row[index]), ", ".join(places)),))
            for index, places in sorted(found.items())])


def _texts(table: ReleaseTable | TextTable) -> list[str]:
    """Every distinct text a table shows in any file: title, notes, headers, the printed cells, and the keys
    and wave ids and labels of its long CSV."""
    if isinstance(table, TextTable):
        frames = [table.frame]
    else:
        keys = table.rows[["group", "code_id", "label", "level"]]
        frames = [display.frame(display.printed(table)), keys, pd.DataFrame(table.labels.items())]
    cells = {value for frame in frames for value in pd.unique(frame.to_numpy(dtype=object).ravel())
             if isinstance(value, str)}
    headers = {str(column) for frame in frames for column in frame.columns}
    return sorted({table.title, *table.notes, *headers, *cells})
