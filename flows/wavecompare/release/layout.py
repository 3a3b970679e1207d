"""How a ReleaseTable's banner is laid out, read once for every writer.

The workbook, report and charts all need the same facts: which columns belong
to which wave or change, which rows are base rows and each wave's overall base.
Reading them here keeps the writers to layout only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .cells import measure_of
from .model import CHANGE_MEASURES, WAVE_MEASURES, ReleaseTable, change_column, wave_column

BASE_PREFIX = "Base"


@dataclass(frozen=True)
class ColumnGroup:
    """Columns under one banner heading: a wave, a compared pair of waves, or the row labels ("")."""

    label: str
    columns: tuple[str, ...]

    @property
    def measures(self) -> tuple[str, ...]:
        return tuple(measure_of(column) or column for column in self.columns)


def _present(frame: pd.DataFrame, columns: list[str]) -> tuple[str, ...]:
    """The columns the frame has and that hold any value (an all-empty optional measure is left out)."""
    return tuple(c for c in columns if c in frame.columns and not _empty(frame[c]).all())


def _empty(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype(str) == "")


def column_groups(table: ReleaseTable) -> list[ColumnGroup]:
    """Row columns, then each wave's measures, then each compared pair's change, in the contract's order."""
    frame = table.frame
    groups = [ColumnGroup("", tuple(table.row_columns))]
    groups += [ColumnGroup(w, _present(frame, [wave_column(w, m) for m in WAVE_MEASURES])) for w in table.waves]
    groups += [
        ColumnGroup(f"{a} → {b}", _present(frame, [change_column(a, b, m) for m in CHANGE_MEASURES]))
        for a, b in table.pairs
    ]
    known = {c for g in groups for c in g.columns}
    unknown = [c for c in frame.columns if c not in known and not _empty(frame[c]).all()]
    if unknown:
        raise ValueError(f"{table.name}: columns outside the release contract: {unknown}")
    return groups


def is_base_row(table: ReleaseTable, row: pd.Series) -> bool:
    """A group's base row: one of its row columns reads like "Base: all interviews"."""
    return any(str(row[column]).startswith(BASE_PREFIX) for column in table.row_columns)


def base_mask(table: ReleaseTable) -> pd.Series:
    return table.frame.apply(lambda row: is_base_row(table, row), axis=1).astype(bool)


def row_label(table: ReleaseTable, row: pd.Series) -> str:
    """The row's labels joined, skipping empty ones: "All · Awareness of … · aware"."""
    parts = (row[c] for c in table.row_columns)
    return " · ".join(str(p) for p in parts if not pd.isna(p) and str(p) != "")


def block(table: ReleaseTable, column: str, value: object = None) -> pd.DataFrame:
    """The non-base rows whose `column` equals `value` (default: the table's first row's value)."""
    frame = table.frame
    wanted = frame[column].iloc[0] if value is None else value
    return frame[~base_mask(table) & (frame[column] == wanted)]
