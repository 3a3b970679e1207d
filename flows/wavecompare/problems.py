"""Problems found in a study's input, and how they are told to a person.

Readers and validation report problems instead of raising at the first one, so
that a run can list everything wrong with a delivery in one go.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_VALUE_CHARS = 60


@dataclass(frozen=True)
class Problem:
    """One broken rule in one file (and column): how many rows break it, and the
    first few as (row, value), where row is the row a person sees in Excel or a
    text editor (the header is row 1). rows == 0 means the rule is about the file."""

    file: str
    rule: str
    column: str | None = None
    rows: int = 0
    examples: tuple[tuple[int | None, str | None], ...] = ()


def _shown(value: str | None) -> str:
    if value is None:
        return "(empty)"
    text = value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "…"
    return repr(text)


def _line(problem: Problem) -> str:
    where = problem.file + (f", column {problem.column}" if problem.column else "")
    listed = ", ".join(
        f"row {row} {_shown(value)}" if row is not None else _shown(value) for row, value in problem.examples
    )
    detail = f": {listed}" if listed else ""
    if problem.rows:
        more = problem.rows - len(problem.examples)
        detail = f": {problem.rows} row(s) affected{detail}" + (f" and {more} more" if more > 0 else "")
    return f"- {where}: {problem.rule}{detail}"


def describe(problems: list[Problem]) -> str:
    """A message a non-programmer can act on: a summary, then one line per rule,
    file and column with the rows and values affected."""
    files = sorted({p.file for p in problems})
    lines = [
        f"The study was not loaded: {len(problems)} rule(s) failed in {len(files)} file(s) "
        f"({', '.join(files)}). Nothing already published was changed. Fix the input and run again."
    ]
    lines += [_line(p) for p in sorted(problems, key=lambda p: (p.file, p.rule, p.column or ""))]
    return "\n".join(lines)
