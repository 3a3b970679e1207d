"""The shape every release table takes, shared by the builders and the writers.

A release table is a tracking-survey banner: one row per category (or code, or
level), waves as column groups, changes between consecutive waves after them.
Builders (tables, statistics, suppression) fill it; writers (workbook, CSV,
charts, report) only lay it out, so nothing released is computed twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

SUPPRESSED = "[c]"
"""Marks a suppressed value (the ONS convention: confidential)."""

# Measures per wave, in column order: f"{wave} | {measure}".
WAVE_MEASURES = ("n", "base", "%", "n of base", "95% CI", "words")
# Measures per pair of consecutive waves: f"{earlier} → {later} | {measure}".
CHANGE_MEASURES = ("change (pp)", "test")


def wave_column(wave: str, measure: str) -> str:
    return f"{wave} | {measure}"


def change_column(earlier: str, later: str, measure: str) -> str:
    return f"{earlier} → {later} | {measure}"


@dataclass(frozen=True)
class ReleaseTable:
    """One side-by-side comparison table, ready to write.

    `frame` columns: `row_columns` first (e.g. "Group", "Code", "Level"), then
    `wave_column(w, m)` for each wave label w in `waves` and each m in
    WAVE_MEASURES, then `change_column(a, b, m)` for consecutive waves. Its first
    row is the base row (row label "Base: all interviews" or the group's base).
    Numbers stay numbers (n and base integers, % 0–100 with one decimal, change
    in percentage points); a suppressed value is the text SUPPRESSED; a change
    not tested reads "not tested (base n)". `notes` are whole sentences printed
    under the table: small bases, suppression, tests, the quantifier scale,
    sources and the run that built it.
    """

    name: str
    title: str
    row_columns: tuple[str, ...]
    waves: tuple[str, ...]
    frame: pd.DataFrame
    notes: tuple[str, ...] = field(default=())
