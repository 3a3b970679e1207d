"""Which release counts are withheld: the rules of docs/threat-model.md, applied and then audited.

By design first: the design facts (the stakeholder mix and every base) are
published as they are and never withheld; groups under `min_group` publish no
answers at all (merged or left out by sql/release/group_merges.sql before this
runs). Then by cells: an answer a group under `min_unanimous_group` gave
unanimously (everyone at one level, or everyone mentioning a code; 'not coded'
excepted), and with `min_cell` N > 1 every answer count of 1..N−1, is withheld,
with the secondary cells `suppress.protect` adds so that no withheld cell can be
worked out from the additive totals.

The result is then written as the published cells (`published_cells.csv`) and
audited from that alone (`disclosure.audit`), with every relation a reader can
use, inequalities and the previous release included. A secondary cell the
audit finds pinned is shown from then on (a reader works it out anyway), and
any other finding withholds one more shown cell beside the cell it names; the
whole is protected again, until the audit passes; if it cannot, the release is
refused with the cells named.
The system of equations and the audit are built once (`suppress.Suppression`,
`disclosure.Audit`) and each round withholds and audits in them; the round that
passes is audited once more from its published cells alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wavecompare.problems import Problem

from . import disclosure, suppress
from .model import NOT_CODED
from .refusal import ReleaseRefused
from .settings import ReleaseSettings

CELLS_FILE = "release/published_cells.csv"
MAX_ROUNDS = 20
SPLIT_TABLE_SUFFIX = {"stakeholder_group": "", "service_area": "_by_service_area"}
RULE = ("the release would disclose interviewees' answers and no further withholding or merging protects it "
        "(docs/threat-model.md)")


@dataclass(frozen=True)
class Protection:
    withheld: set
    cells: pd.DataFrame


def protect(mix: pd.DataFrame, coded: pd.DataFrame, equations: list[suppress.Equation], settings: ReleaseSettings,
            previous: pd.DataFrame | None) -> Protection:
    """The withheld cells (keys) and the published cells frame, audited."""
    shown = coded[coded.n.notna()]
    values = _values(mix, shown)
    shown_before, withheld_before = _as_before(shown, previous)
    fixed = {*mix.n_key, *mix.base_key, *coded.base_key, *shown_before}
    primary = _unsafe(shown, settings) | withheld_before
    unsafe, worked_out = primary, set()
    suppression = suppress.Suppression(values, equations, fixed)
    every = _every_count(mix, coded)
    auditor = disclosure.Audit(every, settings, previous)
    identities = _identities(shown)
    cell_of = dict(zip(shown.n_key, identities))
    counts = dict(zip(identities, zip(shown.n_key, shown.n.astype(int))))
    for _ in range(MAX_ROUNDS):
        try:
            withheld = suppression.protect(unsafe)
        except suppress.Unprotectable as stuck:
            raise ReleaseRefused([Problem(CELLS_FILE, "a withheld count every cell that could protect is a design "
                                          "fact or withheld already", "n", 1, ((None, str(stuck.args[0])),))], RULE)
        findings = auditor.findings([cell_of[key] for key in withheld])
        if not findings:  # confirmed on the cells as published, from them alone
            cells = _withhold(every, shown.n_key, withheld)
            findings = disclosure.audit(cells, settings, previous)
            if not findings:
                return Protection(withheld, cells)
        refused = {_key(counts, f) for f in findings if not f.pinned} - withheld - {None}
        primary = primary | refused  # a rule refuses them as shown: unsafe in themselves from now on
        newly = _worked_out(counts, withheld - primary, findings)
        if newly or worked_out & refused:  # shown from now on, the cells they protected protected by others
            worked_out = (worked_out | newly) - refused
            unsafe = unsafe - worked_out
            suppression = suppress.Suppression(values, equations, fixed | worked_out)
            findings = [f for f in findings if _key(counts, f) not in newly]
        beside = _beside(counts, withheld | fixed | worked_out, findings)
        final = [f for f in findings if not f.related]  # no further withholding helps these
        if final or (findings and not beside):
            raise _refused(final or findings)
        unsafe = unsafe | beside
    raise _refused(findings)


def _worked_out(counts: dict, secondary: set, findings: list[disclosure.Finding]) -> set:
    """The secondary cells (withheld only to protect others) a reader works out exactly: withholding them
    protects nothing, and showing one tells a reader nothing the release does not (the relations give one
    value only), so they are shown. Withholding more cells beside them would not help either: a net pinned by
    a member that reaches its base stays pinned however many of its other members are withheld."""
    return {key for key in (_key(counts, f) for f in findings if f.pinned) if key in secondary}


def _key(counts: dict, finding: disclosure.Finding):
    """The key of the answer a finding names, or None for a cell of the previous release."""
    return counts.get(finding.cell, (None,))[0]


HELD_COLUMNS = ["wave_id", "scope", "stakeholder_group", "base", "base_before"]


def held_back(coded: pd.DataFrame, previous: pd.DataFrame | None, settings: ReleaseSettings) -> pd.DataFrame:
    """The groups (and whole waves, as 'All') whose answers wait: published before, and changed since by fewer
    than min_group interviews, so that this release's counts less the last ones would be those interviews'
    answers. Their answers are shown again once min_group interviews have come in (`baseline` keeps the counts
    they are compared with until then)."""
    if previous is None:
        return pd.DataFrame(columns=HELD_COLUMNS)
    before = disclosure.read_frame(previous)
    old_base = _bases_of(before)
    answered = set(zip(*(before.loc[before.code_id != "", column] for column in ("wave_id", "split", "group"))))
    groups = coded[coded.n.notna()].drop_duplicates(["wave_id", "scope", "stakeholder_group"])
    keys = list(zip(groups.wave_id, groups.scope, groups.stakeholder_group))
    groups = groups.assign(base_before=[old_base.get(key) for key in keys], answered=[key in answered for key in keys])
    growth = (groups.base - groups.base_before.astype(float)).abs()
    held = groups[groups.answered & (growth > 0) & (growth < settings.min_group)]
    return held[HELD_COLUMNS].reset_index(drop=True)


def baseline(cells: pd.DataFrame, previous: pd.DataFrame | None, held: pd.DataFrame) -> pd.DataFrame:
    """The cells the next release is compared with: this release's, but for a held-back group its cells as
    they were last published (its base then, and its answers), so that interviews that come in one by one are
    counted from there."""
    if held.empty:
        return cells
    before = disclosure.read_frame(previous)
    waiting = set(zip(held.wave_id, held.scope, held.stakeholder_group))

    def of_held(frame: pd.DataFrame) -> pd.Series:
        return pd.Series([key in waiting for key in zip(frame.wave_id, frame.split, frame.group)], index=frame.index)

    carried = before[of_held(before)].astype({"withheld": bool})
    return pd.concat([cells[~of_held(cells)], carried], ignore_index=True)[list(disclosure.CELL_COLUMNS)]


def _bases_of(cells: pd.DataFrame) -> dict:
    """(wave_id, split, group) → base, from a published cells frame."""
    bases = cells[(cells.code_id == "") & (cells.level == "base")]
    return dict(zip(zip(bases.wave_id, bases.split, bases.group), bases.n))


def _identities(shown: pd.DataFrame) -> list[tuple]:
    """Each answer's cell as published_cells.csv names it: (wave_id, split, group, code_id, level)."""
    level = shown.level.where(shown.level != "", "mentioned")
    return list(zip(*(column.tolist() for column in (shown.wave_id, shown.scope, shown.stakeholder_group,
                                                     shown.code_id, level))))


