"""Cell values as the export files hold them: numbers as numbers, text made safe.

A spreadsheet runs text that starts with =, +, - or @ (and tab or carriage
return, per OWASP's CSV-injection advice) as a formula, so a quote or label can
carry one into a reader's Excel. Every CSV and XLSX writer passes each cell
through `export_value` (or, a whole frame at once, `export_cells`), which prefixes
such text with a single quote and leaves numbers alone, so a negative change
stays a number.
"""

from __future__ import annotations

import numbers
from functools import reduce

import numpy as np
import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INTEGER_MEASURES = ("n", "base")
PLAIN_TYPES = (type(None), str, int, float)
"""Cell types the frame functions handle a whole frame at once; any other goes through the one-cell function."""


def neutralise(value: object) -> object:
    """Prefix text a spreadsheet would read as a formula with "'"; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_value(value: object, measure: str = "") -> object:
    """One cell for a file: None when empty, an int for counts, a float, or safe text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        return int(number) if measure in INTEGER_MEASURES and number.is_integer() else number
    return neutralise(str(value))


def cells_and_types(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The frame's cells as Python objects (missing ones None), each cell's type, and which cells are of an
    unusual type (not in PLAIN_TYPES): rows × columns arrays, for the frame functions to pick cells by type.

    A whole frame at once: per-column calls cost more than the work on a column of a thousand rows.
    """
    cells = frame.to_numpy(dtype=object, na_value=None, copy=True)
    types = np.frompyfunc(type, 1, 1)(cells)
    other = ~pd.Series(types.ravel(), dtype=object).isin(PLAIN_TYPES).to_numpy()
    return cells, types, other.reshape(cells.shape)


def neutralise_texts(texts: np.ndarray) -> np.ndarray:
    """`neutralise` over an array of str (changed in place), by vectorised string operations."""
    risky = pd.Series(texts, dtype=object).str.startswith(FORMULA_STARTS).to_numpy(dtype=bool)
    texts[risky] = "'" + texts[risky]
    return texts


def export_cells(frame: pd.DataFrame) -> np.ndarray:
    """`export_value` of every cell (a column named "n" or "base" holds counts), as a rows × columns object array.

    By frame operations, as releases hold millions of cells; cells of an unusual type (bool, numpy scalars,
    Decimal, …) go through `export_value` itself.
    """
    cells, types, other = cells_and_types(frame)
    text = types == str  # noqa: E721 (an array of types, compared cell by cell)
    cells[text] = neutralise_texts(cells[text])
    measures = np.array(list(frame.columns), dtype=object)
    rows, cols = np.nonzero((types == float) & np.isin(measures, INTEGER_MEASURES))  # noqa: E721 (an array of types, compared cell by cell)
    real = cells[rows, cols].astype(float)
    whole = np.isfinite(real) & (real == np.trunc(real))
    cells[rows[whole], cols[whole]] = [int(value) for value in real[whole]]
    rows, cols = np.nonzero(other)
    cells[rows, cols] = [export_value(cells[r, c], measures[c]) for r, c in zip(rows, cols)]
    return cells


def number(value: object) -> float | None:
    """The value as a float if it is a number, else None (suppressed "[c]", text or empty)."""
    is_number = isinstance(value, numbers.Real) and not isinstance(value, bool) and not pd.isna(value)
    return float(value) if is_number else None


def shown(value: object) -> str:
    """A cell as a person reads it: "" when empty, "40.0" for a number with a decimal, text as is."""
    value = export_value(value) if not isinstance(value, str) else value
    if value is None:
        return ""
    return f"{value:.1f}" if isinstance(value, float) else str(value)


SHOWN_LENGTHS = {str: len, int: lambda value: len(str(value)), float: lambda value: len(f"{value:.1f}")}
"""How long `shown` (no measure) makes a cell of each plain type other than None (which it makes "")."""


def shown_lengths(frame: pd.DataFrame) -> np.ndarray:
    """`len(shown(cell))` of every cell (no measure), rows × columns, for sizing columns and rows."""
    cells, types, other = cells_and_types(frame)
    lengths = np.zeros(cells.shape, dtype=int)
    for kind, length in SHOWN_LENGTHS.items():
        of_kind = types == kind
        lengths[of_kind] = np.frompyfunc(length, 1, 1)(cells[of_kind])
    lengths[other] = [len(shown(cell)) for cell in cells[other]]
    return lengths


def join_text(*parts) -> np.ndarray:
    """Parts (text, or arrays of numbers or text) joined element-wise into Python strings: cells'
    text made a column at a time (in NumPy's variable-width strings, much faster than fixed-width)."""
    text = np.dtypes.StringDType()
    return reduce(np.strings.add, (np.asarray(part).astype(text) for part in parts)).astype(object)
