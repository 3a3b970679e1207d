"""Proof by example that suppressed cells cannot be worked out, and the secondary
cells that give one.

A suppressed cell is safe when the published cells and equations also fit
another whole-number value of it. A *move* shows one: add 1 to some suppressed
cells and take 1 from others so that every equation still holds and no cell
goes below 0; every cell the move touches then has two possible values.

Moves are looked for in the shapes the release tables give:

- *simple* cells, a part of one or two equations and the total of none (a
  group's count of a mention code: groups → All; of a level code: levels →
  group base and groups → All): a pair in one equation (+1 on one, −1 on the
  other), or a rectangle over two equations each: c (row r, column k), c2 in r,
  c3 in k, and c4 in the other equations of c2 and c3 (+1 on c and c4, −1 on
  c2 and c3);
- *margins*, the total of columns of simple cells and a part of at most one
  equation (All's count of a code, totalling each group split): with no row, +1
  on it and on a part of each of its columns; in a row, +1 on it and −1 on
  another margin a' of its row, with, for each of its columns, +1 on a part p
  and −1 on the part p' of the matching column of a' in p's row.

Either sign pattern may be used the other way round; a move is usable when the
cells it takes 1 from are at least 1. `Moves.complete` gives every suppressed
cell of these shapes a move, suppressing the fewest further cells (then
non-zero ones, then the smallest), and records the cells so proven safe. Only
the other suppressed cells (bases, and cells no move was found for) need the
integer-programming audit, which is what makes suppression take seconds on a
large release.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

Choose = Callable[[int, int], None]
"""`choose(cell, equation)` suppresses `cell` as a secondary cell, for `equation`."""
Move = list[tuple[int, int]]
"""The cells a move needs besides the one it is for, each with the equation it is chosen through."""

CELL_PRICE = 10**12
ZERO_PRICE = 10**9
"""A new cell costs more than any sum of counts, a zero more than any count (zeros protect less: they cannot go down)."""


class Moves:
    """The simple cells and margins of a system of equations (`cells[e]` = total first, then parts).

    `fixed` cells are published whatever happens (design facts): no move touches them, so they are
    neither simple cells nor margins; a move among the others keeps every equation they are in.

    A release has hundreds of thousands of cells and moves are looked for around a few hundred withheld
    ones, so each cell's and equation's shape is found when first asked for (`_Found`), from arrays of the
    equations each cell is in built once.
    """

    def __init__(self, cells: list[tuple[int, ...]], values: np.ndarray, fixed: set[int] = frozenset()):
        size = len(values)
        lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
        members = np.fromiter(itertools.chain.from_iterable(cells), dtype=np.int64, count=int(lengths.sum()))
        equation = np.repeat(np.arange(len(cells)), lengths)
        total = np.zeros(len(members), dtype=bool)
        total[np.cumsum(lengths) - lengths] = True
        self._part_of = Grouped(members[~total], equation[~total], size)
        self._total_of = Grouped(members[total], equation[total], size)
        shape = np.ones(size, dtype=bool)
        shape[list(fixed)] = False
        parts, totals = self._part_of.counts, self._total_of.counts
        self._is_simple = shape & (totals == 0) & ((parts == 1) | (parts == 2))
        self._is_margin = shape & (totals > 0) & (parts <= 1)
        self.cells = cells
        self.values = values.tolist()
        self.simple = _Found(lambda c: tuple(self._part_of[c]) if self._is_simple[c] else None)
        self.margins = _Found(lambda c: (tuple(self._part_of[c]), tuple(self._total_of[c]))
                              if self._is_margin[c] else None)
        self.parts = _Found(lambda e: [c for c in cells[e][1:] if self._is_simple[c]])
        self.row_margins = _Found(lambda e: [c for c in cells[e][1:] if self._is_margin[c]])
        self.at = _Found(self._at)

    def _at(self, pair: frozenset) -> int | None:
        """The simple cell whose two equations are `pair` (the highest, if several)."""
        found = [c for c in self.parts[min(pair)] if len(self.simple[c]) == 2 and frozenset(self.simple[c]) == pair]
        return max(found) if found else None

    def price(self, cell: int) -> int:
        value = self.values[cell]
        return ZERO_PRICE * (value == 0) + CELL_PRICE + value

    def complete(self, hidden: set[int], proven: set[int], choose: Choose) -> None:
        """Give every hidden cell of a known shape not in `proven` a move, choosing further
        cells through `choose`; add the cells of each move to `proven`."""
        for cell in sorted(c for c in hidden if c not in proven and (c in self.simple or c in self.margins)):
            if cell in proven:
                continue
            move = self._cycle(cell, hidden) if cell in self.simple else self._margin_move(cell, hidden)
            if move is None:
                continue
            for other, equation in move:
                if other not in hidden:
                    choose(other, equation)
                proven.add(other)
            proven.add(cell)

    def _usable(self, plus, minus) -> bool:
        values = self.values
        return all(values[c] > 0 for c in minus) or all(values[c] > 0 for c in plus)

    def _cost(self, hidden, cells) -> int:
        return sum(0 if c in hidden else self.price(c) for c in cells)

    def _cycle(self, cell: int, hidden) -> Move | None:
        """The cheapest pair or rectangle through a simple cell (ties to the lowest cell numbers)."""
        simple = self.simple
        best = None
        mine = simple[cell]
        if len(mine) == 1:
            [e] = mine
            for other in self.parts[e]:
                if other != cell and len(simple[other]) == 1 and self._usable((cell,), (other,)):
                    key = (self._cost(hidden, (other,)), other)
                    best = key if best is None or key < best else best
            return None if best is None else [(best[1], e)]
        row, column = mine
        for c2 in self.parts[row]:
            if c2 == cell or len(simple[c2]) != 2:
                continue
            far_column = _other(simple[c2], row)
            for c3 in self.parts[column]:
                if c3 == cell or len(simple[c3]) != 2:
                    continue
                c4 = self.at.get(frozenset((far_column, _other(simple[c3], column))))
                if c4 is None or c4 in (cell, c2, c3) or not self._usable((cell, c4), (c2, c3)):
                    continue
                key = (self._cost(hidden, (c2, c3, c4)), c2, c3, c4)
                best = key if best is None or key < best else best
        if best is None:
            return None
        _, c2, c3, c4 = best
        return [(c2, row), (c3, column), (c4, _other(simple[c2], row))]

    def _margin_move(self, cell: int, hidden) -> Move | None:
        """The cheapest move through a margin, by the shapes in the module docstring."""
        rows, columns = self.margins[cell]
        if not rows:  # +1 on the margin and on one part of each column: always usable
            move = []
            for column in columns:
                ones = [c for c in self.parts[column] if len(self.simple[c]) == 1]
                if not ones:
                    return None
                move.append((min(ones, key=lambda c: (self._cost(hidden, (c,)), c)), column))
            return move
        best = None
        [row] = rows
        values = self.values
        for partner in self.row_margins[row]:
            if partner == cell or len(self.margins[partner][1]) != len(columns):
                continue
            for up in (True, False):  # +1 on the cell (−1 on the partner), or the reverse
                if values[partner if up else cell] == 0:
                    continue
                move = self._matched_parts(columns, self.margins[partner][1], hidden, up)
                if move is None:
                    continue
                key = (self._cost(hidden, [partner, *(c for c, _ in move)]), partner, not up)
                if best is None or key < best[0]:
                    best = (key, [(partner, row), *move])
        return None if best is None else best[1]

    def _matched_parts(self, columns, partner_columns, hidden, up: bool) -> Move | None:
        """For each column, the cheapest part p and the part p' of a partner column in p's row,
        p' (when `up`) or p (otherwise) at least 1; None unless every partner column is matched."""
        values, simple = self.values, self.simple
        move, matched = [], set()
        for column in columns:
            best = None
            for p in self.parts[column]:
                if len(simple[p]) != 2:
                    continue
                row = _other(simple[p], column)
                for partner_column in partner_columns:
                    q = self.at.get(frozenset((row, partner_column)))
                    if q is not None and values[q if up else p] > 0:
                        key = (self._cost(hidden, (p, q)), p, q, partner_column)
                        best = key if best is None or key < best else best
            if best is None:
                return None
            _, p, q, partner_column = best
            move += [(p, column), (q, partner_column)]
            matched.add(partner_column)
        return move if matched == set(partner_columns) else None


def _other(pair: tuple[int, int], one: int) -> int:
    return pair[1] if pair[0] == one else pair[0]


class Grouped:
    """For each of `size` numbers, the items `items` gives it in `keys` (in the order given): the equations each
    cell is in, as two arrays rather than a list per cell."""

    def __init__(self, keys: np.ndarray, items: np.ndarray, size: int):
        order = np.argsort(keys, kind="stable")
        self.items = items[order]
        self.counts = np.bincount(keys, minlength=size)
        self.starts = np.concatenate([[0], np.cumsum(self.counts)])

    def __getitem__(self, key: int) -> list[int]:
        return self.items[self.starts[key]:self.starts[key + 1]].tolist()


class _Found:
    """A mapping whose values are found when first asked for: `find(key)` gives the value, or None for a key the
    mapping does not hold."""

    def __init__(self, find: Callable):
        self.find = find
        self.found: dict = {}

    def get(self, key, default=None):
        if key not in self.found:
            self.found[key] = self.find(key)
        value = self.found[key]
        return default if value is None else value

    def __getitem__(self, key):
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        return self.get(key) is not None
