"""The changes a report may state, with their counts and their test, and the shifts in the sample's mix.

Readers of small samples over-read changes, so the report lists only tested
changes, ranked by adjusted p (then size): an untested difference, however
large, never leads (on a base of 4 one interview moves a percentage by 25
points), and stays in the tables. Each is stated with the counts it rests on
("from 4 of 10 to 12 of 15") and the test's own wording. Suppressed cells are
never picked, as they are never tested.

When the share of a stakeholder group moves between compared waves, a change
in `All` can come from the mix alone; `mix_shift_notes` names such shifts for
the notes and caveats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .model import ReleaseTable
from .wording import row_name

CORE_TABLES = ("stakeholder_mix", "awareness", "confidence", "risk_mentions")
MEASURES = ("n", "base", "pct")
WHOLE_BELOW = 100
"""Bases under which the report states percentages (and changes) whole: one interview of 40 moves a
percentage by 2.5 points, so a decimal claims a precision the sample lacks. Analysts' tables keep one."""
MIX_SHIFT = 10
"""Percentage points by which a stakeholder group's share of a wave must move between compared waves for
comparisons of All to be flagged as reflecting the change in mix."""


def whole_percents(n, base) -> np.ndarray:
    """100·n/base rounded half up to a whole number, exactly (integer arithmetic), element-wise; base > 0."""
    n, base = np.asarray(n, dtype=np.int64), np.asarray(base, dtype=np.int64)
    return (200 * n + base) // (2 * base)


