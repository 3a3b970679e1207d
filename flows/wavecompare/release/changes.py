"""The largest wave-on-wave changes, stated with their counts and their test, for the report's summary.

Readers of small samples over-read changes, so each is stated with the counts it
rests on ("from 4 of 10 to 12 of 15") and the test's own wording ("not tested
(base 4)", "no significant change, p = …"), never as a finding on its own.
Suppressed cells are never picked.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .cells import frame_numbers, number
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


def change_sizes(table: ReleaseTable) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the table's non-base rows, and each one's |change| for each pair of consecutive waves
    (rows × pairs), NaN where a count, base or the change is not published (suppressed).

    By column operations: the tables of a large tracker hold thousands of rows.
    """
    frame, pairs = table.frame, list(pairwise(table.waves))
    rows = np.flatnonzero(~base_mask(table).to_numpy())
    sizes = np.full((len(rows), len(pairs)), np.nan)
    for p, (a, b) in enumerate(pairs):
        columns = [*(wave_column(w, m) for w in (a, b) for m in MEASURES), change_column(a, b, "change (pp)")]
        values = frame_numbers(frame[columns].iloc[rows])
        sizes[:, p] = np.where(np.isnan(values).any(axis=1), np.nan, np.abs(values[:, -1]))
    return rows, sizes


def table_change(table: ReleaseTable, earlier: str, later: str, position: int) -> Change:
    """The change in the frame's row at `position` between two consecutive waves, stated in full."""
    row = table.frame.iloc[position]
    first, second = (tuple(number(row[wave_column(w, m)]) for m in MEASURES) for w in (earlier, later))
    pp = number(row[change_column(earlier, later, "change (pp)")])
    test = str(row[change_column(earlier, later, "test")])
    return Change(table.title, row_label(table, row), earlier, later, first, second, pp, test)


def largest_changes(tables: list[ReleaseTable], limit: int = 5, names: tuple[str, ...] = CORE_TABLES) -> list[Change]:
    """The `limit` largest absolute changes across the named tables; ties keep table, wave pair and row order.

    Picked from every table's sizes at once; only the chosen few are read out row by row.
    """
    pairs, positions, sizes = [], [], []  # per (table, earlier, later): published rows' positions and sizes
    for table in (t for t in tables if t.name in names):
        rows, table_sizes = change_sizes(table)
        for p, (a, b) in enumerate(pairwise(table.waves)):
            published = ~np.isnan(table_sizes[:, p])
            pairs.append((table, a, b))
            positions.append(rows[published])
            sizes.append(table_sizes[published, p])
    if not pairs:
        return []
    pair_of = np.repeat(np.arange(len(pairs)), [len(x) for x in positions])
    position = np.concatenate(positions)
    order = np.argsort(-np.concatenate(sizes), kind="stable")[:limit]
    return [table_change(*pairs[pair_of[k]], int(position[k])) for k in order]
