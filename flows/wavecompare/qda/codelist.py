"""`wavecompare codes`: the code paths of one or more exports, with their codings per wave, and a starter
crosswalk to fill in.

An export in a wave folder (a folder beside the study's waves file) counts for that wave; any other export
counts under its own file name. Codes used in some of these and not others are listed apart, since a code
renamed, split or merged between waves is what silently breaks a comparison. The starter crosswalk lists every
code path once with `code_id` and `value` blank and `wave_id` blank (every wave); it is never written over an
existing file. A code path that a spreadsheet would run as a formula (it starts with =, +, -, @) is written with
a leading ' as every file the project writes (`release.cells`).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from wavecompare.release.cells import neutralise

from .recognise import read_export
from .segment_lists import Headers

CROSSWALK_COLUMNS = ("wave_id", "source_code", "code_id", "value")
WAVES_FILES = ("waves.csv", "waves.xlsx")


def column_of(path: Path) -> str:
    """The wave an export counts for (its wave folder's name), or its file name outside a wave folder."""
    if any((path.parent.parent / name).is_file() for name in WAVES_FILES):
        return path.parent.name
    return path.name


def code_counts(paths: list[Path], headers: Headers | None = None) -> pd.DataFrame:
    """One row per code path (in the order the exports define or use them), one column per wave or file: its
    codings (coding references, for a count matrix); 0 for a code an export defines but does not use."""
    parts = []
    for path in paths:
        export, column = read_export(path, headers), column_of(path)
        parts.append(pd.DataFrame({"code path": list(export.codes), "column": column, "codings": 0}))
        parts.append(pd.DataFrame({"code path": export.codings.source_code.astype(object), "column": column,
                                   "codings": export.codings.references}))
    frame = pd.concat(parts, ignore_index=True)
    return frame.pivot_table(index="code path", columns="column", values="codings", aggfunc="sum", fill_value=0,
                             sort=False).rename_axis(columns=None)


def table(counts: pd.DataFrame) -> str:
    """The counts as aligned text: code paths left, counts right."""
    width = max(len("code path"), *map(len, counts.index))
    widths = [max(len(str(column)), 6) for column in counts.columns]
    lines = ["code path".ljust(width) + "".join(f"  {str(c):>{w}}" for c, w in zip(counts.columns, widths))]
    lines += [path.ljust(width) + "".join(f"  {n:>{w}}" for n, w in zip(row, widths))
              for path, row in zip(counts.index, counts.itertuples(index=False))]
    return "\n".join(lines)


def drifting(counts: pd.DataFrame) -> list[str]:
    """Code paths used (coded at least once) in some columns and not in others."""
    if counts.shape[1] < 2:
        return []
    used = counts > 0
    return counts.index[used.any(axis=1) & ~used.all(axis=1)].tolist()


def write_starter(counts: pd.DataFrame, out: Path) -> None:
    """A crosswalk to fill in: every code path, code_id and value blank. Never over an existing file."""
    with out.open("x", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CROSSWALK_COLUMNS)
        writer.writerows(["", neutralise(path), "", ""] for path in counts.index)
