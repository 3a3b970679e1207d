"""How every writer prints a typed release table, decided once: the workbook's sheets, the report's tables and
their "copy into Word" versions all show `printed(table)`.

Up to WORD_WAVES waves a table is laid out to paste into a report: one text column per wave holding
"n of N (x%)", then each compared pair's change and test, one row per category, code, level or net, each
group a block headed by its base. Beyond it a trend layout keeps a row on one line: the % of each wave as a
number, then the same changes and tests. Percentages and changes on bases under `changes.WHOLE_BELOW` are whole,
worked from the counts (a decimal would claim a precision the sample lacks); the long CSVs keep one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .cells import join_text
from .changes import WHOLE_BELOW, percent_texts, whole_changes
from .model import SUPPRESSED, ReleaseTable
from .stats import p_texts
from .wording import group_name, level_name

WORD_WAVES = 4
"""Waves up to which a table is printed "n of N (x%)" (four fit a portrait A4 page at 9 pt); beyond, as a trend."""
KINDS = ("base", "heading", "row", "net")
"""What a printed row is: a block's base (bold), a code's or mix dimension's heading (bold, no values), a
category, code or level (levels indented), or a net (a sum of rows, italic)."""
NOT_TESTED = "not tested"
SIGNIFICANT_WORDS = {"up": "up", "down": "down", "no significant change": "n.s."}
"""The test's verdict (stats.change_tests) as a Word-ready cell says it, before its adjusted p: "n.s. (p 0.66)"."""
CHANGE_HEADINGS = ("Change since previous (pp)", "Change since first (pp)")
"""The change columns of `model.compared_pairs`, named by what they compare, not by wave labels (which are long;
the notes name the waves)."""


@dataclass(frozen=True)
class Printed:
    """A table as its writers show it: `columns` headings; `cells` (rows × columns) text, or numbers where
    `numeric` (a trend's percentages, one decimal, for the workbook); `texts` the same cells as text (a trend's
    % whole under WHOLE_BELOW, for the report); per row its kind (KINDS) and whether it is indented (a level
    under its code) and its block (`ReleaseTable.rows.block`: 0 for All, then a block per group); `notes`
    numbered under it."""

    title: str
    columns: list[str]
    cells: np.ndarray
    texts: np.ndarray
    kinds: list[str]
    indented: list[bool]
    blocks: np.ndarray
    numeric: list[bool]
    notes: tuple[str, ...]
    trend: bool


def _row_texts(table: ReleaseTable) -> tuple[list, list[str], list[bool], np.ndarray]:
    """The printed rows: a heading before the first level of each level code (and each mix dimension), with
    the first column's text, kind and indent, and for each the table row it shows (−1 for a heading)."""
    rows = table.rows
    mix = not table.tested
    levels = rows.level.ne("").to_numpy()
    heading = (~rows.is_base & (levels | mix) & rows.code_id.ne(rows.code_id.shift())).to_numpy()
    texts, kinds, indented, source = [], [], [], []
    for i, r in enumerate(rows.itertuples(index=False)):
        if heading[i]:
            texts.append(str(r.code_id).replace("_", " ").capitalize() if mix else r.label)
            kinds.append("heading"), indented.append(False), source.append(-1)
        if r.is_base:
            texts.append(f"{group_name(r.group)} (base)")
        elif mix and r.code_id == "mode":  # modes are the study's own ids (stg_mode_synonyms): face_to_face
            texts.append(r.label.replace("_", " ").capitalize())
        else:
            texts.append(level_name(r.level) if levels[i] else r.label)
        kinds.append("base" if r.is_base else "net" if r.is_net else "row")
        indented.append(bool(levels[i] or mix) and not r.is_base)
        source.append(i)
    return texts, kinds, indented, np.array(source, dtype=np.int64)


def _wave_cells(table: ReleaseTable, trend: bool) -> tuple[np.ndarray, np.ndarray]:
    """(rows × waves) of what each wave shows: "4 of 10 (40%)" (trend: the % as a number), a base as "10",
    SUPPRESSED where withheld, "" where not published; and the same as text."""
    n, base, pct = table.grid("n"), table.grid("base"), table.grid("pct")
    withheld = table.withheld()
    base_row = table.rows.is_base.to_numpy()[:, None] & np.ones_like(withheld)
    cells = np.full(n.shape, "", dtype=object)
    cells[withheld] = SUPPRESSED
    bases = base_row & ~np.isnan(base)
    cells[bases] = base[bases].astype(np.int64) if trend else base[bases].astype(np.int64).astype(str)
    counted = ~base_row & ~withheld & ~np.isnan(n)
    rated = counted & ~np.isnan(pct)
    if trend:
        texts = cells.copy()
        texts[bases] = base[bases].astype(np.int64).astype(str)
        cells[rated] = pct[rated]
        texts[rated] = percent_texts(n[rated].astype(np.int64), base[rated].astype(np.int64), pct[rated])
        return cells, texts
    plain = counted & ~rated
    cells[plain] = join_text(n[plain].astype(np.int64), " of ", base[plain].astype(np.int64))
    n_r, base_r = n[rated].astype(np.int64), base[rated].astype(np.int64)
    cells[rated] = join_text(n_r, " of ", base_r, " (", percent_texts(n_r, base_r, pct[rated]), "%)")
    return cells, cells


