"""Problems found in a study's input, and how they are told to a person.

Every reader and check reports problems instead of raising at the first one, so
that a run can list everything wrong with a delivery in one go.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

MAX_VALUE_CHARS = 60
MAX_ROWS_LISTED = 5


@dataclass(frozen=True)
class Problem:
    """One broken rule at one place: row is the row number a person sees in Excel
    or a text editor (the header is row 1); None where the rule is about the file."""

    file: str
    rule: str
    row: int | None = None
    column: str | None = None
    value: str | None = None


class InputError(Exception):
    """The study cannot be loaded as it is; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(describe(self.problems))


def _shown(value: str | None) -> str:
    if value is None:
        return "(empty)"
    text = value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "…"
    return repr(text)


def describe(problems: list[Problem]) -> str:
    """A message a non-programmer can act on: a summary, then one line per rule
    and file with the rows, column and values affected."""
    grouped: dict[tuple[str, str, str | None], list[Problem]] = defaultdict(list)
    for problem in problems:
        grouped[(problem.file, problem.rule, problem.column)].append(problem)
    files = sorted({p.file for p in problems})
    lines = [
        f"The study was not loaded: {len(grouped)} rule(s) failed in {len(files)} file(s) "
        f"({', '.join(files)}). Nothing already published was changed. Fix the input and run again."
    ]
    for (file, rule, column), found in sorted(grouped.items(), key=lambda item: (item[0][0], item[0][1])):
        where = f"{file}"
        if column:
            where += f", column {column}"
        rows = [p for p in found if p.row is not None]
        detail = ""
        if rows:
            listed = ", ".join(f"row {p.row} {_shown(p.value)}" for p in rows[:MAX_ROWS_LISTED])
            more = f" and {len(rows) - MAX_ROWS_LISTED} more" if len(rows) > MAX_ROWS_LISTED else ""
            detail = f": {len(rows)} row(s) affected: {listed}{more}"
        elif found[0].value is not None:
            detail = f": {_shown(found[0].value)}"
        lines.append(f"- {where}: {rule}{detail}")
    return "\n".join(lines)
