"""Side-by-side release tables, built from the warehouse (`build_tables`).

The long counts come from `sql/release/` (see `counts`); here every released
cell gets a key, the additive equations a reader can use are stated once for
all tables together (tables share cells: 'All' appears in both group splits,
group bases are categories of the stakeholder mix), suppression is decided on
that whole system (`suppress`), and only then each table is laid out as a
tracking-survey banner (`model.ReleaseTable`) with its tests and notes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from wavecompare.release import counts, stats, suppress
from wavecompare.release.model import SUPPRESSED, WAVE_MEASURES, ReleaseTable, change_column, wave_column
from wavecompare.release.quantifiers import scale_sentences, words
from wavecompare.release.settings import ReleaseSettings

BASE_ALL = "Base: all interviews"
FIRST_TABLES = ("awareness", "confidence", "risk_mentions")
TITLES = {"awareness": "Awareness", "confidence": "Confidence", "risk_mentions": "Risk mentions"}
LISTED_SUPPRESSIONS = 100
"""Suppressed cells named one by one in a table's notes; beyond it they are counted, so that a large
release keeps notes a reader can use (and a workbook that writes in seconds)."""
SPLIT_TABLES = {"stakeholder_group": ("", "", "Group"), "service_area": ("_by_service_area", " by service area", "Service area")}
"""Per split: table-name suffix, title suffix, and the heading of the group column."""


@dataclass(frozen=True)
class _Row:
    labels: tuple[str, ...]
    base_row: bool
    cells: dict[str, tuple]  # wave_id -> (n, base, pct, n_key, base_key)


def build_tables(con: duckdb.DuckDBPyConnection, settings: ReleaseSettings = ReleaseSettings()) -> list[ReleaseTable]:
    """Every release table, suppressed and tested: stakeholder_mix, awareness,
    confidence, risk_mentions, theme_<theme> for each other theme, then the
    same by service area when interviews have one."""
    waves = counts.waves(con)
    labels = dict(zip(waves.wave_id, waves.label))
    mix = _keyed_mix(counts.mix(con, organisations=settings.organisations))
    coded = _keyed_coded(counts.coded(con))
    values = _values(mix, coded)
    group_bases = dict(zip(coded.n_key[coded.stakeholder_group != "All"], coded.base[coded.stakeholder_group != "All"]))
    hidden = suppress.protect(values, _equations(mix, coded, labels),
                              suppress.primary(values, group_bases, settings.min_cell))
    builder = _Builder(tuple(waves.wave_id), labels, hidden, settings)
    tables = [builder.table("stakeholder_mix", "Stakeholder mix", ("Dimension", "Category"), _mix_rows(mix),
                            _mix_notes(settings))]
    for split, (name_suffix, title_suffix, heading) in SPLIT_TABLES.items():
        part = coded[coded.split == split]
        for table_name in _table_names(part):
            rows = part[part.table_name == table_name]
            mention = rows.level.eq("").all() or rows.kind.eq("mention").all()
            row_columns = (heading, "Code", "Label") + (() if rows.level.eq("").all() else ("Level",))
            tables.append(builder.table(
                table_name + name_suffix, _title(table_name) + title_suffix, row_columns,
                _coded_rows(rows, len(row_columns) == 4, heading.lower()), _coded_notes(mention)))
    return tables


def _table_names(coded: pd.DataFrame) -> list[str]:
    present = coded.drop_duplicates("table_name").sort_values("code_order").table_name.tolist()
    return [name for name in FIRST_TABLES if name in present] + [name for name in present if name not in FIRST_TABLES]


def _title(table_name: str) -> str:
    return TITLES.get(table_name) or table_name.removeprefix("theme_").replace("_", " ").capitalize()


def _keyed_mix(mix: pd.DataFrame) -> pd.DataFrame:
    mix = mix.sort_values(["dimension_order", "category_order", "wave_order"]).reset_index(drop=True)
    mix["n_key"] = [("mix", w, d, c) for w, d, c in zip(mix.wave_id, mix.dimension, mix.category)]
    mix["base_key"] = [("base", w) for w in mix.wave_id]
    return mix


def _keyed_coded(coded: pd.DataFrame) -> pd.DataFrame:
    coded = coded.assign(level=coded.level.fillna("")).reset_index(drop=True)
    scope = coded.split.where(coded.stakeholder_group != "All", "All")
    coded["n_key"] = list(zip(["code"] * len(coded), coded.table_name, coded.wave_id, scope,
                              coded.stakeholder_group, coded.code_id, coded.level))
    coded["base_key"] = [("base", w) if g == "All" else ("mix", w, s, g)
                         for w, s, g in zip(coded.wave_id, coded.split, coded.stakeholder_group)]
    return coded


def _values(mix: pd.DataFrame, coded: pd.DataFrame) -> dict:
    values = dict(zip(mix.n_key, mix.n.astype(int)))
    values.update(zip(mix.base_key, mix.base.astype(int)))
    values.update(zip(coded.n_key, coded.n.astype(int)))
    for key, base in zip(coded.base_key, coded.base.astype(int)):
        if values.setdefault(key, base) != base:
            raise ValueError(f"the warehouse is inconsistent: base {key} is {base} in a theme, {values[key]} in the mix")
    return values


def _equations(mix: pd.DataFrame, coded: pd.DataFrame, labels: dict) -> list[suppress.Equation]:
    """Totals a reader can check: categories of a mix dimension add up to the
    wave's interviews; levels of a level code (with 'not coded') to the group's
    base; groups of a split to 'All' (and group bases, through the mix).

    Built per group of rows with vectorised pandas (not a loop over row
    groups), in the order the groups first appear, so suppression, which
    depends on the order, is the same whatever the size."""
    equations = {}

    def add(totals, parts, descriptions) -> None:
        for total, members, description in zip(totals, parts, descriptions):
            equations.setdefault((total, frozenset(members)), suppress.Equation(total, tuple(members), description))

    firsts, parts = _groups(mix, ["wave_id", "dimension"])
    add([("base", wave) for wave in firsts.wave_id], parts,
        [f"the {dimension.replace('_', ' ')} categories of {labels[wave]}, which add up to all interviews"
         for wave, dimension in zip(firsts.wave_id, firsts.dimension)])
    levels = coded[(coded.kind == "level") & (coded.level != "")]
    firsts, parts = _groups(levels, ["table_name", "split", "stakeholder_group", "wave_id", "code_id"])
    add(firsts.base_key, parts,
        [f"the levels of {code} for {group} in {labels[wave]}, which add up to the group's base"
         for code, group, wave in zip(firsts.code_id, firsts.stakeholder_group, firsts.wave_id)])
    whole = coded.stakeholder_group == "All"
    by_count = ["table_name", "split", "wave_id", "code_id", "level"]
    firsts, parts = _groups(coded, by_count, coded[~whole])
    totals = firsts[by_count].merge(coded.loc[whole, [*by_count, "n_key"]].drop_duplicates(by_count), how="left")
    add(totals.n_key, parts,
        [f"the {split.replace('_', ' ')} counts of {' '.join(filter(None, (code, level)))} in {labels[wave]}, "
         "which add up to All" for split, code, level, wave in zip(firsts.split, firsts.code_id, firsts.level,
                                                                    firsts.wave_id)])
    return list(equations.values())


def _groups(frame: pd.DataFrame, columns: list[str], members: pd.DataFrame | None = None):
    """The groups of `frame` by `columns` in order of first appearance: the first
    row of each, and the n_keys of `members` (default: the frame) in each, in frame order."""
    ids = frame.groupby(columns, sort=False).ngroup()
    members = frame if members is None else members
    member_ids = ids[members.index].to_numpy()
    order = np.argsort(member_ids, kind="stable")
    bounds = np.searchsorted(member_ids[order], np.arange(1, ids.max() + 1 if len(ids) else 0))
    keys = members.n_key.to_numpy()[order]
    firsts = frame.loc[~ids.duplicated()].reset_index(drop=True)
    return firsts, [tuple(part) for part in np.split(keys, bounds)]


def _rows(frame: pd.DataFrame, label_columns: list[str], base_labels) -> list[_Row]:
    """Rows in print order, with a base row (labelled `base_labels(first row)`)
    wherever a new block starts.

    One pass over the frame's records, grouped by their labels in order of first
    appearance (as pandas' groupby(sort=False) would, without a sub-frame per row)."""
    groups: dict[tuple, list] = {}
    for record in frame.itertuples(index=False):
        labels = tuple(getattr(record, column) for column in label_columns)
        groups.setdefault(tuple(_NAN if pd.isna(label) else label for label in labels), [labels]).append(record)
    rows: list[_Row] = []
    block = None
    for labels, *part in groups.values():
        if base_labels(part[0]) != block:
            block = base_labels(part[0])
            rows.append(_Row(block, True, {r.wave_id: (r.base, r.base, None, r.base_key, r.base_key) for r in part}))
        rows.append(_Row(tuple(map(str, labels)), False,
                         {r.wave_id: (r.n, r.base, r.pct, r.n_key, r.base_key) for r in part}))
    return rows


_NAN = object()
"""Stands for a missing label when grouping, so that all missing labels group together."""


def _mix_rows(mix: pd.DataFrame) -> list[_Row]:
    mix = mix.assign(Dimension=mix.dimension.str.replace("_", " ").str.capitalize())
    return _rows(mix, ["Dimension", "category"], lambda first: (BASE_ALL, ""))


def _coded_rows(coded: pd.DataFrame, with_level: bool, group_word: str) -> list[_Row]:
    coded = coded.sort_values(["group_order", "code_order", "level_order", "wave_order"], na_position="last")
    columns = ["stakeholder_group", "code_id", "code_label"] + (["level"] if with_level else [])

    def base_labels(first) -> tuple[str, ...]:
        text = BASE_ALL if first.stakeholder_group == "All" else f"Base: interviews in this {group_word}"
        return (first.stakeholder_group, text, "") + (("",) if with_level else ())

    return _rows(coded, columns, base_labels)


class _Builder:
    """Lays out rows as a ReleaseTable, with suppression, tests and notes."""

    def __init__(self, waves: tuple[str, ...], labels: dict, hidden: dict, settings: ReleaseSettings):
        self.waves, self.labels, self.hidden, self.settings = waves, labels, hidden, settings

    def table(self, name: str, title: str, row_columns: tuple[str, ...], rows: list[_Row],
              notes: tuple[str, ...]) -> ReleaseTable:
        records = [dict(zip(row_columns, row.labels)) for row in rows]
        for record, row in zip(records, rows):
            for wave in self.waves:
                record.update(self._wave_cells(wave, row))
        tested = self._changes(rows, records)
        frame = pd.DataFrame.from_records(records)
        return ReleaseTable(name, title, row_columns, tuple(self.labels[w] for w in self.waves), frame,
                            notes + self._notes(rows, tested))

    def _shown(self, key, value):
        return SUPPRESSED if key in self.hidden else value

    def _wave_cells(self, wave: str, row: _Row) -> dict:
        label = self.labels[wave]
        n, base, pct, n_key, base_key = row.cells[wave]
        cells = dict.fromkeys(wave_column(label, m) for m in WAVE_MEASURES)
        cells[wave_column(label, "n")] = self._shown(n_key, int(n))
        cells[wave_column(label, "base")] = self._shown(base_key, int(base))
        if row.base_row:
            return cells
        if n_key in self.hidden or base_key in self.hidden:
            cells.update({wave_column(label, m): SUPPRESSED for m in ("%", "95% CI", "words")})
            cells[wave_column(label, "n of base")] = (
                SUPPRESSED if n_key in self.hidden else f"{int(n)} of {SUPPRESSED}")
        elif base > 0:
            cells[wave_column(label, "%")] = float(pct)
            cells[wave_column(label, "n of base")] = f"{int(n)} of {int(base)}"
            cells[wave_column(label, "95% CI")] = stats.interval_text(int(n), int(base), self.settings.alpha)
            if self.settings.quantifiers:
                cells[wave_column(label, "words")] = words(int(n), int(base))
        return cells

    def _changes(self, rows: list[_Row], records: list[dict]) -> int:
        """Fill the change columns; returns how many changes were tested."""
        pairs, where = [], []
        for earlier, later in zip(self.waves, self.waves[1:]):
            change = change_column(self.labels[earlier], self.labels[later], "change (pp)")
            test = change_column(self.labels[earlier], self.labels[later], "test")
            for index, (row, record) in enumerate(zip(rows, records)):
                record[change] = record[test] = None
                if row.base_row:
                    continue
                (n_a, base_a, pct_a, *keys_a), (n_b, base_b, pct_b, *keys_b) = row.cells[earlier], row.cells[later]
                if any(key in self.hidden for key in (*keys_a, *keys_b)):
                    record[change] = record[test] = SUPPRESSED
                    continue
                if base_a > 0 and base_b > 0:
                    record[change] = round(float(pct_b) - float(pct_a), 1)
                pairs.append({"n_a": int(n_a), "base_a": int(base_a), "n_b": int(n_b), "base_b": int(base_b)})
                where.append((index, test))
        if not pairs:
            return 0
        frame = pd.DataFrame(pairs)
        cells = stats.change_tests(frame, min_base=self.settings.min_test_base, alpha=self.settings.alpha)
        for (index, column), cell in zip(where, cells):
            records[index][column] = cell
        return int((frame[["base_a", "base_b"]].min(axis=1) >= self.settings.min_test_base).sum())

    def _notes(self, rows: list[_Row], tested: int) -> tuple[str, ...]:
        settings = self.settings
        notes = []
        small = [f"{self.labels[wave]}, {row.labels[0] if row.labels[0] != BASE_ALL else 'all interviews'}: "
                 f"{self._shown(row.cells[wave][4], int(row.cells[wave][1]))}"
                 for row in rows if row.base_row for wave in self.waves
                 if row.cells[wave][1] < settings.small_base]
        if small:
            notes.append(f"Small bases (under {settings.small_base} interviews; read percentages as indicative): "
                         + "; ".join(small) + ".")
        notes.append(
            f"Disclosure control: counts of 1 to {settings.min_cell - 1} interviews, and counts equal to the whole of a "
            f"stakeholder group or service area, are suppressed ({SUPPRESSED}, primary); further cells are suppressed "
            "(secondary) so that none can be worked out from totals, other groups or other tables; the %, interval, "
            "words, change and test of a suppressed count go with it. Zero counts are shown.")
        seen = {}
        for row in rows:
            for wave in self.waves:
                key = row.cells[wave][3]
                if key in self.hidden and key not in seen:
                    seen[key] = (wave, row)
        for key, (wave, row) in list(seen.items())[:LISTED_SUPPRESSIONS]:
            what = ", ".join(filter(None, (self.labels[wave], *row.labels)))
            notes.append(f"Suppressed: {what} ({self.hidden[key].reason}).")
        if len(seen) > LISTED_SUPPRESSIONS:
            kinds = Counter(self.hidden[key].kind for key in list(seen)[LISTED_SUPPRESSIONS:])
            notes.append(f"Suppressed: {len(seen) - LISTED_SUPPRESSIONS} more cells, not listed one by one "
                         f"({kinds['primary']} primary, {kinds['secondary']} secondary), each shown as {SUPPRESSED}.")
        if len(self.waves) > 1:
            notes.append(
                "Change: percentage points between consecutive waves (later % minus earlier %, as shown). Test: "
                f"Fisher's exact test (two-sided) of the two proportions, only where both bases are at least "
                f"{settings.min_test_base} (otherwise 'not tested (base n)', with the smaller base); p-values adjusted "
                f"by Holm's method over the {tested} tests in this table; 'up' or 'down' only when the adjusted p is "
                f"below {settings.alpha:g}. 'No significant change' is not evidence of no change: at these bases only "
                "large changes can be detected.")
        notes.append(f"{100 * (1 - settings.alpha):g}% CI: Wilson score interval for the proportion.")
        if settings.quantifiers:
            notes.extend(scale_sentences())
        return tuple(notes)


def _mix_notes(settings: ReleaseSettings) -> tuple[str, ...]:
    notes = ("Each column is the interviews of one wave; the categories of each dimension add up to its base.",)
    if not settings.organisations:
        notes += ("Organisations are not listed: almost every organisation took part with a single interview, so its "
                  "name would identify the interviewee.",)
    return notes


def _coded_notes(mention: bool) -> tuple[str, ...]:
    notes = ("Counts are interviews (an interview counts once per code, however often it raised it), out of the "
             "interviews of the group in that wave.",)
    if mention:
        notes += ("An interview can raise several codes, so percentages can add up to more than 100%.",)
    else:
        notes += ("The levels of a code, with 'not coded', add up to the base.",)
    return notes