def whole_changes(n_a, base_a, n_b, base_b) -> np.ndarray:
    """100·(n_b/base_b − n_a/base_a) rounded half away from zero to whole points, exactly, element-wise."""
    n_a, base_a, n_b, base_b = (np.asarray(v, dtype=np.int64) for v in (n_a, base_a, n_b, base_b))
    numerator, denominator = 100 * (n_b * base_a - n_a * base_b), base_a * base_b
    return np.sign(numerator) * ((2 * np.abs(numerator) + denominator) // (2 * denominator))


def percent_texts(n, base, pct) -> np.ndarray:
    """Percentages as the release states them: whole below WHOLE_BELOW interviews ("40", exactly, from the
    counts), else as published ("40.2"); element-wise."""
    n, base, pct = np.atleast_1d(n).astype(np.int64), np.atleast_1d(base).astype(np.int64), np.atleast_1d(pct)
    whole = base < WHOLE_BELOW
    texts = np.empty(len(n), dtype=object)
    texts[whole] = whole_percents(n[whole], base[whole]).astype(str)
    texts[~whole] = np.char.mod("%.1f", pct[~whole].astype(float)).astype(object)
    return texts


def percent_text(n: float, base: float, pct: float) -> str:
    """One of `percent_texts`, with its sign: "40%"."""
    return f"{percent_texts(n, base, pct)[0]}%"


def change_text(first: tuple[float, float, float], second: tuple[float, float, float], pp: float) -> str:
    """A change in points as the report states it: whole where a base is under WHOLE_BELOW ("+27"), else as
    published ("+26.7"); zero without a sign."""
    (n_a, base_a, _), (n_b, base_b, _) = first, second
    if min(base_a, base_b) < WHOLE_BELOW:
        whole = int(whole_changes(n_a, base_a, n_b, base_b))
        return f"{whole:+d}" if whole else "0"
    return f"{pp:+.1f}" if round(pp, 1) else "0"


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
    p_adjusted: float

    @property
    def sentence(self) -> str:
        (n1, b1, p1), (n2, b2, p2) = self.first, self.second
        return (
            f"{self.table}, {self.row}: from {n1:.0f} of {b1:.0f} ({percent_text(n1, b1, p1)}) in {self.earlier} "
            f"to {n2:.0f} of {b2:.0f} ({percent_text(n2, b2, p2)}) in {self.later}, "
            f"{change_text(self.first, self.second, self.change_pp)} pp; test: {self.test}."
        )


def table_change(table: ReleaseTable, earlier: str, later: str, row: int, p_adjusted: float) -> Change:
    """The change in the table's `row` between two compared waves (ids), stated in full."""
    line = table.rows.iloc[row]
    values = table.values[table.values.row == row].set_index("wave_id")
    first, second = (tuple(float(values.at[w, m]) for m in MEASURES) for w in (earlier, later))
    change = table.changes[(table.changes.row == row) & (table.changes.earlier == earlier)
                           & (table.changes.later == later)].iloc[0]
    return Change(table.title, row_name(line.group, line.label, line.level), table.labels[earlier],
                  table.labels[later], first, second, float(change.change_pp), str(change.test), p_adjusted)


def tested_changes(table: ReleaseTable) -> pd.DataFrame:
    """The table's tested changes, with `size`, the |change| published."""
    tested = table.changes[table.changes.tested].reset_index(drop=True)
    return tested.assign(size=tested.change_pp.abs())


def largest_changes(tables: list[ReleaseTable], limit: int = 5, names: tuple[str, ...] = CORE_TABLES) -> list[Change]:
    """Up to `limit` tested changes across the named tables, smallest adjusted p first, then largest |change|;
    ties keep table, pair and row order. Untested differences are never listed.

    Ranked from every table's tests at once; only the chosen few are read out row by row.
    """
    chosen = [table for table in tables if table.name in names]
    candidates = pd.concat([tested_changes(table).assign(table=i) for i, table in enumerate(chosen)],
                           ignore_index=True) if chosen else pd.DataFrame()
    if candidates.empty:
        return []
    ranked = candidates.sort_values(["p_adjusted", "size"], ascending=[True, False], kind="stable").head(limit)
    return [table_change(chosen[r.table], r.earlier, r.later, int(r.row), float(r.p_adjusted))
            for r in ranked.itertuples()]


def mix_shifts(table: ReleaseTable) -> dict[tuple[str, str], list[str]]:
    """Per compared pair (wave labels) of the mix table, each stakeholder group whose share of the wave moved by
    MIX_SHIFT points or more, as "Regulators 40% → 67%", from the published counts (a withheld count is never
    named)."""
    rows = table.rows[table.rows.code_id == "stakeholder_group"]
    n, base, pct = (table.grid(m)[rows.row.to_numpy()] for m in MEASURES)
    shifts = {}
    for a, b in table.pairs:
        i, j = table.wave_ids.index(a), table.wave_ids.index(b)
        shown = ~np.isnan(n[:, i] + n[:, j]) & (base[:, i] > 0) & (base[:, j] > 0)
        moved = [f"{name} {percent_text(n1, b1, p1)} → {percent_text(n2, b2, p2)}"
                 for name, n1, b1, p1, n2, b2, p2 in zip(rows.label[shown], n[shown, i], base[shown, i],
                                                          pct[shown, i], n[shown, j], base[shown, j], pct[shown, j])
                 if 100 * abs(n2 * b1 - n1 * b2) >= MIX_SHIFT * b1 * b2]  # exactly: 0.5 − 0.4 < 0.1 in floats
        if moved:
            shifts[table.labels[a], table.labels[b]] = moved
    return shifts


def mix_shift_notes(table: ReleaseTable) -> tuple[str, ...]:
    """The sentence that comparisons of All reflect a change in the mix of groups, naming it, or nothing."""
    shifts = mix_shifts(table)
    if not shifts:
        return ()
    moves = "; and from ".join(f"{a} to {b}: {', '.join(moved)}" for (a, b), moved in shifts.items())
    return (f"The mix of stakeholder groups changed from {moves} of interviews. Comparisons of All reflect this "
            "change in mix as well as any change in views; compare within groups where their bases allow.",)


def caveats(tables: list[ReleaseTable], small_base: int) -> tuple[str, ...]:
    """What a reader of the changes must keep in mind, stated from the data: how small the compared bases
    are (only when some are under `small_base`), how the listed changes were chosen, what the tests assume,
    and any change in the mix of groups behind All."""
    tests = [table.changes[table.changes.test != ""] for table in tables if table.tested]
    bases = np.concatenate([t[["base_a", "base_b"]].to_numpy(dtype=np.int64).ravel() for t in tests]
                           + [np.array([], dtype=np.int64)])
    bases = bases[bases > 0]
    sentences = []
    if len(bases) and bases.max() < small_base:
        sentences.append(f"The samples are small: every compared base is under {small_base} interviews (the largest "
                         f"is {bases.max()}), so a difference of a few interviews moves a percentage by many points, "
                         "and most real changes will not reach significance.")
    elif len(bases) and bases.min() < small_base:
        sentences.append(f"Some compared bases are under {small_base} interviews (the smallest is {bases.min()}): "
                         "there a difference of a few interviews moves a percentage by many points, and most real "
                         "changes will not reach significance.")
    sentences += [
        "The changes listed above are the tested ones, smallest adjusted p first, then the largest; a difference "
        "that was not tested (a base under the test minimum) is never listed, however large, and is in the tables "
        "only. A test can show that a change is unlikely to be chance alone; it cannot show why it happened.",
        "Intervals and tests assume independent random samples. Stakeholder interviews are usually purposive, and "
        "the same organisations can appear in the waves compared: there, read the intervals and tests as a guide "
        "to how much a difference could be noise, not as findings.",
    ]
    mix = [table for table in tables if table.name == "stakeholder_mix"]
    return (*sentences, *(mix_shift_notes(mix[0]) if mix else ()))
