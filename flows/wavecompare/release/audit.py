"""The recoverability audit: which suppressed cells a reader can work out exactly.

A reader knows every published cell and every equation (total = sum of parts)
between cells. With the published cells substituted as constants, the
suppressed cells x satisfy A x = b, x whole numbers ≥ 0, and A splits into
independent blocks (linked groups of suppressed cells, see `suppress`). A
cell is pinned when every solution gives it the same value: its largest and
smallest feasible values are both its true one.

Solving two integer programmes per cell (HiGHS via `scipy.optimize.milp`) is
exact but costs thousands of solver calls on a large release. The audit gets
the same answer from far fewer, all blocks at once:

1. Fixed cells, proved fixed without integer programmes. A cell that is 0 in
   every real solution (found by linear programmes that push cells with true
   value 0 above 0, all blocks at once, until none moves) is pinned; then an
   equation whose other suppressed cells are all fixed fixes its last one,
   repeatedly. (Real programmes suffice: a cell no real solution raises to 1
   is 0 in every whole-number one.) On the benchmark studies this finds all
   but a handful of the pinned cells.
2. Sweeps: any whole-number solution that gives a cell another value than its
   true one proves that cell free. Solutions with the smallest and largest sum
   of the cells still in doubt, then with random signs, free most cells of
   every block in one call each, until two calls free none. They use generous
   upper bounds to stay bounded: a solution of a narrower problem is still a
   solution.
3. Only the cells neither step settled get the exact pair of programmes on
   their own block, without bounds, each solution again freeing every cell it
   moves.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csc_matrix, csr_matrix, hstack, identity

MAX_SWEEPS = 12
ZERO_TOLERANCE = 1e-7


def pinned(matrix: csr_matrix, rhs: np.ndarray, truth: np.ndarray, block: np.ndarray,
           free: np.ndarray) -> np.ndarray:
    """Columns (cells) of `matrix` fixed by matrix @ x = rhs, x whole ≥ 0, ascending.

    `truth` is the true solution (feasible by construction); `block[j]` numbers
    the independent block column j belongs to (no row spans two blocks); `free`
    marks cells already known to take another value (never reported).
    """
    free = free.copy()
    determined = _determined(matrix, _always_zero(matrix, rhs, (truth == 0) & ~free))
    ceiling = Bounds(0, 2 * truth + 2)
    constraints = LinearConstraint(matrix, rhs, rhs)
    signs = np.random.default_rng(0)  # any solution is a proof, so the draws cannot change the result
    idle = 0
    for sweep in range(MAX_SWEEPS):
        doubt = ~(determined | free)
        if not doubt.any() or idle == 2:
            break
        # the smallest sum first (always bounded), the largest, then random directions
        sense = (1.0, -1.0)[sweep] if sweep < 2 else signs.choice((-1.0, 1.0), len(truth))
        result = milp(sense * doubt, integrality=np.ones(len(truth)), bounds=ceiling, constraints=constraints)
        if result.status != 0:
            raise RuntimeError(f"the published cells contradict the equations: {result.message}")
        moved = (np.rint(result.x) != truth) & doubt
        free |= moved
        idle = 0 if moved.any() else idle + 1
    doubt = ~(determined | free)
    for cells in _blocks(block, doubt):
        columns = np.flatnonzero(block == block[cells[0]])
        rows = np.unique(csc_matrix(matrix[:, columns]).nonzero()[0])
        part = matrix[rows][:, columns]
        exact = _exact(part, rhs[rows], truth[columns], np.searchsorted(columns, cells))
        determined[columns[exact]] = True
    return np.flatnonzero(determined)


def _always_zero(matrix: csr_matrix, rhs: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """Of the `candidate` cells (true value 0), those that are 0 in every real solution.

    Each linear programme maximises the sum of min(1, x) over the candidates;
    any candidate above 0 in its solution is not always 0. When no candidate
    moves, the rest are 0 throughout.
    """
    rows, size = matrix.shape
    candidate = candidate.copy()
    if not candidate.any():
        return candidate
    equalities = hstack([matrix, csr_matrix((rows, size))])
    below = hstack([identity(size), -identity(size)])  # x − y ≥ 0
    constraints = [LinearConstraint(equalities, rhs, rhs), LinearConstraint(below, 0, np.inf)]
    bounds = Bounds(0, np.concatenate([np.full(size, np.inf), np.ones(size)]))
    while True:
        objective = np.concatenate([np.zeros(size), -candidate.astype(float)])
        result = milp(objective, bounds=bounds, constraints=constraints)  # no integrality: a linear programme
        if result.status != 0:
            raise RuntimeError(f"the published cells contradict the equations: {result.message}")
        moved = candidate & (result.x[:size] > ZERO_TOLERANCE)
        if not moved.any():
            return candidate
        candidate &= ~moved


def _determined(matrix: csr_matrix, known: np.ndarray) -> np.ndarray:
    """`known` and the cells the equations fix from them: an equation with one unknown cell left fixes it."""
    rows, columns = matrix.shape
    by_row = np.split(matrix.indices, matrix.indptr[1:-1])
    by_column = csc_matrix(matrix)
    by_column = np.split(by_column.indices, by_column.indptr[1:-1])
    known = known.copy()
    unknown = np.array([np.count_nonzero(~known[cells]) for cells in by_row], dtype=np.int64)
    pending = [r for r in range(rows) if unknown[r] == 1]
    while pending:
        row = pending.pop()
        if unknown[row] != 1:
            continue
        left = [c for c in by_row[row] if not known[c]]
        if not left:
            continue
        known[left[0]] = True
        for other in by_column[left[0]]:
            unknown[other] -= 1
            if unknown[other] == 1:
                pending.append(other)
    return known


def _blocks(block: np.ndarray, doubt: np.ndarray) -> list[np.ndarray]:
    """The doubtful cells grouped by block, blocks in order of their first cell."""
    cells = np.flatnonzero(doubt)
    if not len(cells):
        return []
    names, first = np.unique(block[cells], return_index=True)
    return [cells[block[cells] == name] for name in names[np.argsort(first)]]


def _exact(matrix: csr_matrix, rhs: np.ndarray, truth: np.ndarray, cells: np.ndarray) -> list[int]:
    """Of `cells` (columns of one block), those whose largest and smallest whole-number values equal their true one."""
    size = matrix.shape[1]
    constraints = LinearConstraint(matrix, rhs, rhs)
    integral = np.ones(size)
    free = np.zeros(size, dtype=bool)
    open_above = Bounds(0, np.inf)
    found = []
    for cell in cells:
        for sense in (-1.0, 1.0):  # the largest first: most cells are not pinned above
            if free[cell]:
                break
            objective = np.zeros(size)
            objective[cell] = sense
            result = milp(objective, integrality=integral, bounds=open_above, constraints=constraints)
            if result.status != 0 and sense < 0:  # the true values are feasible, so: unbounded above
                free[cell] = True
            elif result.status != 0:
                raise RuntimeError(f"the published cells contradict the equations: {result.message}")
            else:
                free[np.rint(result.x) != truth] = True
        if not free[cell]:
            found.append(cell)
    return found
