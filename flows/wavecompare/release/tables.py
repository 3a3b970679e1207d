"""Side-by-side release tables, built from the warehouse (`build_tables`).

The long counts come from `sql/release/` (see `counts`); here every released
cell gets a key, the additive equations a reader can use are stated once for
all tables together (tables share cells: 'All' appears in both group splits,
group bases are categories of the stakeholder mix), what is withheld is decided
on that whole system and audited (`protection`), and only then each table is
laid out as a tracking-survey banner (`model.ReleaseTable`) with its tests and
notes. Groups too small to publish answers for come from the SQL with no count
(`_Cells.absent`) and are printed empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from wavecompare.problems import joined
from wavecompare.release import counts, model, protection, stats, suppress
from wavecompare.release.changes import mix_shift_notes
from wavecompare.release.model import SUPPRESSED, WAVE_MEASURES, ReleaseTable, change_column, wave_column
from wavecompare.release.quantifiers import scale_sentences, words
from wavecompare.release.settings import ReleaseSettings

BASE_ALL = "Base: all interviews"
FIRST_TABLES = ("awareness", "confidence", "risk_mentions")
TITLES = {"awareness": "Awareness", "confidence": "Confidence", "risk_mentions": "Risk mentions"}
SPLIT_TABLES = {"stakeholder_group": ("", "", "Group"), "service_area": ("_by_service_area", " by service area", "Service area")}
"""Per split: table-name suffix, title suffix, and the heading of the group column."""


@dataclass(frozen=True)
class _Rows:
    """A table's rows in print order and the long counts behind them.

    `labels`: the text of each printed row, one column per row column; `base_row`: which printed rows
    are base rows; `source`: the group of `records` each printed row shows (a base row, its block's
    first); `records`: the counts (wave_id, n, base, pct, n_key, base_key), `row` numbering the groups."""

    labels: pd.DataFrame
    base_row: np.ndarray
    source: np.ndarray
    records: pd.DataFrame


@dataclass(frozen=True)
class _Cells:
    """A table's counts as (printed rows × waves) arrays, a base row's n being its base; `*_suppressed`:
    the position of the count's key among the suppressed cells, −1 where it is released; `absent`: answers
    the release does not publish at all (a group under min_group), shown empty."""

    n: np.ndarray
    base: np.ndarray
    pct: np.ndarray
    n_suppressed: np.ndarray
    base_suppressed: np.ndarray
    absent: np.ndarray


@dataclass(frozen=True)
class BuiltTables:
    """The release tables, every count they show or withhold (`disclosure.CELL_COLUMNS`), and the cells the
    next release is to be compared with (`protection.baseline`)."""

    tables: list[ReleaseTable]
    cells: pd.DataFrame
    baseline: pd.DataFrame


def build_tables(con: duckdb.DuckDBPyConnection, settings: ReleaseSettings = ReleaseSettings(),
                 previous: pd.DataFrame | None = None) -> BuiltTables:
    """Every release table, protected and tested: stakeholder_mix, awareness,
    confidence, risk_mentions, theme_<theme> for each other theme, then the
    same by service area when interviews have one; with the cells that pass the
    disclosure audit (against `previous`, the last release's cells, too).
    ReleaseRefused when no protection passes it."""
    waves = counts.waves(con)
    labels = dict(zip(waves.wave_id, waves.label))
    merges = counts.group_merges(con, min_group=settings.min_group)
    mix = _keyed_mix(counts.mix(con, organisations=settings.organisations))
    coded = _keyed_coded(counts.coded(con, min_group=settings.min_group))
    held = protection.held_back(coded, previous, settings)
    waiting = pd.MultiIndex.from_frame(held[["wave_id", "scope", "stakeholder_group"]])
    coded.loc[pd.MultiIndex.from_frame(coded[["wave_id", "scope", "stakeholder_group"]]).isin(waiting), "n"] = pd.NA
    hidden = protection.protect(mix, coded, _equations(mix, coded), settings, previous)
    builder = _Builder(tuple(waves.wave_id), labels, hidden.withheld, settings)
    mix_notes = _mix_notes(settings, counts.organisations(con)) + _duration_notes(counts.durations(con))
    tables = [builder.table("stakeholder_mix", "Stakeholder mix", _mix_rows(mix), mix_notes, tested=False)]
    shift = mix_shift_notes(tables[0])
    for split, (name_suffix, title_suffix, heading) in SPLIT_TABLES.items():
        part = coded[coded.split == split]
        for table_name in _table_names(part):
            rows = part[part.table_name == table_name]
            mention = rows.level.eq("").all() or rows.kind.eq("mention").all()
            row_columns = (heading, "Code", "Label") + (() if rows.level.eq("").all() else ("Level",))
            notes = (_coded_notes(mention) + shift + _small_wave_notes(mix, labels, settings)
                     + _merge_notes(merges[merges.split == split], labels, settings)
                     + _held_notes(held[held.scope.isin(["All", split])], labels, settings))
            tables.append(builder.table(table_name + name_suffix, _title(table_name) + title_suffix,
                                        _coded_rows(rows, row_columns, heading.lower()), notes))
    return BuiltTables(tables, hidden.cells, protection.baseline(hidden.cells, previous, held))


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
    coded["scope"] = scope = coded.split.where(coded.stakeholder_group != "All", "All")
    coded["n_key"] = list(zip(["code"] * len(coded), coded.table_name, coded.wave_id, scope,
                              coded.stakeholder_group, coded.code_id, coded.level))
    coded["base_key"] = [("base", w) if g == "All" else ("mix", w, s, g)
                         for w, s, g in zip(coded.wave_id, coded.split, coded.stakeholder_group)]
    return coded


def _equations(mix: pd.DataFrame, coded: pd.DataFrame) -> list[suppress.Equation]:
    """Totals a reader can check: categories of a mix dimension add up to the
    wave's interviews; levels of a level code (with 'not coded') to the group's
    base; groups of a split to 'All' (and group bases, through the mix).

    Only counts the release shows or withholds take part (a small group's answers are not published). Built
    per group of rows with vectorised pandas (not a loop over row groups), in the order the groups first
    appear, so suppression, which depends on the order, is the same whatever the size."""
    equations = {}
    coded = coded[coded.n.notna()]

    def add(totals, parts) -> None:
        for total, members in zip(totals, parts):
            if members and isinstance(total, tuple):  # a total the release shows (All can be held back)
                equations.setdefault((total, frozenset(members)), suppress.Equation(total, tuple(members)))

    firsts, parts = _groups(mix, ["wave_id", "dimension"])
    add([("base", wave) for wave in firsts.wave_id], parts)
    net = (coded.kind == "level") & coded.members.notna()
    levels = coded[(coded.kind == "level") & (coded.level != "") & ~net]
    firsts, parts = _groups(levels, ["table_name", "split", "stakeholder_group", "wave_id", "code_id"])
    add(firsts.base_key, parts)
    whole = coded.stakeholder_group == "All"
    by_count = ["table_name", "split", "wave_id", "code_id", "level"]
    firsts, parts = _groups(coded, by_count, coded[~whole])
    totals = firsts[by_count].merge(coded.loc[whole, [*by_count, "n_key"]].drop_duplicates(by_count), how="left")
    add(totals.n_key, parts)
    nets = coded[net].assign(level=coded.members[net].str.split("|")).explode("level")
    line = ["table_name", "split", "stakeholder_group", "wave_id", "code_id", "level"]
    parts = nets[[*line, "n_key"]].merge(coded[[*line, "n_key"]], on=line, suffixes=("", "_part"))
    for total, members in parts.groupby("n_key", sort=False).n_key_part:
        add([total], [tuple(members)])
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


def _rows(frame: pd.DataFrame, label_columns: list[str], row_columns: tuple[str, ...], block_labels) -> _Rows:
    """Rows in print order, with a base row (labelled `block_labels(first records)`, a frame with
    `row_columns`) wherever a new block starts.

    Records are grouped by their labels in order of first appearance (missing labels together, as
    pandas' groupby(sort=False, dropna=False) does); a row reads its first record's labels, as text."""
    row = frame.groupby(label_columns, sort=False, dropna=False).ngroup().to_numpy()
    first = frame.iloc[np.unique(row, return_index=True)[1]].reset_index(drop=True)
    labels = pd.DataFrame({column: first[label].to_numpy(dtype=object).astype(str).astype(object)
                           for column, label in zip(row_columns, label_columns)})
    blocks = block_labels(first)
    starts = np.flatnonzero(blocks.ne(blocks.shift()).any(axis=1))
    printed = np.argsort(np.concatenate([2 * starts, 2 * np.arange(len(first)) + 1]))
    return _Rows(pd.concat([blocks.iloc[starts], labels]).iloc[printed].reset_index(drop=True),
                 printed < len(starts), np.concatenate([starts, np.arange(len(first))])[printed],
                 frame.assign(row=row))


def _block_labels(first: pd.DataFrame, row_columns: tuple[str, ...], *leading) -> pd.DataFrame:
    """Base-row labels for each row: `leading` (values or arrays) in the first row columns, blanks after."""
    blocks = pd.DataFrame("", index=first.index, columns=list(row_columns))
    for column, value in zip(row_columns, leading):
        blocks[column] = value
    return blocks


def _mix_rows(mix: pd.DataFrame) -> _Rows:
    mix = mix.assign(Dimension=mix.dimension.str.replace("_", " ").str.capitalize())
    row_columns = ("Dimension", "Category")
    return _rows(mix, ["Dimension", "category"], row_columns, lambda first: _block_labels(first, row_columns, BASE_ALL))


def _coded_rows(coded: pd.DataFrame, row_columns: tuple[str, ...], group_word: str) -> _Rows:
    coded = coded.sort_values(["group_order", "code_order", "level_order", "wave_order"], na_position="last")
    columns = ["stakeholder_group", "code_id", "code_label", "level"][:len(row_columns)]

    def block_labels(first: pd.DataFrame) -> pd.DataFrame:
        group = first.stakeholder_group.to_numpy(dtype=object)
        return _block_labels(first, row_columns, group,
                             np.where(group == "All", BASE_ALL, f"Base: interviews in this {group_word}"))

    return _rows(coded, columns, row_columns, block_labels)


class _Builder:
    """Lays out rows as a ReleaseTable, with suppression, tests and notes, a whole column at a time."""

    def __init__(self, waves: tuple[str, ...], labels: dict, hidden: set, settings: ReleaseSettings):
        self.waves, self.labels, self.settings = waves, labels, settings
        # which cells are withheld, never why: a per-cell reason ("a count of 1 to 2") bounds the cell for a reader
        self.suppressed = pd.Index(list(hidden), dtype=object, tupleize_cols=False)

    def table(self, name: str, title: str, rows: _Rows, notes: tuple[str, ...], tested: bool = True) -> ReleaseTable:
        cells = self._cells(rows)
        measures = self._wave_measures(cells, rows.base_row)
        changes, tests = self._changes(cells, rows.base_row, tested)
        columns = {column: rows.labels[column].to_numpy(dtype=object) for column in rows.labels}
        for position, wave in enumerate(self.waves):
            columns.update({wave_column(self.labels[wave], m): measures[m][:, position] for m in WAVE_MEASURES})
        columns.update(changes)
        # each column typed as pandas types records: integers, floats or text where all its values are
        frame = pd.DataFrame(columns).infer_objects()
        waves = tuple(self.labels[w] for w in self.waves)
        return ReleaseTable(name, title, tuple(rows.labels), waves, frame,
                            notes + self._notes(rows, cells, measures["base"], tests if tested else None),
                            model.compared_pairs(waves), tests, self.settings.alpha)

    def _cells(self, rows: _Rows) -> _Cells:
        """Each printed row's counts per wave, from its group's records (one per wave, else an error)."""
        records, width = rows.records, len(self.waves)
        wave = records.wave_id.map(dict(zip(self.waves, range(width)))).to_numpy()
        order = np.lexsort((wave, records.row.to_numpy()))
        complete = len(order) == width * (records.row.max() + 1)
        if not complete or (wave[order].reshape(-1, width) != np.arange(width)).any():
            raise ValueError("every row of a release table needs exactly one count in each wave")
        at = order.reshape(-1, width)[rows.source]
        base_row = rows.base_row[:, None]
        base = records.base.to_numpy(dtype=np.int64)[at]
        answer = records.n.to_numpy(dtype=float, na_value=np.nan)[at]
        absent = ~base_row & np.isnan(answer)
        n = np.where(base_row, base, np.nan_to_num(answer).astype(np.int64))
        base_key = records.base_key.to_numpy()[at]
        n_key = np.where(base_row, base_key, records.n_key.to_numpy()[at])
        return _Cells(n, base, records.pct.to_numpy(dtype=float)[at],
                      self._suppressed(n_key), self._suppressed(base_key), absent)

    def _suppressed(self, keys: np.ndarray) -> np.ndarray:
        """The position of each key among the suppressed cells, −1 where the cell is released."""
        found = self.suppressed.get_indexer(pd.Index(keys.ravel(), dtype=object, tupleize_cols=False))
        return found.reshape(keys.shape)

    def _wave_measures(self, cells: _Cells, base_row: np.ndarray) -> dict[str, np.ndarray]:
        """Each wave measure of each printed row, as (rows × waves) object arrays: n and base as released;
        %, n of base, interval and words for the counts of non-empty bases, or with a suppressed count."""
        n_hidden, base_hidden = cells.n_suppressed >= 0, cells.base_suppressed >= 0
        measures = {m: np.full(cells.n.shape, None, dtype=object) for m in WAVE_MEASURES}
        measures["n"] = np.where(n_hidden, SUPPRESSED, cells.n.astype(object))
        measures["base"] = np.where(base_hidden, SUPPRESSED, cells.base.astype(object))
        measures["n"][cells.absent] = None
        cut = ~base_row[:, None] & (n_hidden | base_hidden)
        for measure in ("%", "95% CI", "words"):
            measures[measure][cut] = SUPPRESSED
        measures["n of base"][cut] = np.where(n_hidden[cut], SUPPRESSED,
                                              stats.join_text(cells.n[cut], f" of {SUPPRESSED}"))
        shown = ~base_row[:, None] & ~cut & ~cells.absent & (cells.base > 0)
        n, base = cells.n[shown], cells.base[shown]
        measures["%"][shown] = cells.pct[shown].astype(object)
        measures["n of base"][shown] = stats.join_text(n, " of ", base)
        measures["95% CI"][shown] = stats.interval_texts(n, base, self.settings.alpha)
        if self.settings.quantifiers:
            measures["words"][shown] = words(n, base)
        return measures

    def _changes(self, cells: _Cells, base_row: np.ndarray, tested: bool) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
        """The change columns of each compared pair of waves (`compared_pairs`), each with its test column
        where `tested`, and the tests (`ReleaseTable.tests`): each pair's tests are one family for Holm's
        correction, since they answer different questions (what changed lately, what changed since the start)."""
        columns, families = {}, []
        for a, b in model.compared_pairs(tuple(range(len(self.waves)))):
            change, test, rows = self._change_pair(cells, base_row, a, b)
            earlier, later = self.labels[self.waves[a]], self.labels[self.waves[b]]
            columns[change_column(earlier, later, "change (pp)")] = change
            if not tested:
                continue
            pair = pd.DataFrame(np.stack([cells.n[rows, a], cells.base[rows, a], cells.n[rows, b], cells.base[rows, b]],
                                         1), columns=list(stats.PAIR_COLUMNS))
            result = stats.change_tests(pair, min_base=self.settings.min_test_base, alpha=self.settings.alpha)
            test[rows] = result.test.to_numpy()
            columns[change_column(earlier, later, "test")] = test
            families.append(pd.DataFrame({"row": rows, "earlier": earlier, "later": later, "base_a": pair.base_a,
                                          "base_b": pair.base_b, **result.drop(columns="test")}))
        tests = pd.concat(families, ignore_index=True).astype(model.TEST_TYPES) if families else model.no_tests()
        return columns, tests

    @staticmethod
    def _change_pair(cells: _Cells, base_row: np.ndarray, a: int, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Change and test columns from wave a to wave b, suppressed with either count (tests still to
        fill), and the rows compared: those with no suppressed count."""
        hidden = (cells.n_suppressed >= 0) | (cells.base_suppressed >= 0)
        cut = ~base_row & (hidden[:, a] | hidden[:, b])
        rows = np.flatnonzero(~base_row & ~cut & ~cells.absent[:, a] & ~cells.absent[:, b])
        change = np.where(cut, SUPPRESSED, None)
        both = rows[(cells.base[rows, a] > 0) & (cells.base[rows, b] > 0)]
        change[both] = np.round(cells.pct[both, b] - cells.pct[both, a], 1).astype(object)
        return change, np.where(cut, SUPPRESSED, None), rows

    def _notes(self, rows: _Rows, cells: _Cells, bases: np.ndarray, tests: pd.DataFrame | None) -> tuple[str, ...]:
        settings = self.settings
        notes = []
        small = self._small_bases(rows, cells, bases)
        if len(small):
            notes.append(f"Small bases (under {settings.small_base} interviews; read percentages as indicative): "
                         + "; ".join(small) + ".")
        notes.append(disclosure_note(settings))
        if len(self.waves) > 1:
            notes.append(self._change_note(tests))
        notes.append(f"{100 * (1 - settings.alpha):g}% CI: Wilson score interval for the proportion.")
        if settings.quantifiers:
            notes.extend(scale_sentences())
        return tuple(notes)

    def _change_note(self, tests: pd.DataFrame | None) -> str:
        """What the change columns compare and, where they are tested (`tests`; None for the stakeholder
        mix), the test and its families: each compared pair's tests in this table, counted."""
        settings = self.settings
        pairs = model.compared_pairs(tuple(self.labels[w] for w in self.waves))
        change = ("Change: percentage points (later % minus earlier %) for " + " and for ".join(
            f"{a} → {b}" for a, b in pairs) + "; other differences between waves are not shown as changes.")
        if tests is None:
            return (change + " The mix is not tested: it is the sample's design (who was interviewed), not an "
                    "outcome. Its change is shown because comparisons of All between waves of different mixes "
                    "compare different groups.")
        test = (" Test: Fisher's exact test (two-sided) of the two proportions, only where both bases are at least "
                f"{settings.min_test_base} (otherwise 'not tested (base n)', with the smaller base)")
        if not tests.tested.any():
            return change + test + ": no change in this table reaches that, so none is tested."
        counts = tests.groupby(["earlier", "later"], sort=False).tested.sum()
        counted = [(a, b, int(counts.get((a, b), 0))) for a, b in pairs]
        families = " and ".join(f"over the {n} test{'s' * (n != 1)} of this table for {a} → {b}"
                                for a, b, n in counted if n)
        families += ", each its own family" if sum(n > 0 for _, _, n in counted) > 1 else ""
        untested = [f"{a} → {b}" for a, b, n in counted if not n]
        families += f" (none is tested for {' or '.join(untested)})" if untested else ""
        small = tests.tested & (tests[["base_a", "base_b"]].min(axis=1) < settings.small_base)
        return (change + test + f"; p-values adjusted by Holm's method {families}; 'up' or 'down' only when the "
                f"adjusted p is below {settings.alpha:g}. 'No significant change' is not evidence of no change"
                + (f": at bases under {settings.small_base} only large changes can be detected." if small.any() else "."))

    def _small_bases(self, rows: _Rows, cells: _Cells, bases: np.ndarray) -> np.ndarray:
        """"wave, group: base" (as released) for each base row and wave under the small base, in table order."""
        who = rows.labels.iloc[:, 0].to_numpy(dtype=object)[rows.base_row]
        who = np.where(who == BASE_ALL, "all interviews", who)
        waves = np.array([self.labels[wave] for wave in self.waves], dtype=object)
        texts = stats.join_text(waves, ", ", who[:, None], ": ", bases[rows.base_row])
        return texts[cells.base[rows.base_row] < self.settings.small_base]


def disclosure_note(settings: ReleaseSettings) -> str:
    """The disclosure rule, stated once (never per cell: a cell's reason bounds it for a reader)."""
    small = (f" Answer counts of 1 to {settings.min_cell - 1} are withheld too." if settings.min_cell > 1 else "")
    return (f"Disclosure control: the bases and the stakeholder mix are published as they are. A group of fewer than "
            f"{settings.min_group} interviews in a wave shows no answers (its cells are empty; it is merged into "
            f"'Other ...' where it can be). No group of fewer than {settings.min_unanimous_group} interviews is shown "
            f"answering unanimously.{small} Cells marked {SUPPRESSED} are withheld so that none can be worked out "
            "from anything the release shows; the %, interval, words, change and test of a withheld count go with "
            "it. A withheld count can be any number, zero included.")


def _mix_notes(settings: ReleaseSettings, organisations: pd.DataFrame) -> tuple[str, ...]:
    """The mix's notes, with why organisations are not named, from how many interviews each gave in a wave."""
    notes = ("Each column is the interviews of one wave; the categories of each dimension add up to its base.",)
    taking_part, single, several, fewest, most = (int(value) for value in organisations.fillna(0).iloc[0])
    if settings.organisations or not taking_part:
        return notes
    counted = "counting each organisation once in every wave it took part in"
    many = f"{fewest} interviews" if fewest == most else f"{fewest} to {most} interviews"
    if not single:
        return notes + (f"Organisations are not named, since the release does not identify the organisations taking "
                        f"part; {counted}, all {several} had several interviews ({many}).",)
    whole = f"all {single}" if single == taking_part else f"{single} of {taking_part}"
    rest = f"; the other {several} had {many}" if several else ""
    return notes + (f"Organisations are not named: {counted}, {whole} took part with a single interview, whose "
                    f"name would identify the interviewee{rest}.",)


def _duration_notes(durations: pd.DataFrame) -> tuple[str, ...]:
    """'Interview length: Wave 2 20 to 45 minutes, median 30.', one sentence for every wave."""
    if durations.empty:
        return ()
    parts = [f"{label} {low:g} to {high:g} minutes, median {median:g}"
             for label, low, median, high in zip(durations.label, durations["min"], durations["median"],
                                                 durations["max"])]
    return ("Interview length: " + "; ".join(parts) + ".",)


def _small_wave_notes(mix: pd.DataFrame, labels: dict, settings: ReleaseSettings) -> tuple[str, ...]:
    waves = mix.drop_duplicates("wave_id")
    small = waves[(waves.base > 0) & (waves.base < settings.min_group)]
    return tuple(f"{labels[wave]}: no answers are shown, since the wave has {base} interview{'s' * (base != 1)}, "
                 f"fewer than {settings.min_group}." for wave, base in zip(small.wave_id, small.base))


def _held_notes(held: pd.DataFrame, labels: dict, settings: ReleaseSettings) -> tuple[str, ...]:
    """Per wave, whose answers wait for more interviews, and why."""
    notes = []
    for wave, part in held.groupby("wave_id", sort=False):
        groups = joined([("all interviews" if group == "All" else group) for group in part.stakeholder_group])
        notes.append(f"{labels[wave]}: the answers of {groups} are held back: fewer than {settings.min_group} "
                     "interviews have come in since they were last published, and the difference between the two "
                     f"releases would be those interviews' answers; they are shown once {settings.min_group} have.")
    return tuple(notes)


def _merge_notes(merges: pd.DataFrame, labels: dict, settings: ReleaseSettings) -> tuple[str, ...]:
    """Per wave, which small groups are shown together as 'Other ...', or that the split shows no answers."""
    notes = []
    for wave, part in merges.groupby("wave_id", sort=False):
        members = joined([f"{group} ({base} interview{'s' * (base != 1)})" for group, base in zip(part.grp, part.base)])
        target = part.merged_into.iloc[0]
        if isinstance(target, str):
            notes.append(f"{labels[wave]}: {members} are shown together as '{target}', since each has fewer than "
                         f"{settings.min_group} interviews.")
        else:
            notes.append(f"{labels[wave]}: no answers are shown by this split: {members} have fewer than "
                         f"{settings.min_group} interviews even together, and the other groups' answers with All's "
                         "would give theirs.")
    return tuple(notes)


def _coded_notes(mention: bool) -> tuple[str, ...]:
    notes = ("Counts are interviews (an interview counts once per code, however often it raised it), out of the "
             "interviews of the group in that wave.",)
    if mention:
        notes += ("An interview can raise several codes, so percentages can add up to more than 100%.",)
    else:
        notes += ("The levels of a code, with 'not coded', add up to the base.",)
    return notes
