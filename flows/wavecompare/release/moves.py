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
    """

    def __init__(self, cells: list[tuple[int, ...]], values: np.ndarray, fixed: set[int] = frozenset()):
        size = len(values)
        part_of: list[list[int]] = [[] for _ in range(size)]
        total_of: list[list[int]] = [[] for _ in range(size)]
        for e, members in enumerate(cells):
            total_of[members[0]].append(e)
            for cell in members[1:]:
                part_of[cell].append(e)
        self.values = values.tolist()
        self.simple = {c: tuple(eqs) for c, eqs in enumerate(part_of)
                       if not total_of[c] and len(eqs) in (1, 2) and c not in fixed}
        self.margins = {c: (tuple(part_of[c]), tuple(total_of[c])) for c in range(size)
                        if total_of[c] and len(part_of[c]) <= 1 and c not in fixed}
        self.parts = {e: [c for c in members[1:] if c in self.simple] for e, members in enumerate(cells)}
        self.row_margins = {e: [c for c in members[1:] if c in self.margins] for e, members in enumerate(cells)}
        self.at = {frozenset(eqs): c for c, eqs in self.simple.items() if len(eqs) == 2}
        self.price = [ZERO_PRICE * (value == 0) + CELL_PRICE + value for value in self.values]

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
        return sum(0 if c in hidden else self.price[c] for c in cells)

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
