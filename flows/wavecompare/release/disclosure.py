"""The release's disclosure audit, from `published_cells.csv` alone (docs/threat-model.md).

A reader knows every count the release shows and every relation between counts:

- the levels of a level code and 'not coded' sum to the group's base;
- a level net equals the sum of its levels; an "any mention" net (`any:<theme>`)
  lies between its largest member and the sum of its members, and at most the base;
- a mention count is at most its base; every count is a whole number ≥ 0;
- the groups of a split sum to `All` (where the groups shown cover the wave);
- the categories of a mix dimension sum to the wave's base.

The audit fails (one `Finding` per cell and rule) where:

- a group smaller than `min_group` has any answer in the file (shown or withheld);
- a group smaller than `min_unanimous_group` is shown to answer unanimously;
- a withheld count is pinned to one value by the relations (integer programme,
  HiGHS through SciPy's `milp`, reusing `audit.pinned` with slack variables for
  the inequalities);
- with `min_cell` N > 1, a withheld count can be shown to lie in 1..N−1;
- a wave whose bases changed since the previous release changed some group by
  fewer than `min_group` interviews while both releases show that group's
  answers: their difference is the answers of those few interviews.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csc_matrix, csr_matrix

from .audit import pinned
from .model import NOT_CODED
from .settings import ReleaseSettings

CELL_COLUMNS = ("table", "wave_id", "split", "group", "code_id", "level", "members", "n", "withheld")
IDENTITY = ["wave_id", "split", "group", "code_id", "level"]
BASE, MENTIONED, ANY = "base", "mentioned", "any:"
PINNED = "a withheld count the shown counts pin to one value"


@dataclass(frozen=True)
class Finding:
    """One cell the release must not publish as it stands, and the rule it breaks."""

    rule: str
    wave_id: str
    split: str
    group: str
    code_id: str
    level: str
    related: tuple = ()
    """For a pinned count: the shown answer cells (identities) in the relations that pin it, the cells one of
    which the release can withhold as well."""

    @property
    def pinned(self) -> bool:
        """A withheld count a reader works out exactly (from this release, or with the previous one)."""
        return self.rule.endswith(PINNED)

    @property
    def cell(self) -> tuple[str, str, str, str, str]:
        return (self.wave_id, self.split, self.group, self.code_id, self.level)

    @property
    def where(self) -> str:
        """The cell as a reader finds it: "2013, All, aware_theory aware"."""
        what = f"{self.code_id} {self.level}".strip() if self.code_id else self.level
        group = self.group if self.split == "All" else f"{self.split} {self.group}"
        return f"{self.wave_id}, {group}, {what}"

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}"


def read_cells(path) -> pd.DataFrame:
    """A published_cells.csv as the audit reads it: text columns as text, n a nullable integer."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return _typed(frame)


def read_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A published cells frame (as written, or as `read_cells` reads it) typed and one row per cell."""
    return _distinct(_typed(frame))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({c: object for c in CELL_COLUMNS if c not in ("n", "withheld")})
    n, withheld = frame["n"], frame["withheld"]
    if not pd.api.types.is_integer_dtype(n):  # a file's text
        n = pd.to_numeric(n.replace("", None), errors="raise")
    if not pd.api.types.is_bool_dtype(withheld):
        withheld = withheld.astype(str).str.lower().map({"true": True, "false": False})
        if withheld.isna().any():
            raise ValueError("published_cells: withheld must be true or false")
    return frame.assign(n=n.astype("Int64"), withheld=withheld.astype(bool))


def _distinct(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per cell (a cell shown in several tables is one cell); a cell shown differently is an error."""
    per_cell = cells.drop_duplicates([*IDENTITY, "n", "withheld"])
    clash = per_cell[per_cell.duplicated(IDENTITY, keep=False)]
    if len(clash):
        first = clash.iloc[0]
        raise ValueError(f"published_cells: one cell with two values: {tuple(first[IDENTITY])}")
    return per_cell.reset_index(drop=True)


def audit(cells: pd.DataFrame, settings: ReleaseSettings, previous: pd.DataFrame | None = None) -> list[Finding]:
    """Every finding against the release's cells (and against the previous release's, for differencing)."""
    return Audit(cells, settings, previous).findings()


