"""Cell values as the export files hold them: numbers as numbers, text made safe.

A spreadsheet runs text that starts with =, +, - or @ (and tab or carriage
return, per OWASP's CSV-injection advice) as a formula, so a quote or label can
carry one into a reader's Excel. Every CSV and XLSX writer passes each cell
through `export_value`, which prefixes such text with a single quote and leaves
numbers alone, so a negative change stays a number.
"""

from __future__ import annotations

import numbers

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INTEGER_MEASURES = ("n", "base")


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


def number(value: object) -> float | None:
    """The value as a float if it is a number, else None (suppressed "[c]", text or empty)."""
    is_number = isinstance(value, numbers.Real) and not isinstance(value, bool) and not pd.isna(value)
    return float(value) if is_number else None


def shown(value: object, measure: str = "") -> str:
    """A cell as a person reads it: "" when empty, "40.0" for a %, "+26.7" for a change, text as is."""
    value = export_value(value, measure) if not isinstance(value, str) else value
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:+.1f}" if measure == "change (pp)" else f"{value:.1f}"
    return str(value)


NUMERIC_MEASURES = ("n", "base", "%", "change (pp)")
"""Measures that hold numbers (or "[c]")."""
NUMBER_LIKE_MEASURES = ("n of base", "95% CI")
"""Text measures that read like numbers; with NUMERIC_MEASURES, right-aligned and unbroken wherever shown."""


def measure_of(column: str) -> str:
    """The measure a banner column holds: the text after ' | ' ("" for row columns)."""
    return column.rpartition(" | ")[2] if " | " in column else ""


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every cell and column name as `export_value` makes it."""
    cells = {
        neutralise(column): [export_value(value, measure_of(column)) for value in frame[column]]
        for column in frame.columns
    }
    return pd.DataFrame(cells, dtype=object)
