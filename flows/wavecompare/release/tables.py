"""The release tables, built from the warehouse (`build_tables`) as the typed model (`model.ReleaseTable`).

The long counts come from `sql/release/` (see `counts`); here every released
cell gets a key, the additive equations a reader can use are stated once for
all tables together (tables share cells: 'All' appears in both group splits,
group bases are categories of the stakeholder mix), what is withheld is decided
on that whole system and audited (`protection`), and only then each table's
rows, values (a withheld count left out) and tested changes are made, with its
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
from wavecompare.release.cells import join_text
from wavecompare.release.changes import mix_shift_notes
from wavecompare.release.model import SUPPRESSED, ReleaseTable
from wavecompare.release.settings import ReleaseSettings

FIRST_TABLES = ("awareness", "confidence", "risk_mentions")
TITLES = {"awareness": "Awareness", "confidence": "Confidence", "risk_mentions": "Risk mentions"}
SPLIT_TABLES = {"stakeholder_group": ("", ""), "service_area": ("_by_service_area", " by service area")}
"""Per split: table-name suffix and title suffix."""


@dataclass(frozen=True)
class _Rows:
    """A table's rows in print order and the long counts behind them.

    `lines`: the printed rows (model.ROW_TYPES); `base_row`: which printed rows are base rows (as an array);
    `source`: the group of `records` each printed row shows (a base row, its block's first); `records`: the
    counts (wave_id, n, base, pct, n_key, base_key), `row` numbering the groups."""

    lines: pd.DataFrame
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
    builder = _Builder(tuple(model.Wave(w, label) for w, label in labels.items()), hidden.withheld, settings)
    mix_notes = _mix_notes(settings, counts.organisations(con)) + _duration_notes(counts.durations(con))
    tables = [builder.table("stakeholder_mix", "Stakeholder mix", _mix_rows(mix), mix_notes, tested=False)]
    shift = mix_shift_notes(tables[0])
    for split, (name_suffix, title_suffix) in SPLIT_TABLES.items():
        part = coded[coded.split == split]
        for table_name in _table_names(part):
            rows = part[part.table_name == table_name]
            notes = (_coded_notes(rows.kind.eq("mention").all()) + shift + _small_wave_notes(mix, labels, settings)
                     + _not_coded_notes(waves)
                     + _merge_notes(merges[merges.split == split], labels, settings)
                     + _held_notes(held[held.scope.isin(["All", split])], labels, settings))
            tables.append(builder.table(table_name + name_suffix, _title(table_name) + title_suffix,
                                        _coded_rows(rows), notes))
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
    equations: list[suppress.Equation] = []
    coded = coded[coded.n.notna()]

    def add(totals, parts) -> None:
        equations.extend(suppress.Equation(total, members) for total, members in zip(totals, parts)
                         if members and isinstance(total, tuple))  # a total the release shows (All can be held back)

    firsts, parts = _groups(mix, ["wave_id", "dimension"])
    add([("base", wave) for wave in firsts.wave_id], parts)
    net = (coded.kind == "level") & coded.members.notna()
    # All's levels and nets are one cell in both splits (their keys name no split): each once, from the first
    levels = coded[(coded.kind == "level") & (coded.level != "") & ~net].drop_duplicates("n_key")
    firsts, parts = _groups(levels, ["table_name", "split", "stakeholder_group", "wave_id", "code_id"])
    add(firsts.base_key, parts)
    whole = coded.stakeholder_group == "All"
    by_count = ["table_name", "split", "wave_id", "code_id", "level"]
    firsts, parts = _groups(coded, by_count, coded[~whole])
    totals = firsts[by_count].merge(coded.loc[whole, [*by_count, "n_key"]].drop_duplicates(by_count), how="left")
    add(totals.n_key, parts)
    nets = coded[net].assign(level=coded.members[net].str.split("|")).explode("level")
    line = ["table_name", "split", "stakeholder_group", "wave_id", "code_id", "level"]
    parts = nets[[*line, "n_key"]].merge(coded[[*line, "n_key"]], on=line, suffixes=("", "_part")).drop_duplicates(
        ["n_key", "n_key_part"])
    firsts, members = _groups(parts, ["n_key"], key="n_key_part")
    add(firsts.n_key, members)
    return equations


def _groups(frame: pd.DataFrame, columns: list[str], members: pd.DataFrame | None = None, key: str = "n_key"):
    """The groups of `frame` by `columns` in order of first appearance: the first
    row of each, and the `key`s of `members` (default: the frame) in each, in frame order."""
    ids = frame.groupby(columns, sort=False).ngroup()
    members = frame if members is None else members
    member_ids = ids[members.index].to_numpy()
    order = np.argsort(member_ids, kind="stable")
    bounds = np.searchsorted(member_ids[order], np.arange(1, ids.max() + 1 if len(ids) else 0))
    keys = members[key].to_numpy()[order]
    firsts = frame.loc[~ids.duplicated()].reset_index(drop=True)
    return firsts, [tuple(part) for part in np.split(keys, bounds)]


def _rows(frame: pd.DataFrame, keys: dict[str, str]) -> _Rows:
    """Rows in print order (model.ROW_TYPES, from the frame's `keys` columns: row key → column), with a base
    row wherever a new group's block starts.

    Records are grouped by their keys in order of first appearance (missing keys together, as pandas'
    groupby(sort=False, dropna=False) does); a row reads its first record's keys, as text."""
    row = frame.groupby(list(keys.values()), sort=False, dropna=False).ngroup().to_numpy()
    first = frame.iloc[np.unique(row, return_index=True)[1]].reset_index(drop=True)
    lines = pd.DataFrame({key: first[column].to_numpy(dtype=object).astype(str).astype(object)
                          for key, column in keys.items()})
    lines["is_net"] = first.members.notna().to_numpy() if "members" in first else False
    starts = np.flatnonzero(lines.group.ne(lines.group.shift()))
    bases = lines.iloc[starts].assign(code_id="", label="", level="", is_net=False)
    printed = np.argsort(np.concatenate([2 * starts, 2 * np.arange(len(first)) + 1]))
    base_row = printed < len(starts)
    rows = pd.concat([bases, lines]).iloc[printed].reset_index(drop=True)
    rows = rows.assign(row=np.arange(len(rows)), block=np.cumsum(base_row) - 1, is_base=base_row)
    return _Rows(model.typed(rows, model.ROW_TYPES), base_row,
                 np.concatenate([starts, np.arange(len(first))])[printed], frame.assign(row=row))


def _mix_rows(mix: pd.DataFrame) -> _Rows:
    return _rows(mix.assign(group="All", level=""),
                 {"group": "group", "code_id": "dimension", "label": "category", "level": "level"})


def _coded_rows(coded: pd.DataFrame) -> _Rows:
    coded = coded.sort_values(["group_order", "code_order", "level_order", "wave_order"], na_position="last")
    coded = coded.assign(row_level=coded.level.where(coded.kind != "mention", ""))
    return _rows(coded, {"group": "stakeholder_group", "code_id": "code_id", "label": "code_label",
                         "level": "row_level"})


class _Builder:
    """Lays out rows as a typed ReleaseTable, with what is withheld, tests and notes, a whole column at a time."""

    def __init__(self, waves: tuple[model.Wave, ...], hidden: set, settings: ReleaseSettings):
        self.waves, self.settings = waves, settings
        self.labels = {w.wave_id: w.label for w in waves}
        # which cells are withheld, never why: a per-cell reason ("a count of 1 to 2") bounds the cell for a reader
        self.suppressed = pd.Index(list(hidden), dtype=object, tupleize_cols=False)

    def table(self, name: str, title: str, rows: _Rows, notes: tuple[str, ...], tested: bool = True) -> ReleaseTable:
        cells = self._cells(rows)
        values = self._values(rows, cells)
        changes = self._changes(rows, cells, tested)
        return ReleaseTable(name, title, self.waves, rows.lines, values, changes,
                            notes + self._notes(rows, cells, changes if tested else None), tested, self.settings.alpha,
                            self.settings.quantifiers)

    def _cells(self, rows: _Rows) -> _Cells:
        """Each printed row's counts per wave, from its group's records (one per wave, else an error)."""
        records, width = rows.records, len(self.waves)
        wave = records.wave_id.map({w.wave_id: i for i, w in enumerate(self.waves)}).to_numpy()
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

    def _values(self, rows: _Rows, cells: _Cells) -> pd.DataFrame:
        """model.VALUE_TYPES: each printed row's count, base, % and interval per wave; NA where withheld (the
        model never holds a withheld count) or not published, and the % and interval where the base is 0."""
        withheld = (cells.n_suppressed >= 0) | (cells.base_suppressed >= 0)
        shown = ~withheld & ~cells.absent
        rated = shown & (cells.base > 0) & ~rows.base_row[:, None]
        low, high = np.full(cells.n.shape, np.nan), np.full(cells.n.shape, np.nan)
        low[rated], high[rated] = stats.wilson_intervals(cells.n[rated], cells.base[rated], self.settings.alpha)
        width = len(self.waves)
        values = pd.DataFrame({
            "row": np.repeat(np.arange(len(cells.n)), width),
            "wave_id": np.tile(np.array([w.wave_id for w in self.waves], dtype=object), len(cells.n)),
            "n": pd.array(np.where(shown, cells.n, 0).ravel(), dtype="Int64"),
            "base": pd.array(cells.base.ravel(), dtype="Int64"),
            "pct": np.where(rated, cells.pct, np.nan).ravel(),
            "ci_low": np.round(low, 1).ravel(), "ci_high": np.round(high, 1).ravel(),
            "withheld": (withheld & ~rows.base_row[:, None]).ravel()})
        values.loc[~shown.ravel(), "n"] = pd.NA
        values.loc[(cells.base_suppressed >= 0).ravel(), "base"] = pd.NA
        return model.typed(values, model.VALUE_TYPES)

    def _changes(self, rows: _Rows, cells: _Cells, tested: bool) -> pd.DataFrame:
        """model.CHANGE_TYPES for each compared pair of waves (`compared_pairs`): each pair's tests are one
        family for Holm's correction, since they answer different questions (what changed lately, what changed
        since the start)."""
        hidden = (cells.n_suppressed >= 0) | (cells.base_suppressed >= 0)
        answers = np.flatnonzero(~rows.base_row)
        families = []
        for a, b in model.compared_pairs(tuple(range(len(self.waves)))):
            cut = hidden[answers, a] | hidden[answers, b]
            compared = answers[~cut & ~cells.absent[answers, a] & ~cells.absent[answers, b]]
            rated = compared[(cells.base[compared, a] > 0) & (cells.base[compared, b] > 0)]
            pair = pd.DataFrame({"row": answers, "earlier": self.waves[a].wave_id, "later": self.waves[b].wave_id,
                                 "withheld": cut, "base_a": cells.base[answers, a], "base_b": cells.base[answers, b],
                                 "change_pp": np.nan, "tested": False, "p": np.nan, "p_adjusted": np.nan,
                                 "test": ""}).set_index("row", drop=False)
            pair.loc[rated, "change_pp"] = np.round(cells.pct[rated, b] - cells.pct[rated, a], 1)
            if tested and len(compared):
                counts = pd.DataFrame(np.stack([cells.n[compared, a], cells.base[compared, a], cells.n[compared, b],
                                                cells.base[compared, b]], 1), columns=list(stats.PAIR_COLUMNS))
                result = stats.change_tests(counts, min_base=self.settings.min_test_base, alpha=self.settings.alpha)
                pair.loc[compared, ["test", "tested", "p", "p_adjusted"]] = result.to_numpy(dtype=object)
            families.append(pair.reset_index(drop=True))
        frame = pd.concat(families, ignore_index=True) if families else pd.DataFrame()
        return model.typed(frame, model.CHANGE_TYPES)

    def _notes(self, rows: _Rows, cells: _Cells, changes: pd.DataFrame | None) -> tuple[str, ...]:
        notes = []
        small = self._small_bases(rows, cells)
        if len(small):
            notes.append(f"Small bases (under {self.settings.small_base} interviews; read percentages as "
                         "indicative): " + "; ".join(small) + ".")
        if len(self.waves) > 1:
            notes.append(self._change_note(changes))
        return tuple(notes)

    def _change_note(self, changes: pd.DataFrame | None) -> str:
        """What the change columns compare and, where they are tested (None for the stakeholder mix), the
        families of Holm's correction: each compared pair's tests in this table, counted."""
        pairs = model.compared_pairs(tuple(w.label for w in self.waves))
        named = ("since previous: ", "since first: ") if len(pairs) > 1 else ("",)
        change = "Change (percentage points) " + "; ".join(f"{name}{b} against {a}" for name, (a, b) in
                                                          zip(named, pairs)) + "."
        if changes is None:
            return (change + " The mix is not tested: it is the sample's design (who was interviewed), not an "
                    "outcome. Its change is shown because comparisons of All between waves of different mixes "
                    "compare different groups.")
        counts = changes.groupby(["earlier", "later"], sort=False).tested.sum()
        counted = [(self.labels[a], self.labels[b], int(counts.get((a, b), 0)))
                   for a, b in model.compared_pairs(tuple(w.wave_id for w in self.waves))]
        if not any(n for _, _, n in counted):
            return (change + f" No change in this table has both bases of at least {self.settings.min_test_base}, "
                    "so none is tested.")
        families = " and ".join(f"{n} test{'s' * (n != 1)} for {b} against {a}" for a, b, n in counted if n)
        return (change + f" Test: Fisher's exact, p adjusted by Holm's method over this table's {families}"
                + (", each its own family" if sum(n > 0 for _, _, n in counted) > 1 else "")
                + f"; n.s.: no significant change (not evidence of no change); not tested: a base under "
                f"{self.settings.min_test_base}.")

    def _small_bases(self, rows: _Rows, cells: _Cells) -> np.ndarray:
        """"wave, group: base" (as released) for each base row and wave under the small base, in table order."""
        who = rows.lines.group.to_numpy(dtype=object)[rows.base_row]
        who = np.where(who == "All", "all interviews", who)
        labels = np.array([w.label for w in self.waves], dtype=object)
        bases = cells.base[rows.base_row]
        texts = join_text(labels, ", ", who[:, None], ": ", bases)
        return texts[bases < self.settings.small_base]


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


def _not_coded_notes(waves: pd.DataFrame) -> tuple[str, ...]:
    """Per wave, the interviews its interviews file marks as not coded: in every base, with no answer."""
    marked = waves[waves.not_coded > 0]
    return tuple(f"{label}: {n} of the {total} interviews {'were' if n != 1 else 'was'} not coded (marked so in the "
                 "interviews file); they count in the bases and give no answer, so they lower every percentage."
                 for label, n, total in zip(marked.label, marked.not_coded, marked.interviews))


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