class Audit:
    """The audit of one release's cells, for a release withheld in rounds (`protection`): what does not depend
    on which answers are withheld (the cells typed and one row per cell, the groups' bases, where each relation's
    cells are, the small groups, the previous release) is found once, and `findings` audits one choice of
    withheld answers against it, at the cost of what those answers touch.

    The bases are the frame's: design facts, never withheld in a round. A withheld answer's count is blanked
    before anything reads it, as in the published file. Each linked block's pinned cells are kept by the cells
    it withholds, so a round solves only the blocks it changed (about a fifth less time on the 20-wave 10k
    benchmark study, whose rounds change most blocks)."""

    def __init__(self, cells: pd.DataFrame, settings: ReleaseSettings, previous: pd.DataFrame | None = None):
        self.settings = settings
        self.cells = _Cells(read_frame(cells))
        frame, base = self.cells.frame, self.cells.group_base
        self.small = _findings(frame[self.cells.answer & (np.isnan(base) | (base < settings.min_group))],
                               f"answers of a group of fewer than {settings.min_group} interviews (or of unknown "
                               "size)")
        self.unanimous = (self.cells.answer & (frame.level != NOT_CODED).to_numpy()
                          & (base < settings.min_unanimous_group) & (self.cells.n == base) & (self.cells.n > 0))
        self.previous = None if previous is None else _Previous(self.cells, read_frame(previous), settings)
        self._known: dict = {}  # each linked block's pinned findings, by its withheld cells (`_recoverable`)

    def findings(self, withheld: Collection[tuple] | None = None) -> list[Finding]:
        """Every finding with these answers withheld (identities, as `Finding.cell`), the others shown; by default
        as the frame withholds them."""
        cells = self.cells
        mask = cells.withheld if withheld is None else self._mask(withheld)
        shown_unanimous = self.unanimous & ~mask
        findings = self.small + [
            Finding(f"a group of fewer than {self.settings.min_unanimous_group} interviews shown answering "
                    "unanimously", *cells.identity[i]) for i in np.flatnonzero(shown_unanimous)]
        findings += _recoverable(cells, mask, self.settings, known=self._known)
        if self.previous is not None:
            findings += self.previous.differencing(mask)
            findings += self.previous.recoverable_together(mask, {f.cell for f in findings})
        return findings

    @cached_property
    def position(self) -> dict[tuple, int]:
        """Each cell's row, by identity (for rounds; an audit of a frame as it is needs none)."""
        return {identity: i for i, identity in enumerate(self.cells.identity)}

    def _mask(self, withheld: Collection[tuple]) -> np.ndarray:
        mask = np.zeros(len(self.cells.identity), dtype=bool)
        mask[[self.position[cell] for cell in withheld]] = True
        if (mask & ~self.cells.answer).any():
            raise ValueError("an audit round withholds answers only; bases are the frame's")
        return mask | (self.cells.withheld & ~self.cells.answer)


GROUP = ["wave_id", "split", "group"]
COUNT = ["wave_id", "code_id", "level"]


