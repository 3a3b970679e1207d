"""Statistical disclosure control for released tables: cell suppression.

The field's tools were evaluated first:

- SACRO's `acro` (1.0.2, current on PyPI) requires `pandas<=2.3.3`; this project
  runs pandas 3.1.1, so it cannot be installed without downgrading the stack.
- `pytauargus` (0.6.0) installs from PyPI with τ-ARGUS's engine and the HiGHS
  solver bundled, and protected a test frequency table (FREQ rule, OPT). It
  does not fit here: (1) our release is a set of tables that share cells (the
  'All' column of both group splits, group bases that are categories of the
  stakeholder mix), so each table protected on its own can be undone from
  another; (2) its safety rules (frequency, dominance, p%, request) have no
  "count equals its group's total" rule, and the test table duly released
  "all 10 regulators by telephone"; (3) it is a beta native engine driven
  through batch files in a work directory, and states that concurrent engine
  calls in one process are not validated (Prefect runs tasks in threads).

So this module does it, on one system of additive equations over every
released cell (each `Equation` says total = sum of parts). The caller names
the unsafe cells (the rules of docs/threat-model.md: answers of a small group
given unanimously, and with `--min-cell` small counts) and the fixed ones (the
design facts: bases and the stakeholder mix, published as they are); which
rule made a cell unsafe is never recorded, since a per-cell reason bounds the
cell for a reader. Further (secondary) cells are withheld, never a fixed one,
in rounds until no withheld cell can be worked out:

1. Moves (`moves`): every withheld cell of the shapes release tables have
   (a group's count, All's count) gets a ±1 move among withheld cells that
   keeps every equation, choosing the fewest further cells: proof that it has
   another possible value. This settles almost every cell at once.
2. Lines: while an equation has exactly one withheld cell, a second one is
   withheld in it, preferring a part to a total (All is a headline figure),
   a non-zero count to a zero and the smallest count.
3. Audit (`audit`), for the withheld cells no move covers: the smallest and
   largest whole number each can take given the published cells and all
   equations (`scipy.optimize.milp`, HiGHS; cells whole numbers ≥ 0), per
   linked group of withheld cells with the published cells as constants;
   a cell pinned to one value gets another secondary cell beside it.
The release's own audit (`disclosure`) then checks the published cells file
against every relation a reader can use, inequalities included.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from .audit import pinned
from .moves import Grouped, Moves

Key = Hashable


@dataclass(frozen=True)
class Equation:
    """total = sum(parts), as a reader of the released tables can also see it."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def cells(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


class Unprotectable(Exception):
    """A withheld cell can be worked out and every cell that could protect it is fixed or already withheld."""


def protect(values: Mapping[Key, int], equations: list[Equation], unsafe: Iterable[Key],
            fixed: Collection[Key] = ()) -> set[Key]:
    """Every withheld cell: the unsafe ones plus the secondary ones, none of them `fixed`."""
    return Suppression(values, equations, fixed).protect(unsafe)


class Suppression:
    """A release's system of equations and its moves, built once: `protection` protects again with more unsafe
    cells after each audit, and neither depends on which cells are withheld (only on the values, equations and
    fixed cells), so each round costs what its withheld cells touch, not the whole release."""

    def __init__(self, values: Mapping[Key, int], equations: list[Equation], fixed: Collection[Key] = ()):
        self.system = _System(values, equations, fixed)
        self.moves = Moves(self.system.cells, self.system.values, self.system.fixed)
        self.safe: set[frozenset] = set()
        """Linked groups of withheld cells the audit found none of pinned: whether one is depends only on its
        cells and the equations, so it holds for every later `protect`."""

    def protect(self, unsafe: Iterable[Key]) -> set[Key]:
        """Every withheld cell for these unsafe ones, as `protect` gives it."""
        system, moves = self.system, self.moves
        hidden = {system.index[key] for key in unsafe}
        proven: set[int] = set()  # cells a move shows to have another value
        safe = self.safe
        while True:
            _close(system, moves, hidden, proven)
            doubtful = [(members, rows) for members, rows in _components(system, hidden)
                        if not proven.issuperset(members) and frozenset(members) not in safe]
            exposed = []
            for (members, rows), found in zip(doubtful, _pinned(system, doubtful, proven)):
                exposed.extend((cell, rows) for cell in found)
                if not found:
                    safe.add(frozenset(members))
            if not exposed:
                return {system.keys[cell] for cell in hidden}
            widened: set[int] = set()
            for cell, rows in exposed:
                if not widened.intersection(system.by_cell[cell]):
                    _suppress_beside(system, cell, [*system.by_cell[cell], *rows], hidden)
                    widened.update(system.by_cell[cell])


def _close(system: _System, moves: Moves, hidden: set[int], proven: set[int]) -> None:
    """Give every withheld cell of a shape `moves` knows a move and every equation a second withheld cell,
    until neither adds a cell."""
    while True:
        before = len(hidden)
        moves.complete(hidden, proven, lambda cell, equation: hidden.add(cell))
        _close_lines(system, hidden)
        if len(hidden) == before:
            return


