"""The largest wave-on-wave changes, stated with their counts and their test, for the report's summary.

Readers of small samples over-read changes, so each is stated with the counts it
rests on ("from 4 of 10 to 12 of 15") and the test's own wording ("not tested
(base 4)", "no significant change, p = …"), never as a finding on its own.
Suppressed cells are never picked.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from .cells import number
from .layout import base_mask, row_label
from .model import ReleaseTable, change_column, wave_column

CORE_TABLES = ("stakeholder_mix", "awareness", "confidence", "risk_mentions")
MEASURES = ("n", "base", "%")


@dataclass(frozen=True)
class Change:
    table: str
    row: str
    earlier: str
    later: str
    first: tuple[float, float, float]  # n, base and % in the earlier wave
    second: tuple[float, float, float]  # the same in the later wave
    change_pp: float
    test: str

    @property
    def sentence(self) -> str:
        (n1, b1, p1), (n2, b2, p2) = self.first, self.second
        return (
            f"{self.table}, {self.row}: from {n1:.0f} of {b1:.0f} ({p1:.1f}%) in {self.earlier} "
            f"to {n2:.0f} of {b2:.0f} ({p2:.1f}%) in {self.later}, {self.change_pp:+.1f} pp; test: {self.test}."
        )


def table_changes(table: ReleaseTable) -> list[Change]:
    """Every change in the table whose counts, bases and change are all published (none suppressed)."""
    changes = []
    rows = table.frame[~base_mask(table)]
    for a, b in pairwise(table.waves):
        for _, row in rows.iterrows():
            first, second = (tuple(number(row[wave_column(w, m)]) for m in MEASURES) for w in (a, b))
            pp = number(row[change_column(a, b, "change (pp)")])
            if pp is None or None in first + second:
                continue
            test = str(row[change_column(a, b, "test")])
            changes.append(Change(table.title, row_label(table, row), a, b, first, second, pp, test))
    return changes


def largest_changes(tables: list[ReleaseTable], limit: int = 5, names: tuple[str, ...] = CORE_TABLES) -> list[Change]:
    """The `limit` largest absolute changes across the named tables; ties keep table and row order."""
    changes = [c for t in tables if t.name in names for c in table_changes(t)]
    return sorted(changes, key=lambda c: -abs(c.change_pp))[:limit]