def _change_cells(table: ReleaseTable, a: str, b: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per table row, the change from wave a to b as a number (whole under WHOLE_BELOW) and as text ("+27"),
    and its test's verdict ("up (p 0.012)")."""
    rows = len(table.rows)
    change, test = np.full(rows, "", dtype=object), np.full(rows, "", dtype=object)
    pair = table.changes[(table.changes.earlier == a) & (table.changes.later == b)]
    at = pair.row.to_numpy()
    withheld = pair.withheld.to_numpy()
    change[at[withheld]] = test[at[withheld]] = SUPPRESSED
    waves = table.wave_ids
    n, base = table.grid("n"), table.grid("base")
    shown = pair[pair.change_pp.notna()]
    rows_shown = shown.row.to_numpy()
    ia, ib = waves.index(a), waves.index(b)
    whole = np.fmin(base[rows_shown, ia], base[rows_shown, ib]) < WHOLE_BELOW
    points = np.where(whole, _whole(n, base, rows_shown, ia, ib), shown.change_pp.to_numpy())
    texts = np.where(whole, np.char.mod("%+d", points.astype(np.int64)), np.char.mod("%+.1f", points)).astype(object)
    texts[points == 0] = "0"
    numbers = change.copy()
    change[rows_shown], numbers[rows_shown] = texts, points
    if table.tested:
        compared = pair[~pair.withheld & pair.change_pp.notna()]
        verdict = compared.test.str.split(",").str[0].map(SIGNIFICANT_WORDS).fillna(NOT_TESTED).to_numpy(dtype=object)
        tested = compared.tested.to_numpy()
        verdict[tested] = join_text(verdict[tested], " (p ", p_texts(compared.p_adjusted.to_numpy()[tested], ""), ")")
        test[compared.row.to_numpy()] = verdict
    return numbers, change, test


def _whole(n: np.ndarray, base: np.ndarray, rows: np.ndarray, a: int, b: int) -> np.ndarray:
    values = [np.nan_to_num(v[rows, i]).astype(np.int64) for i in (a, b) for v in (n, base)]
    counted = (values[1] > 0) & (values[3] > 0)
    return np.where(counted, whole_changes(values[0], np.maximum(values[1], 1), values[2], np.maximum(values[3], 1)), 0)


def printed(table: ReleaseTable, footer: tuple[str, ...] = ()) -> Printed:
    """The table in its Word-ready layout (up to WORD_WAVES waves) or its trend layout, with its notes and
    `footer` (the run's line) numbered under it."""
    trend = len(table.waves) > WORD_WAVES
    texts, kinds, indented, source = _row_texts(table)
    columns = [""] + [w.label for w in table.waves]
    waves, wave_texts = _wave_cells(table, trend)
    numbers, words = [waves], [wave_texts]
    numeric = [False] + [trend] * len(table.waves)
    for heading, (a, b) in zip(CHANGE_HEADINGS if len(table.pairs) > 1 else ("Change (pp)",), table.pairs):
        number, change, test = _change_cells(table, a, b)
        columns.append(heading)
        numbers.append(number[:, None]), words.append(change[:, None])
        numeric.append(True)
        if table.tested:
            columns.append("Test")
            numbers.append(test[:, None]), words.append(test[:, None])
            numeric.append(False)
    shown = source >= 0

    def laid_out(parts: list[np.ndarray]) -> np.ndarray:
        cells = np.full((len(source), len(columns)), "", dtype=object)
        cells[:, 0] = texts
        cells[shown, 1:] = np.concatenate(parts, axis=1)[source[shown]]
        return cells

    blocks = pd.Series(np.where(shown, table.rows.block.to_numpy()[np.maximum(source, 0)], np.nan)).bfill()
    return Printed(table.title, columns, laid_out(numbers), laid_out(words), kinds, indented,
                   blocks.to_numpy(dtype=np.int64), numeric, (*table.notes, *footer), trend)


def frame(view: Printed) -> pd.DataFrame:
    """The printed table as a frame of its text (for the flow's artifacts and tests), its columns named
    uniquely: a test after its change ("Test since first" after "Change since first (pp)")."""
    names = [column or "Row" for column in view.columns]
    for c, name in enumerate(names):
        if name == "Test" and names[c - 1] != "Change (pp)":
            names[c] = "Test " + names[c - 1].removeprefix("Change ").removesuffix(" (pp)")
    return pd.DataFrame(view.texts, columns=names)


def blocks(view: Printed, first: int, last: int | None = None) -> Printed | None:
    """The printed rows of blocks `first` to `last` (default: all after `first`), titled for them; None if the
    table has none."""
    keep = (view.blocks >= first) & (view.blocks <= (view.blocks.max(initial=0) if last is None else last))
    if not keep.any():
        return None
    return replace(view, cells=view.cells[keep], texts=view.texts[keep], kinds=list(np.array(view.kinds)[keep]),
                   indented=list(np.array(view.indented)[keep]), blocks=view.blocks[keep])


def description(table: ReleaseTable, view: Printed) -> str:
    """What a sheet holds, for the Read me: whose interviews, which rows, and what each column shows."""
    groups = [group_name(g) for g in dict.fromkeys(table.rows.group[table.rows.block.isin(set(view.blocks))])]
    who = (groups[0] if groups[0] != group_name("All") else "all interviews") if len(groups) == 1 else (
        "one block per group (" + ", ".join(groups) + ")")
    if not table.tested:
        what = "interviews by stakeholder group and the other dimensions of the sample"
    elif table.levels:
        what = "each code's levels in codebook order, after their net"
    else:
        what = "each code mentioned, after 'any' of them"
    cells = "the % of each wave" if view.trend else "n of N (%) for each wave"
    changes = {0: "", 1: ", then the change", 2: ", then the changes since the previous and the first wave"}
    tests = (" and its test" if len(table.pairs) == 1 else " and their tests") if table.tested and table.pairs else ""
    return f"{table.title}, {who}: {what}; {cells}{changes[len(table.pairs)]}{tests}."