def _as_before(shown: pd.DataFrame, previous: pd.DataFrame | None) -> tuple[set, set]:
    """The answers of groups unchanged since the previous release that it showed, and those it withheld: they
    are shown and withheld as then. Withholding a count shown then protects nothing (the old file pins it), and
    showing one withheld then would undo what protected the old release's other cells."""
    if previous is None:
        return set(), set()
    before = disclosure.read_frame(previous)
    old_base = _bases_of(before)
    answers = before[before.code_id != ""]
    status = dict(zip(answers[disclosure.IDENTITY].itertuples(index=False, name=None), answers.withheld))
    unchanged = [(key, status.get(cell)) for key, cell, base in zip(shown.n_key, _identities(shown), shown.base)
                 if old_base.get(cell[:3]) == base]
    return ({key for key, withheld in unchanged if withheld is False},
            {key for key, withheld in unchanged if withheld is True})


def _refused(findings: list[disclosure.Finding]) -> ReleaseRefused:
    """One problem per broken rule, naming its cells (the first few)."""
    rules = dict.fromkeys(f.rule for f in findings)
    problems = []
    for rule in rules:
        cells = [f for f in findings if f.rule == rule]
        problems.append(Problem(CELLS_FILE, rule, "n", len(cells), tuple((None, f.where) for f in cells[:5])))
    return ReleaseRefused(problems, RULE)


