"""The shape every release table takes, shared by the builders and the writers.

A release table is a tracking-survey banner: one row per category (or code, or
level), waves as column groups, then the changes of its compared pairs of waves
(`compared_pairs`). Builders (tables, statistics, suppression) fill it; writers
(workbook, CSV, charts, report) only lay it out, so nothing released is computed
twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

SUPPRESSED = "[c]"
"""Marks a suppressed value (the ONS convention: confidential)."""
NET_PREFIX = "net: "
"""Starts the level of a level code's net row (sql/release/code_counts.sql): a sum of levels, never a level."""

# Measures per wave, in column order: f"{wave} | {measure}".
WAVE_MEASURES = ("n", "base", "%", "n of base", "95% CI", "words")
# Measures per compared pair of waves: f"{earlier} → {later} | {measure}".
CHANGE_MEASURES = ("change (pp)", "test")
TEST_TYPES = {"row": "int64", "earlier": object, "later": object, "base_a": "int64", "base_b": "int64",
              "tested": bool, "p": float, "p_adjusted": float}
"""Columns of `ReleaseTable.tests` and their types: one row per compared row and pair."""


def wave_column(wave: str, measure: str) -> str:
    return f"{wave} | {measure}"


def change_column(earlier: str, later: str, measure: str) -> str:
    return f"{earlier} → {later} | {measure}"


def compared_pairs(waves: tuple) -> tuple[tuple, ...]:
    """The pairs of waves whose changes a release shows and tests: the latest against the previous one and,
    with three or more waves, the first against the latest (of labels, ids or positions).

    These answer "what changed lately" and "what changed since the start"; every other pair of a tracker
    (190 at 20 waves) would add tests to Holm's families until nothing could reach significance, and
    differences a reader can still see in the wave columns."""
    if len(waves) < 2:
        return ()
    latest = ((waves[-2], waves[-1]),)
    return latest + (((waves[0], waves[-1]),) if len(waves) > 2 else ())


def no_tests() -> pd.DataFrame:
    """An empty `ReleaseTable.tests` frame, typed."""
    return pd.DataFrame({column: pd.Series(dtype=kind) for column, kind in TEST_TYPES.items()})


@dataclass(frozen=True)
class ReleaseTable:
    """One side-by-side comparison table, ready to write.

    `frame` columns: `row_columns` first (e.g. "Group", "Code", "Level"), then
    `wave_column(w, m)` for each wave label w in `waves` and each m in
    WAVE_MEASURES, then `change_column(a, b, m)` for each (a, b) in `pairs`
    (`compared_pairs(waves)` for a table with changes). Its first row is the
    base row (row label "Base: all interviews" or the group's base). Numbers
    stay numbers (n and base integers, % 0–100 with one decimal, change in
    percentage points); a suppressed value is the text SUPPRESSED; a change not
    tested reads "not tested (base n)". `notes` are whole sentences printed
    under the table: small bases, suppression, tests, the quantifier scale,
    sources and the run that built it.

    `tests` (TEST_TYPES): each row of `frame` (by position) whose change between a pair (earlier, later
    wave labels) is published, with both bases, whether it was tested, and the raw and Holm-adjusted p
    (NaN where not tested). Each pair of a table is one family for Holm's correction. Empty for a table
    whose changes are not tested (the stakeholder mix). `alpha`: the tests' significance level; the
    intervals are 100·(1 − alpha)% (so a writer can state an interval at another precision).
    """

    name: str
    title: str
    row_columns: tuple[str, ...]
    waves: tuple[str, ...]
    frame: pd.DataFrame
    notes: tuple[str, ...] = field(default=())
    pairs: tuple[tuple[str, str], ...] = field(default=())
    tests: pd.DataFrame = field(default_factory=no_tests)
    alpha: float = 0.05