class _Cells:
    """A typed frame of cells, one per row (numbered 0…), and the lookups the relations are found by: each
    group's base and answers, each count's cells in every group."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.withheld = frame.withheld.to_numpy(dtype=bool)
        self.n = frame.n.to_numpy(dtype=float, na_value=np.nan)
        self.identity = list(zip(*(frame[column].tolist() for column in IDENTITY)))
        self.answer = (frame.code_id != "").to_numpy()
        base_rows = frame[(frame.code_id == "") & (frame.level == BASE)]
        self.base_of = dict(zip(zip(base_rows.wave_id, base_rows.split, base_rows.group), base_rows.index))
        answers = np.flatnonzero(self.answer)
        self.answers_of = {key: answers[rows] for key, rows in frame.iloc[answers].groupby(GROUP, sort=False).indices
                           .items()}
        self.group_base = np.full(len(frame), np.nan)  # an answer's group's base, where it is shown
        for key, rows in self.answers_of.items():
            base = self.base_of.get(key)
            if base is not None and not self.withheld[base]:
                self.group_base[rows] = self.n[base]
        self.cells_of = {key: answers[rows] for key, rows in frame.iloc[answers].groupby(COUNT, sort=False).indices
                         .items()}


def _bases(cells: pd.DataFrame) -> pd.DataFrame:
    """(wave_id, split, group) → base, for every group whose base is shown."""
    rows = cells[(cells.level == BASE) & (cells.code_id == "") & ~cells.withheld]
    return rows[["wave_id", "split", "group", "n"]].rename(columns={"n": "base"})


def _findings(rows: pd.DataFrame, rule: str) -> list[Finding]:
    return [Finding(rule, *values) for values in rows[IDENTITY].itertuples(index=False, name=None)]


class _Program:
    """The relations over the cells as equalities A x = b, x whole ≥ 0: a column per withheld cell and a
    slack column per inequality; shown cells are constants."""

    def __init__(self, value: np.ndarray, withheld: np.ndarray):
        self.withheld = np.flatnonzero(withheld)
        self.column = {cell: i for i, cell in enumerate(self.withheld.tolist())}
        self.value = value
        self.rows: list[tuple[dict[int, float], float]] = []  # ({column: coefficient}, rhs)
        self.shown_in: list[list[int]] = []  # per row: the shown cells folded into its rhs
        self.rows_of: dict[int, list[int]] = {}  # per column: the rows it is in
        self.slacks = 0

    def relate(self, terms: list[tuple[int, float]], constant: float = 0.0, slack: bool = False) -> None:
        """Σ coefficient·cell + constant = 0, or ≥ 0 with `slack` (a slack column takes the surplus)."""
        row: dict[int, float] = {}
        rhs, shown = -constant, []
        for cell, coefficient in terms:
            if cell in self.column:
                row[self.column[cell]] = row.get(self.column[cell], 0.0) + coefficient
            else:
                rhs -= coefficient * float(self.value[cell])
                shown.append(cell)
        if slack:
            row[-1 - self.slacks] = -1.0
            self.slacks += 1
        if row:
            for column in row:
                self.rows_of.setdefault(column, []).append(len(self.rows))
            self.rows.append((row, rhs))
            self.shown_in.append(shown)

    def related(self, columns: set[int]) -> list[int]:
        """The shown cells of the rows any of `columns` is in, row by row."""
        rows = sorted({r for column in columns for r in self.rows_of.get(column, ())})
        return [cell for r in rows for cell in self.shown_in[r]]

    def matrix(self) -> tuple[csr_matrix, np.ndarray, int]:
        size = len(self.withheld) + self.slacks
        entries, columns, coefficients = [], [], []
        for r, (row, _) in enumerate(self.rows):
            for column, coefficient in row.items():
                entries.append(r)
                columns.append(column if column >= 0 else len(self.withheld) - 1 - column)
                coefficients.append(coefficient)
        matrix = csr_matrix((coefficients, (entries, columns)), shape=(len(self.rows), size))
        return matrix, np.array([rhs for _, rhs in self.rows], dtype=float), size


def _rows(lookup: dict, keys) -> np.ndarray:
    """The cells (ascending) of every key of `keys` that `lookup` holds."""
    found = [lookup[key] for key in dict.fromkeys(keys) if key in lookup]
    return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=int)


def _relations(cells: _Cells, withheld: np.ndarray, differences: list[tuple[int, int, int]] = ()) -> _Program:
    """Every relation of the module docstring that holds a withheld cell (the others are constants), over the
    cells; and for each (new, old, growth) of `differences`, 0 ≤ new − old ≤ growth (see
    `_recoverable_together`).

    A release has hundreds of thousands of cells and a few hundred withheld: the relations are found from the
    withheld cells' groups and counts by the lookups of `_Cells`, not by walking every cell."""
    program = _Program(np.where(withheld, np.nan, cells.n), withheld)
    for new, old, growth in differences:
        program.relate([(new, 1.0), (old, -1.0)], slack=True)
        program.relate([(old, 1.0), (new, -1.0)], constant=float(growth), slack=True)
    frame, base_of = cells.frame, cells.base_of
    hidden = frame.iloc[np.flatnonzero(withheld & cells.answer)]
    hidden_bases = frame.iloc[np.flatnonzero(withheld & ~cells.answer)]
    near = frame.iloc[_rows(cells.answers_of, [*zip(hidden.wave_id, hidden.split, hidden.group),
                                               *zip(hidden_bases.wave_id, hidden_bases.split, hidden_bases.group)])]
    index = dict(zip(near[IDENTITY].itertuples(index=False, name=None), near.index))
    is_any = near.code_id.str.startswith(ANY)
    is_net = (near.members != "") & ~is_any
    levels = near[~is_net & ~is_any & ~near.level.isin([MENTIONED, ""])]
    for (wave, split, group, _), part in levels.groupby(["wave_id", "split", "group", "code_id"], sort=False):
        base = base_of.get((wave, split, group))
        if base is not None:
            program.relate([(i, 1.0) for i in part.index] + [(base, -1.0)])
    for i, wave, split, group, code, members in near[is_net][["wave_id", "split", "group", "code_id",
                                                              "members"]].itertuples(name=None):
        parts = [index.get((wave, split, group, code, level)) for level in members.split("|")]
        if None not in parts:
            program.relate([(m, 1.0) for m in parts] + [(i, -1.0)])
    for i, wave, split, group, level, members in near[is_any][["wave_id", "split", "group", "level",
                                                               "members"]].itertuples(name=None):
        parts = [m for m in (index.get((wave, split, group, code, level)) for code in members.split("|"))
                 if m is not None]
        for m in parts:
            program.relate([(i, 1.0), (m, -1.0)], slack=True)  # net ≥ each member
        program.relate([(m, 1.0) for m in parts] + [(i, -1.0)], slack=True)  # net ≤ Σ members
    for i, wave, split, group in hidden[GROUP].itertuples(name=None):
        base = base_of.get((wave, split, group))
        if base is not None:
            program.relate([(base, 1.0), (i, -1.0)], slack=True)  # a count is at most its base
    _split_sums(program, cells, hidden)
    return program