def _values(mix: pd.DataFrame, shown: pd.DataFrame) -> dict:
    values = dict(zip(mix.n_key, mix.n.astype(int)))
    values.update(zip(mix.base_key, mix.base.astype(int)))
    values.update(zip(shown.n_key, shown.n.astype(int)))
    for key, base in zip(shown.base_key, shown.base.astype(int)):
        if values.setdefault(key, base) != base:
            raise ValueError(f"the warehouse is inconsistent: base {key} is {base} in a theme, {values[key]} in the mix")
    return values


def _unsafe(shown: pd.DataFrame, settings: ReleaseSettings) -> set:
    """Answer counts unsafe in themselves: a small group's unanimous answer, and small counts if asked."""
    answer = shown.level != NOT_CODED
    n, base = shown.n.astype(int), shown.base.astype(int)
    unanimous = answer & (base < settings.min_unanimous_group) & (n == base) & (n > 0)
    small = (n > 0) & (n < settings.min_cell)
    return set(shown.n_key[unanimous | small])


def _beside(counts: dict, taken: set, findings: list[disclosure.Finding]) -> set:
    """For each pinned cell, one more shown answer (not in `taken`: withheld, or fixed) from the relations that
    pin it: the same count of another
    group first (an 'any' net is pinned through its split's total, and its members' counts barely move it),
    then a group's before All's (a headline), a non-zero count before a zero (which cannot go down), the
    smallest first. `counts` maps each answer's cell (as `_identities` names it) to its key and count."""
    chosen: set = set()
    for finding in findings:
        if chosen.intersection(counts[cell][0] for cell in finding.related if cell in counts):
            continue  # a cell chosen for another finding of this round is in its relations already
        candidates = [((cell[3], cell[4]) != (finding.code_id, finding.level), cell[1] == "All", n == 0, n, i, key)
                      for i, cell in enumerate(dict.fromkeys(finding.related)) if cell in counts
                      for key, n in [counts[cell]] if key not in taken and key not in chosen]
        if candidates:
            chosen.add(min(candidates)[-1])
    return chosen


def _withhold(cells: pd.DataFrame, keys: pd.Series, withheld: set) -> pd.DataFrame:
    """`cells` (every count shown, the answers last, those of `keys`) with the answers of `withheld` withheld."""
    mask = np.zeros(len(cells), dtype=bool)
    mask[len(cells) - len(keys):] = keys.isin(withheld).to_numpy()
    return cells.assign(n=cells.n.mask(mask), withheld=mask)


def _every_count(mix: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """Every count the release shows or withholds, one row per table it appears in (disclosure.CELL_COLUMNS):
    the mix's categories and the wave bases, each coded table's group bases, and its answers, last (an answer a
    small group does not publish is not a cell of the release). All shown: built once, each round withholds
    answers in it (`_withhold`)."""
    mix_rows = pd.DataFrame({
        "table": "stakeholder_mix", "wave_id": mix.wave_id, "split": mix.dimension, "group": mix.category,
        "code_id": "", "level": "base", "members": "", "n": mix.n.astype("Int64"), "withheld": False})
    wave_bases = mix.drop_duplicates("wave_id")
    wave_rows = pd.DataFrame({
        "table": "stakeholder_mix", "wave_id": wave_bases.wave_id, "split": "All", "group": "All", "code_id": "",
        "level": "base", "members": "", "n": wave_bases.base.astype("Int64"), "withheld": False})
    table = coded.table_name + coded.split.map(SPLIT_TABLE_SUFFIX)
    level = coded.level.where(coded.level != "", "mentioned")
    answers = coded.n.notna()
    answer_rows = pd.DataFrame({
        "table": table, "wave_id": coded.wave_id, "split": coded.scope, "group": coded.stakeholder_group,
        "code_id": coded.code_id, "level": level, "members": coded.members.fillna(""),
        "n": coded.n.astype("Int64"), "withheld": False})[answers]
    base_rows = pd.DataFrame({
        "table": table, "wave_id": coded.wave_id, "split": coded.scope, "group": coded.stakeholder_group,
        "code_id": "", "level": "base", "members": "", "n": coded.base.astype("Int64"), "withheld": False,
    }).drop_duplicates()
    frame = pd.concat([wave_rows, mix_rows, base_rows, answer_rows], ignore_index=True)
    return frame[list(disclosure.CELL_COLUMNS)]
