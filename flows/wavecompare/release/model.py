"""The typed release model, shared by the builders and the writers.

A release table is a tracking-survey comparison: printed rows (a group's base,
then its categories, codes or levels), waves keyed by `wave_id`, and the changes
of its compared pairs of waves (`compared_pairs`). Builders (tables, statistics,
protection) fill it with numbers and flags only: no display text, no column
named after a wave label, no row found by its wording. Writers (workbook, CSV,
charts, report) format it, each once, through `texts`; so nothing released is
computed twice, and a withheld count is never in the model to be printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

SUPPRESSED = "[c]"
"""Marks a withheld value (the ONS convention: confidential)."""
NOT_CODED = "not coded"
"""The level of a level code's interviews that recorded none of its levels. A whole group 'not coded' on a code
is not unanimity: the zeros of the code's levels already say so."""
NET_PREFIX = "net: "
"""Starts the level of a level code's net row (sql/release/code_counts.sql): a sum of levels, never a level."""

ROW_TYPES = {"row": "int64", "block": "int64", "group": object, "code_id": object, "label": object,
             "level": object, "is_base": bool, "is_net": bool}
"""Columns of `ReleaseTable.rows`, one per printed row in print order (`row` = 0, 1, …): the block (a group's
rows, from its base row on) and its group; the code's id (a mix dimension, for the stakeholder mix; "" on base
rows), its label (the category) and level ("" for a mention or a base); `is_base`: the group's base row (the
flag, never the wording, says so); `is_net`: a sum of other rows (a level net or a theme's "any mention")."""
VALUE_TYPES = {"row": "int64", "wave_id": object, "n": "Int64", "base": "Int64", "pct": "float64",
               "ci_low": "float64", "ci_high": "float64", "withheld": bool}
"""Columns of `ReleaseTable.values`, one per printed row and wave, in row then wave order: the count (a base
row's is its base), the base, the percentage (0–100, one decimal) and its interval (NaN where the base is 0).
`withheld`: the count is withheld, so n, pct and the interval are NA; a count the release does not publish at
all (a group under min_group, held back) is NA and not withheld."""
CHANGE_TYPES = {"row": "int64", "earlier": object, "later": object, "change_pp": "float64", "withheld": bool,
                "base_a": "Int64", "base_b": "Int64", "tested": bool, "p": "float64", "p_adjusted": "float64",
                "test": object}
"""Columns of `ReleaseTable.changes`, one per non-base row and compared pair (earlier, later wave ids): the
change in percentage points (NaN where not published), `withheld` where either count is, both bases, whether it
was tested, the raw and Holm-adjusted p (NaN where not tested), and the test's verdict as stats states it
("" where the table is not tested)."""


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


def typed(frame: pd.DataFrame, types: dict) -> pd.DataFrame:
    """The frame's columns of `types`, in that order and of those types (an empty frame typed too)."""
    return frame.reindex(columns=list(types)).astype(types)


@dataclass(frozen=True)
class Wave:
    wave_id: str
    label: str


@dataclass(frozen=True)
class ReleaseTable:
    """One comparison table, typed (ROW_TYPES, VALUE_TYPES, CHANGE_TYPES).

    `tested`: whether its changes are tested (the stakeholder mix is not). `notes`: the
    table's own sentences (small bases, merged groups, what the counts are); the conventions every table shares
    are the run's. `alpha`: the tests' level; intervals are 100·(1 − alpha)%. `quantifiers`: whether the long
    CSV states each proportion in words too (`quantifiers.words`).
    """

    name: str
    title: str
    waves: tuple[Wave, ...]
    rows: pd.DataFrame
    values: pd.DataFrame
    changes: pd.DataFrame
    notes: tuple[str, ...] = field(default=())
    tested: bool = True
    alpha: float = 0.05
    quantifiers: bool = True

    @property
    def wave_ids(self) -> tuple[str, ...]:
        return tuple(w.wave_id for w in self.waves)

    @property
    def labels(self) -> dict[str, str]:
        return {w.wave_id: w.label for w in self.waves}

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The compared pairs, as wave ids."""
        return compared_pairs(self.wave_ids)

    @property
    def levels(self) -> bool:
        """Whether any row is a level (not only mentions): the table shows a Level column."""
        return bool((self.rows.level != "").any())

    def grid(self, measure: str) -> np.ndarray:
        """A measure of `values` as a (rows × waves) float array, NaN where missing (values are in row then
        wave order, one per pair: the builders make them so)."""
        return self.values[measure].to_numpy(dtype=float, na_value=np.nan).reshape(len(self.rows), len(self.waves))

    def withheld(self) -> np.ndarray:
        """Which counts are withheld, as a (rows × waves) bool array."""
        return self.values.withheld.to_numpy(dtype=bool).reshape(len(self.rows), len(self.waves))


@dataclass(frozen=True)
class TextTable:
    """A table of text rows (the quote bank): columns as they are written, and its notes."""

    name: str
    title: str
    frame: pd.DataFrame
    notes: tuple[str, ...] = field(default=())