def _split_sums(program: _Program, cells: _Cells, hidden: pd.DataFrame) -> None:
    """The groups of a split sum to All, for each count with a withheld cell whose groups cover the wave
    (their bases add up to All's)."""
    values, base_of = program.value, cells.base_of
    counts = cells.frame.iloc[_rows(cells.cells_of, zip(hidden.wave_id, hidden.code_id, hidden.level))]
    totals = counts[counts.split == "All"]
    total_of = dict(zip(zip(totals.wave_id, totals.code_id, totals.level), totals.index))
    for (wave, split, code, level), part in counts[counts.split != "All"].groupby(
            ["wave_id", "split", "code_id", "level"], sort=False):
        total = total_of.get((wave, code, level))
        wave_base = base_of.get((wave, "All", "All"))
        if total is None or wave_base is None:
            continue
        covered = [base_of.get((wave, split, group)) for group in part.group]
        if None in covered or sum(values[b] for b in covered) != values[wave_base]:
            continue
        program.relate([(i, 1.0) for i in part.index] + [(total, -1.0)])


def _recoverable(cells: _Cells, withheld: np.ndarray, settings: ReleaseSettings,
                 differences: list[tuple[int, int, int]] = (), known: dict | None = None) -> list[Finding]:
    """Withheld counts pinned by the relations, and (with min_cell) those shown to lie in 1..min_cell−1.

    The relations split into independent linked blocks, and a block's answer depends only on which cells it
    withholds (its relations and their shown constants follow from them). `known` keeps each block's pinned
    findings by its withheld cells, so that an audit kept between rounds (`Audit`) solves only the blocks a
    round changed."""
    if not withheld.any():
        return []
    program = _relations(cells, withheld, differences)
    matrix, rhs, size = program.matrix()
    cells_count = len(program.withheld)
    block = _blocks(matrix, size)
    known = {} if known is None else known
    keys = _block_cells(block, program.withheld)
    unsolved = [name for name, key in keys.items() if key not in known]
    if unsolved:
        _solve_blocks(program, matrix, rhs, block, np.isin(block, unsolved), cells, keys, known)
    pinned_rows = sorted(row for key in dict.fromkeys(keys.values()) for row, _ in known[key])
    by_row = {row: finding for key in dict.fromkeys(keys.values()) for row, finding in known[key]}
    findings = [by_row[row] for row in pinned_rows]
    found = {program.column[row] for row in pinned_rows}
    if settings.min_cell > 1:
        for c in sorted(set(range(cells_count)) - set(found)):
            objective = np.zeros(size)
            objective[c] = 1.0
            low = _solve(objective, matrix, rhs)[c]
            high = _solve(-objective, matrix, rhs)
            if low >= 1 and (high is not None and high[c] <= settings.min_cell - 1):
                findings.append(Finding(f"a withheld count shown to lie between 1 and {settings.min_cell - 1}",
                                        *cells.identity[program.withheld[c]]))
    return findings