class _System:
    """The equations over cell numbers (not keys), since protect walks them many times.

    `cells[e]` are equation e's cells, total first; `by_cell[c]` the equations cell c is in (ascending).
    """

    def __init__(self, values: Mapping[Key, int], equations: list[Equation], fixed: Collection[Key]):
        self.keys = list(values)
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.values = np.fromiter(values.values(), dtype=np.int64, count=len(self.keys))
        self.equations = equations
        lengths = [len(equation.parts) + 1 for equation in equations]
        members = [self.index.get(key, -1) for equation in equations for key in equation.cells]
        if -1 in members:
            unknown = {key for equation in equations for key in equation.cells if key not in values}
            raise ValueError(f"equations name cells without a value, e.g. {sorted(map(str, unknown))[:3]}")
        walk = iter(members)
        self.cells = [tuple(itertools.islice(walk, length)) for length in lengths]
        self.by_cell = Grouped(np.array(members, dtype=np.int64), np.repeat(np.arange(len(equations)), lengths),
                               len(self.keys))
        self.totals = {cells[0] for cells in self.cells}
        self.fixed = {self.index[key] for key in fixed if key in self.index}

    def touching(self, hidden: Iterable[int]) -> list[int]:
        """The equations (ascending) that hold a cell of `hidden`: the others hold no withheld cell."""
        return sorted({e for cell in hidden for e in self.by_cell[cell]})

    def free(self, cells: Iterable[int], hidden: set[int]) -> list[int]:
        """The cells that may still be withheld: neither withheld already nor fixed."""
        return [cell for cell in cells if cell not in hidden and cell not in self.fixed]

    def choice(self, candidates: list[int]) -> int:
        """The cell to suppress next: a part before a total, a non-zero count before a zero, then the smallest."""
        values = self.values
        return min(candidates, key=lambda c: (c in self.totals, values[c] == 0, values[c], str(self.keys[c])))


def _suppress_beside(system: _System, cell: int, rows: list[int], hidden: set[int]) -> None:
    """Withhold one more cell for a pinned one: in the first of `rows` (its own
    equations first, then those of its linked group) that still has a cell that may be withheld."""
    for e in rows:
        free = system.free(system.cells[e], hidden)
        if free:
            hidden.add(system.choice(free))
            return
    raise Unprotectable(system.keys[cell])


def _close_lines(system: _System, hidden: set[int]) -> None:
    """Withhold a second cell in every equation that has exactly one (if one may be). Only equations that hold a
    withheld cell can, and they are walked in the order of a walk over every equation (the highest first), so
    the result is the same."""
    pending = system.touching(hidden)
    while pending:
        e = pending.pop()
        cells = system.cells[e]
        if sum(cell in hidden for cell in cells) != 1:
            continue
        free = system.free(cells, hidden)
        if not free:
            continue
        chosen = system.choice(free)
        hidden.add(chosen)
        pending.extend(system.by_cell[chosen])


def _pinned(system: _System, components: list[tuple[list[int], list[int]]], proven: set[int]) -> list[list[int]]:
    """For each linked group of suppressed cells, those that can take only one
    whole-number value, with every published cell a constant; all groups are
    audited together as independent blocks of one system, `proven` cells known free."""
    if not components:
        return []
    members = [cell for cells, _ in components for cell in cells]
    column = {cell: i for i, cell in enumerate(members)}
    entries, columns, coefficients, rhs = [], [], [], []
    for _, rows in components:
        for e in rows:
            constant = 0
            for position, cell in enumerate(system.cells[e]):
                sign = -1 if position == 0 else 1
                if cell in column:
                    entries.append(len(rhs))
                    columns.append(column[cell])
                    coefficients.append(sign)
                else:
                    constant -= sign * system.values[cell]
            rhs.append(constant)
    matrix = csr_matrix((np.array(coefficients, dtype=float), (entries, columns)), shape=(len(rhs), len(members)))
    matrix.eliminate_zeros()
    block = np.repeat(np.arange(len(components)), [len(cells) for cells, _ in components])
    free = np.array([cell in proven for cell in members], dtype=bool)
    found = set(pinned(matrix, np.array(rhs, dtype=float), system.values[members].astype(float), block, free).tolist())
    return [[cell for cell in cells if column[cell] in found] for cells, _ in components]


def _components(system: _System, hidden: set[int]) -> list[tuple[list[int], list[int]]]:
    """Groups of suppressed cells linked through equations, each with its equations (by number)."""
    parent = {cell: cell for cell in hidden}

    def root(cell: int) -> int:
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    touching = []
    for e in system.touching(hidden):
        inside = [cell for cell in system.cells[e] if cell in hidden]
        touching.append((e, inside[0]))
        for cell in inside[1:]:
            parent[root(cell)] = root(inside[0])
    members: dict[int, list[int]] = defaultdict(list)
    for cell in hidden:
        members[root(cell)].append(cell)
    rows: dict[int, list[int]] = defaultdict(list)
    for e, first in touching:
        rows[root(first)].append(e)
    return [(members[top], rows[top]) for top in members]
