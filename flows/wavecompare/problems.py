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
    first few as (row, value) or (row, value, record), where row is the row a
    person sees in Excel or a text editor (the header is row 1) and record names
    what the row is about ("interview A1, code aware"), when it is known.
    rows == 0 means the rule is about the file."""

    file: str
    rule: str
    column: str | None = None
    rows: int = 0
    examples: tuple[tuple[int | None, str | None] | tuple[int | None, str | None, str | None], ...] = ()


def _shown(value: str | None) -> str:
    if value is None:
        return "(empty)"
    return repr(_cut(value))


def _cut(text: str) -> str:
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"


def joined(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _listed(examples) -> str:
    """The examples as rows ("row 4 'x', row 9 'y'") or, where their records are
    known, grouped by record: "interview C2, code aware: 'low' (row 5) and 'high' (row 9)"."""
    examples = [(e[0], e[1], e[2] if len(e) > 2 else None) for e in examples]
    if not any(record for _, _, record in examples):
        return ", ".join(f"row {row} {_shown(value)}" if row is not None else _shown(value)
                         for row, value, _ in examples)
    by_record: dict[str | None, list[tuple[int | None, str | None]]] = {}
    for row, value, record in examples:
        by_record.setdefault(record, []).append((row, value))
    groups = []
    for record, rows in by_record.items():
        if record is None:
            groups.append(", ".join(f"row {row} {_shown(value)}" for row, value in rows))
            continue
        name = _cut(record) if record.isprintable() else repr(_cut(record))
        values = [("empty" if value is None else _shown(value)) + (f" (row {row})" if row is not None else "")
                  for row, value in rows]
        groups.append(f"{name}: {joined(values)}")
    return "; ".join(groups)


def _line(problem: Problem) -> str:
    where = problem.file + (f", column {problem.column}" if problem.column else "")
    listed = _listed(problem.examples)
    detail = f": {listed}" if listed else ""
    if problem.rows:
        more = problem.rows - len(problem.examples)
        detail = f": {problem.rows} row(s) affected{detail}" + (f" and {more} more" if more > 0 else "")
    return f"- {where}: {problem.rule}{detail}"


STUDY_REFUSED = ("The study was not loaded", "Fix the input and run again.")
RELEASE_REFUSED = ("The release was not published", "Fix the input, or change the release settings, and run again.")


def describe(problems: list[Problem], refused: tuple[str, str] = STUDY_REFUSED) -> str:
    """A message a non-programmer can act on: a summary (what was refused, and what to do), then one line per
    rule, file and column with the rows and values affected."""
    files = sorted({p.file for p in problems})
    what, advice = refused
    lines = [
        f"{what}: {len(problems)} rule(s) failed in {len(files)} file(s) "
        f"({', '.join(files)}). Nothing already published was changed. {advice}"
    ]
    lines += [_line(p) for p in sorted(problems, key=lambda p: (p.file, p.rule, p.column or ""))]
    return "\n".join(lines)