def _block_cells(block: np.ndarray, withheld: np.ndarray) -> dict[int, frozenset]:
    """Each block (by number) as the rows of the withheld cells it holds (its slack columns follow from them)."""
    cells = block[:len(withheld)]
    return {int(name): frozenset(withheld[cells == name].tolist()) for name in np.unique(cells)}


def _solve_blocks(program: _Program, matrix: csr_matrix, rhs: np.ndarray, block: np.ndarray, chosen: np.ndarray,
                  cells: _Cells, keys: dict[int, frozenset], known: dict) -> None:
    """Solve the `chosen` columns' blocks (rows never span two blocks) and record each one's pinned findings."""
    columns = np.flatnonzero(chosen)
    rows = np.unique(csc_matrix(matrix[:, columns]).nonzero()[0])
    part, part_rhs = matrix[rows][:, columns], rhs[rows]
    solution = _solve(np.zeros(len(columns)), part, part_rhs)
    if solution is None:
        raise ValueError("published_cells: the shown counts contradict the relations between them")
    cells_count = len(program.withheld)
    found = columns[pinned(part, part_rhs, solution, block[columns], columns >= cells_count)]
    identities, answer = cells.identity, cells.answer

    def related(column: int) -> tuple:
        """The shown answers of the cell's relations, or else of every relation of its linked block."""
        cells_of = [cell for cell in program.related({column}) if answer[cell]]
        if not cells_of:
            cells_of = [cell for cell in program.related(set(np.flatnonzero(block == block[column]).tolist()))
                        if answer[cell]]
        return tuple(identities[cell] for cell in cells_of)

    for name in np.unique(block[columns]).tolist():
        if name in keys:
            known[keys[name]] = ()
    for column in (int(c) for c in found if c < cells_count):
        row = int(program.withheld[column])
        finding = Finding(PINNED, *identities[row], related=related(column))
        known[keys[int(block[column])]] += ((row, finding),)


def _solve(objective: np.ndarray, matrix: csr_matrix, rhs: np.ndarray) -> np.ndarray | None:
    """A whole-number solution ≥ 0 minimising `objective`, bounded (counts are far below 10⁹); None if none."""
    constraints = LinearConstraint(matrix, rhs, rhs) if matrix.shape[0] else ()
    result = milp(objective, integrality=np.ones(len(objective)), bounds=Bounds(0, 10**9), constraints=constraints)
    return np.rint(result.x) if result.status == 0 else None


def _blocks(matrix: csr_matrix, size: int) -> np.ndarray:
    """Connected blocks of columns linked through rows (a column alone is its own block)."""
    from scipy.sparse.csgraph import connected_components

    incidence = (matrix != 0).astype(np.int8)
    adjacency = (incidence.T @ incidence).tocsr()
    return connected_components(adjacency, directed=False)[1] if size else np.zeros(0, dtype=int)


PREVIOUS = " (previous release)"
"""Marks the wave ids of the previous release's cells in the union of two releases."""


class _Previous:
    """The previous release beside this one, found once: the groups that changed and the counts both releases
    show (`differencing`), and the union of both releases' cells for waves that only grew
    (`recoverable_together`)."""

    def __init__(self, cells: _Cells, previous: pd.DataFrame, settings: ReleaseSettings):
        self.settings = settings
        self.small, self.added = _differences_shown(cells, previous, settings)
        new_bases, old_bases = _bases(cells.frame), _bases(previous)
        both = new_bases.merge(old_bases, on=GROUP, suffixes=("", "_old"))
        per_wave = both.assign(changed=both.base != both.base_old, shrank=both.base < both.base_old).groupby("wave_id")
        waves = [wave for wave, part in per_wave if part.changed.any() and not part.shrank.any()]
        self.union = None
        self._known: dict = {}
        if not waves:
            return
        old = previous[previous.wave_id.isin(waves)].assign(wave_id=lambda f: f.wave_id + PREVIOUS)
        union = pd.concat([cells.frame, old], ignore_index=True)
        growth = dict(zip(zip(both.wave_id, both.split, both.group), both.base - both.base_old))
        old_rows = {tuple(key): i for i, key in zip(union.index, union[IDENTITY].itertuples(index=False, name=None))
                    if key[0].endswith(PREVIOUS) and key[3] != ""}
        self.differences = []
        for i, key in zip(union.index, union[IDENTITY].itertuples(index=False, name=None)):
            j = old_rows.get((key[0] + PREVIOUS, *key[1:]))
            if key[0] in waves and key[3] != "" and j is not None and (key[0], key[1], key[2]) in growth:
                self.differences.append((i, j, int(growth[(key[0], key[1], key[2])])))
        self.union = _Cells(union)
        self.old_withheld = self.union.withheld[len(cells.frame):]

    def differencing(self, withheld: np.ndarray) -> list[Finding]:
        """The findings of `_differences_shown` whose new count is shown."""
        return [f for i, f in self.small if not withheld[i]] + [f for i, f in self.added if not withheld[i]]

    def recoverable_together(self, withheld: np.ndarray, known: set) -> list[Finding]:
        """Withheld counts of either release pinned by both together, for waves that only grew since the
        previous release (every base at least as large: interviews were added). A reader then knows each count
        grew by 0 up to its group's growth. Cells already found are not repeated."""
        if self.union is None:
            return []
        found = _recoverable(self.union, np.concatenate([withheld, self.old_withheld]), self.settings,
                             self.differences, self._known)
        return [replace(f, rule="differencing: with the previous release, " + f.rule) for f in found
                if f.cell not in known and (f.wave_id.removesuffix(PREVIOUS), *f.cell[1:]) not in known]


def _differences_shown(cells: _Cells, previous: pd.DataFrame,
                       settings: ReleaseSettings) -> tuple[list[tuple[int, Finding]], list[tuple[int, Finding]]]:
    """The difference of two releases as a group of its own, for each group of a changed wave shown in both:
    its answers are refused when it has fewer than min_group interviews, and a count is refused when the
    interviews added (fewer than min_unanimous_group) all gave that answer. Each finding with its cell, for
    the ones whose count this release shows."""
    old_bases, new_bases = _bases(previous), _bases(cells.frame)
    moved = new_bases.merge(old_bases, on=GROUP, suffixes=("", "_old"))
    moved = moved[moved.base != moved.base_old].assign(growth=lambda f: f.base - f.base_old)
    if moved.empty:
        return [], []
    answers = cells.frame[cells.answer].reset_index()
    shown_old = previous[(previous.code_id != "") & ~previous.withheld][[*IDENTITY, "n"]]
    both = answers.merge(shown_old, on=IDENTITY, suffixes=("", "_old")).merge(moved[[*GROUP, "growth"]])
    small = both[both.growth.abs() < settings.min_group]
    findings = _findings(small, f"differencing: this group changed by fewer than {settings.min_group} interviews "
                                "since the previous release, which also shows this count, so the two give those "
                                "interviews' answers")
    grew_by_all = (both.n - both.n_old == both.growth).fillna(False).astype(bool)
    added = both[(both.growth >= settings.min_group) & (both.growth < settings.min_unanimous_group)
                 & grew_by_all & (both.level != NOT_CODED)]
    rule = (f"differencing: the interviews added since the previous release (fewer than "
            f"{settings.min_unanimous_group}) all gave this answer")
    return (list(zip(small["index"], findings)),
            [(i, Finding(rule, *cell, related=(cell,)))
             for i, cell in zip(added["index"], added[IDENTITY].itertuples(index=False, name=None))])
