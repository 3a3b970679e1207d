"""An attack on `release/published_cells.csv` with an integer program of its own, and the audit's refusals.

`attack` is written apart from the release's code (flows/wavecompare/release/disclosure.py): dense matrices,
scipy.optimize.linprog with inequality rows, one pair of programmes per withheld cell. It reads only the file and
uses every relation docs/threat-model.md says a reader can: levels with 'not coded' sum to the base; a level net is
the sum of its levels; an 'any' net lies between its largest member and their sum; a count is at most its base;
groups sum to All where their bases cover the wave.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from support import CODEBOOK, HEADERS, check, published, write_csv
from wavecompare.release import disclosure
from wavecompare.release.settings import ReleaseSettings

KEY = ["wave_id", "split", "group", "code_id", "level"]


def attack(cells: pd.DataFrame) -> dict[tuple, tuple[int, int]]:
    """(smallest, largest) whole value of every withheld cell, from the file's shown cells and the relations."""
    cells = cells.drop_duplicates(KEY).reset_index(drop=True)
    withheld = cells[cells.withheld].index.tolist()
    column = {cell: i for i, cell in enumerate(withheld)}
    key = {tuple(row): i for i, row in enumerate(cells[KEY].itertuples(index=False, name=None))}
    n = cells.n.tolist()
    equal, less = [], []  # rows (coefficients over withheld cells, constant): Σ a·x + c = 0, or ≤ 0

    def row(terms, into):
        coefficients, constant = np.zeros(len(withheld)), 0.0
        for cell, sign in terms:
            if cell in column:
                coefficients[column[cell]] += sign
            else:
                constant += sign * n[cell]
        if coefficients.any():
            into.append((coefficients, constant))

    def base(wave, split, group):
        return key.get((wave, split, group, "", "base"))

    answers = cells[cells.code_id != ""]
    for (wave, split, group, code), part in answers.groupby(["wave_id", "split", "group", "code_id"]):
        b = base(wave, split, group)
        for i in part.index:
            row([(i, 1), (b, -1)], less)
        plain = part[part.members == ""]
        if code.startswith("any:"):
            [(i, members)] = list(zip(part.index, part.members))
            found = [key[(wave, split, group, m, "mentioned")] for m in members.split("|")
                     if (wave, split, group, m, "mentioned") in key]
            for m in found:
                row([(m, 1), (i, -1)], less)
            row([(i, 1)] + [(m, -1) for m in found], less)
        elif "not coded" in set(part.level):
            row([(i, 1) for i in plain.index] + [(b, -1)], equal)
            for i, members in zip(part.index, part.members):
                if members:
                    row([(i, -1)] + [(key[(wave, split, group, code, lv)], 1) for lv in members.split("|")], equal)
    for (wave, split, code, level), part in answers[answers.split != "All"].groupby(
            ["wave_id", "split", "code_id", "level"]):
        total = key.get((wave, "All", "All", code, level))
        covered = sum(n[base(wave, split, group)] for group in part.group)
        if total is not None and covered == n[base(wave, "All", "All")]:
            row([(i, 1) for i in part.index] + [(total, -1)], equal)
    spans = {}
    for cell, i in column.items():
        objective = np.zeros(len(withheld))
        objective[i] = 1
        ends = []
        for sense in (1, -1):
            result = linprog(sense * objective, method="highs", integrality=np.ones(len(withheld)), bounds=(0, None),
                             A_eq=np.array([c for c, _ in equal]) if equal else None,
                             b_eq=np.array([-k for _, k in equal]) if equal else None,
                             A_ub=np.array([c for c, _ in less]) if less else None,
                             b_ub=np.array([-k for _, k in less]) if less else None)
            assert result.status == 0, f"the file's cells contradict the relations at {cells.loc[cell, KEY].tolist()}"
            ends.append(round(sense * result.fun))
        spans[tuple(cells.loc[cell, KEY])] = tuple(ends)
    return spans


def cells_frame(rows: list[tuple]) -> pd.DataFrame:
    """published_cells rows (table, wave, split, group, code, level, members, n or None, withheld)."""
    frame = pd.DataFrame(rows, columns=list(disclosure.CELL_COLUMNS))
    return frame.assign(n=frame.n.astype("Int64"))


def base_rows(wave: str, bases: dict[str, int]) -> list[tuple]:
    rows = [("t", wave, "All", "All", "", "base", "", sum(bases.values()), False)]
    return rows + [("t", wave, "stakeholder_group", g, "", "base", "", b, False) for g, b in bases.items()]


def level_rows(wave: str, group: str, counts: dict[str, int | None]) -> list[tuple]:
    split = "All" if group == "All" else "stakeholder_group"
    return [("t", wave, split, group, "aware", level, "", n, n is None) for level, n in counts.items()]


def rules_broken(cells: pd.DataFrame, previous: pd.DataFrame | None = None, **settings) -> list[str]:
    return [finding.rule for finding in disclosure.audit(cells, ReleaseSettings(**settings), previous)]


def test_the_attack_pins_what_the_totals_give_away():
    """The attack itself can fail: 'high' of a group of 6 withheld alone is 6 − 2 − 1."""
    cells = cells_frame(base_rows("w", {"A": 6, "B": 6})
                        + level_rows("w", "A", {"low": 2, "high": None, "not coded": 1}))
    assert attack(cells) == {("w", "stakeholder_group", "A", "aware", "high"): (3, 3)}


def test_the_audit_refuses_a_withheld_count_the_totals_pin():
    cells = cells_frame(base_rows("w", {"A": 6, "B": 6})
                        + level_rows("w", "A", {"low": 2, "high": None, "not coded": 1}))
    assert rules_broken(cells) == ["a withheld count the shown counts pin to one value"]


def test_the_audit_refuses_a_count_pinned_by_an_any_mention_net():
    """Two risks of a group of 6: any = 4 shown, risk_a = 4 shown, risk_b withheld. risk_b ≤ any = 4 is all the
    net says, so nothing is pinned; with any = 6 = base and risk_a = 0, risk_b must be 6."""
    def rows(any_n, a_n):
        return cells_frame(base_rows("w", {"A": 6, "B": 6}) + [
            ("t", "w", "stakeholder_group", "A", "any:risk", "mentioned", "risk_a|risk_b", any_n, False),
            ("t", "w", "stakeholder_group", "A", "risk_a", "mentioned", "", a_n, False),
            ("t", "w", "stakeholder_group", "A", "risk_b", "mentioned", "", None, True)])
    assert rules_broken(rows(4, 4)) == []
    assert rules_broken(rows(6, 0)) == ["a withheld count the shown counts pin to one value"]
    assert attack(rows(6, 0)) == {("w", "stakeholder_group", "A", "risk_b", "mentioned"): (6, 6)}


def test_the_audit_refuses_a_small_group_shown_unanimous():
    cells = cells_frame(base_rows("w", {"A": 4, "B": 6})
                        + level_rows("w", "A", {"low": 0, "high": 4, "not coded": 0}))
    assert rules_broken(cells) == ["a group of fewer than 5 interviews shown answering unanimously"]
    assert rules_broken(cells, min_unanimous_group=4) == []


def test_the_audit_refuses_any_answer_of_a_group_under_k_even_withheld():
    cells = cells_frame(base_rows("w", {"A": 2, "B": 6})
                        + level_rows("w", "A", {"low": None, "high": None, "not coded": 0}))
    assert rules_broken(cells) == ["answers of a group of fewer than 3 interviews (or of unknown size)"] * 3


def test_the_audit_refuses_two_releases_of_a_wave_one_interview_apart():
    """Wave w had 9 interviews of group A and now has 10: the two releases' counts of A differ by that one
    interview's answers."""
    before = cells_frame(base_rows("w", {"A": 9, "B": 6}) + level_rows("w", "A", {"low": 4, "high": 5, "not coded": 0}))
    after = cells_frame(base_rows("w", {"A": 10, "B": 6}) + level_rows("w", "A", {"low": 4, "high": 6, "not coded": 0}))
    broken = rules_broken(after, before)
    assert len(broken) == 3 and all(rule.startswith("differencing: this group changed by fewer than 3") for rule in broken)
    assert rules_broken(after, after) == []  # an unchanged wave compares with itself safely


def test_the_audit_refuses_a_count_that_grew_by_every_interview_added():
    """Group A grew from 9 to 12 interviews (3, at least k but under g) and 'high' from 5 to 8: the three new
    interviewees all answered 'high'."""
    before = cells_frame(base_rows("w", {"A": 9, "B": 6}) + level_rows("w", "A", {"low": 4, "high": 5, "not coded": 0}))
    after = cells_frame(base_rows("w", {"A": 12, "B": 6}) + level_rows("w", "A", {"low": 4, "high": 8, "not coded": 0}))
    [finding] = disclosure.audit(after, ReleaseSettings(), before)
    assert finding.where == "w, stakeholder_group A, aware high"
    assert finding.rule == ("differencing: the interviews added since the previous release (fewer than 5) all gave "
                            "this answer")
    assert rules_broken(after, before, min_unanimous_group=3) == []


def test_the_audit_refuses_counts_two_releases_pin_together():
    """Group A grew from 9 to 12 interviews, all three new ones 'not coded'. Alone, the new release's withheld low
    and high only sum to 9; with the old release's 4 and 5, and each count grown by 0 to 3, both are pinned."""
    before = cells_frame(base_rows("w", {"A": 9, "B": 6}) + level_rows("w", "A", {"low": 4, "high": 5, "not coded": 0}))
    after = cells_frame(base_rows("w", {"A": 12, "B": 6})
                        + level_rows("w", "A", {"low": None, "high": None, "not coded": 3}))
    assert rules_broken(after) == []
    assert rules_broken(after, before) == [
        "differencing: with the previous release, a withheld count the shown counts pin to one value"] * 2


def test_min_cell_refuses_a_withheld_count_known_to_lie_in_one_to_n_minus_one():
    """risk_b withheld, risk_a = 1 and any = 2 shown: any ≤ risk_a + risk_b gives risk_b ≥ 1, any ≥ risk_b gives
    risk_b ≤ 2. Not pinned (1 or 2), but with --min-cell 3 a reader knows it is a small count."""
    cells = cells_frame(base_rows("w", {"A": 6, "B": 6}) + [
        ("t", "w", "stakeholder_group", "A", "any:risk", "mentioned", "risk_a|risk_b", 2, False),
        ("t", "w", "stakeholder_group", "A", "risk_a", "mentioned", "", 1, False),
        ("t", "w", "stakeholder_group", "A", "risk_b", "mentioned", "", None, True)])
    assert attack(cells) == {("w", "stakeholder_group", "A", "risk_b", "mentioned"): (1, 2)}
    assert rules_broken(cells) == []
    assert rules_broken(cells, min_cell=3) == ["a withheld count shown to lie between 1 and 2"]


@pytest.mark.e2e
def test_nothing_in_the_example_release_can_be_worked_out(work):
    cells = pd.read_csv(published(work, "release/published_cells.csv"), dtype=str, keep_default_na=False)
    cells = cells.assign(n=pd.to_numeric(cells.n.replace("", None)).astype("Int64"), withheld=cells.withheld == "true")
    assert set(pd.read_csv(published(work, "release/published_cells.csv")).withheld) == {True, False}
    spans = attack(cells)
    assert spans, "the example study must withhold something"
    assert {cell: span for cell, span in spans.items() if span[0] == span[1]} == {}


def five_waves(study) -> None:
    """Five waves of 12 interviews: groups of 6, 3, 2 and 1 (the last two merge into 'Other stakeholder
    groups'), answers drawn with a fixed seed."""
    rng = np.random.default_rng(15)
    groups = ["Council"] * 6 + ["Charity"] * 3 + ["Trust"] * 2 + ["Union"]
    waves = [[str(2020 + w), f"Wave {w + 1}", f"{2020 + w}-03-01", f"{2020 + w}-03-31", 12] for w in range(5)]
    write_csv(study / "waves.csv", HEADERS["waves"], waves)
    write_csv(study / "codebook.csv", HEADERS["codebook"], CODEBOOK)
    for wave_id, *_ in waves:
        ids = [f"{wave_id}-{i:02d}" for i in range(len(groups))]
        write_csv(study / wave_id / "interviews.csv", HEADERS["interviews"],
                  [[i, f"{wave_id}-03-02", g, "Local authority", f"Org {i}", "Phone", 30] for i, g in zip(ids, groups)])
        responses = [[i, "aware", ("low", "high")[rng.integers(2)], None] for i in ids if rng.random() < 0.9]
        responses += [[i, "conf", ("no", "yes")[rng.integers(2)], None] for i in ids if rng.random() < 0.8]
        responses += [[i, code, None, None] for i in ids for code in ("risk_a", "risk_b", "benefit_x")
                      if rng.random() < 0.4]
        write_csv(study / wave_id / "responses.csv", HEADERS["responses"], responses)


def test_a_five_wave_study_with_groups_of_one_two_and_three_passes_the_audit_and_the_attack(tmp_path):
    import duckdb

    from wavecompare.release.tables import build_tables

    five_waves(tmp_path / "study")
    [line] = check(tmp_path / "study", tmp_path)  # no problem, only the reconciliation
    assert line.startswith("Rows read = loaded + quarantined: all 12 file(s)") and line.endswith(" + 0.")
    with duckdb.connect(str(tmp_path / "check.duckdb")) as con:
        cells = build_tables(con).cells
    groups = set(cells.group[cells.code_id != ""])
    assert groups == {"All", "Council", "Charity", "Other stakeholder groups"}  # Trust (2) and Union (1) merged
    assert disclosure.audit(cells, ReleaseSettings()) == []
    spans = attack(cells)
    assert {cell: span for cell, span in spans.items() if span[0] == span[1]} == {}


def add_interviews(study, rows: list[tuple[str, str, str, str]]) -> None:
    """Interviews of 2013 (id, group, service area, aware_theory level), each mentioning one risk; waves.csv
    plans them."""
    import re

    interviews = study / "2013" / "interviews.csv"
    with interviews.open("a", encoding="utf-8") as handle:
        handle.writelines(f"{i},2013-11-29,{group},Government department,DfE,Telephone,30,{area}\n"
                          for i, group, area, _ in rows)
    with (study / "2013" / "responses.csv").open("a", encoding="utf-8") as handle:
        handle.writelines(f"{i},aware_theory,{level},\n{i},risk_transparency,,\n" for i, _, _, level in rows)
    planned = len(interviews.read_text(encoding="utf-8").splitlines()) - 1
    waves = (study / "waves.csv").read_text(encoding="utf-8")
    (study / "waves.csv").write_text(re.sub(r"(2013-11-29,)\d+", rf"\g<1>{planned}", waves), encoding="utf-8")


def answered(work) -> set[tuple[str, str, str]]:
    cells = pd.read_csv(published(work, "release/published_cells.csv"), dtype=str, keep_default_na=False)
    answers = cells[cells.code_id != ""]
    return set(zip(answers.wave_id, answers.split, answers.group))


@pytest.mark.e2e
def test_answers_wait_until_k_interviews_have_come_in_since_they_were_published(work):
    """A scheduled run after a 16th interview of 2013 (a civil servant, cross-cutting): this release less the
    last would be that interview's answers, so the answers of 2013's All, civil servants and cross-cutting
    wait, with a note; the regulators, unchanged, stay. Two more interviews later (3 since), they are back."""
    from support import run

    study = work / "study"
    add_interviews(study, [("W2-16", "Senior civil servants", "Cross-cutting", "aware")])
    status, out, err = run(work)
    assert status == 0, out + err
    waiting = {("2013", "All", "All"), ("2013", "stakeholder_group", "Senior civil servants"),
               ("2013", "service_area", "Cross-cutting")}
    shown = answered(work)
    assert not waiting & shown
    assert ("2013", "stakeholder_group", "Regulators, inspectorates and third sector") in shown
    report = published(work, "release/report.md").read_text(encoding="utf-8")
    assert ("Wave 2 (October-November 2013): the answers of all interviews and Senior civil servants are held "
            "back: fewer than 3 interviews have come in since they were last published") in report
    kept = pd.read_csv(published(work, "disclosure_baseline.csv"), dtype=str, keep_default_na=False)
    assert kept[(kept.wave_id == "2013") & (kept.split == "All") & (kept.level == "base")].n.unique().tolist() == ["15"]
    add_interviews(study, [("W2-17", "Senior civil servants", "Cross-cutting", "heard of it"),
                           ("W2-18", "Senior civil servants", "Cross-cutting", "very familiar")])
    status, out, err = run(work)
    assert status == 0, out + err
    assert waiting <= answered(work)


@pytest.mark.e2e
def test_published_cells_hold_every_count_the_tables_show(work):
    """Each table CSV's counts, read back: a number is that cell of published_cells.csv, a withheld one is
    withheld there, and an empty answer (a group under k) is no cell of the release at all."""
    folder = published(work, "release")
    cells = pd.read_csv(folder / "published_cells.csv", dtype=str, keep_default_na=False)
    table_cells = {(r.table, r.wave_id, r.group, r.code_id, r.level): r.n if r.withheld == "false" else "[c]"
                   for r in cells.itertuples()}
    checked = 0
    for path in folder.glob("*.csv"):
        if path.stem in ("published_cells", "quote_bank", "stakeholder_mix", "changes"):
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for row in frame[frame.is_base == "false"].itertuples(index=False):
            key = (path.stem, row.wave_id, row.group, row.code_id, row.level or "mentioned")
            assert table_cells.get(key, "") == ("[c]" if row.withheld == "true" else row.n), key
            checked += 1
    assert checked > 600


@pytest.mark.e2e
def test_the_headline_nets_of_all_are_published_in_both_waves(work):
    """Aware or very familiar, and conditional or confident, of the theory and of practice: the seed report's
    findings, some of them 2 of 10, shown as they are."""
    cells = pd.read_csv(published(work, "release/published_cells.csv"), dtype=str, keep_default_na=False)
    nets = cells[(cells.table.isin(["awareness", "confidence"])) & (cells.group == "All")
                 & cells.level.str.startswith("net: ")]
    assert sorted(zip(nets.code_id, nets.wave_id, nets.n, nets.withheld)) == [
        ("aware_practice", "2012", "2", "false"), ("aware_practice", "2013", "7", "false"),
        ("aware_theory", "2012", "5", "false"), ("aware_theory", "2013", "13", "false"),
        ("conf_practice", "2012", "0", "false"), ("conf_practice", "2013", "5", "false"),
        ("conf_theory", "2012", "2", "false"), ("conf_theory", "2013", "13", "false"),
    ]


def one_wave(study, councils: list[str]) -> None:
    """One wave: councils with the given 'aware' levels, and six charities (three low, three high)."""
    write_csv(study / "waves.csv", HEADERS["waves"], [["2024", "Wave 1", "2024-03-01", "2024-03-31", None]])
    write_csv(study / "codebook.csv", HEADERS["codebook"], CODEBOOK[:1])
    levels = councils + ["low"] * 3 + ["high"] * 3
    groups = ["Council"] * len(councils) + ["Charity"] * 6
    write_csv(study / "2024" / "interviews.csv", HEADERS["interviews"],
              [[f"I{i}", "2024-03-02", g, "Local authority", f"Org {i}", "Phone", 30] for i, g in enumerate(groups)])
    write_csv(study / "2024" / "responses.csv", HEADERS["responses"],
              [[f"I{i}", "aware", level, None] for i, level in enumerate(levels)])


def test_three_new_interviews_that_all_answered_alike_are_withheld_not_published(tmp_path):
    """A release of 9 councils (4 low, 5 high), then one after 3 more councils, all 'high': the councils' and
    All's 'high' would each grow by exactly the 3 added, so the second release withholds them (and what
    protects them) and passes the audit against the first."""
    import duckdb

    from wavecompare.release.tables import build_tables

    releases = []
    for name, councils in (("first", ["low"] * 4 + ["high"] * 5), ("second", ["low"] * 4 + ["high"] * 8)):
        one_wave(tmp_path / name / "study", councils)
        check(tmp_path / name / "study", tmp_path / name)
        with duckdb.connect(str(tmp_path / name / "check.duckdb")) as con:
            releases.append(build_tables(con, previous=releases[0] if releases else None).cells)
    first, second = releases
    assert not first.withheld.any()
    withheld = second[second.withheld & (second.table == "awareness")]
    assert {("Council", "high"), ("All", "high")} <= set(zip(withheld.group, withheld.level))
    assert disclosure.audit(second, ReleaseSettings(), first) == []
    assert {cell: span for cell, span in attack(second).items() if span[0] == span[1]} == {}


def test_an_audit_kept_between_rounds_finds_what_each_rounds_file_would():
    """Protection builds the audit once from every count shown and audits each round's withheld answers: a round
    gives the findings of the file that round would write, and never reads a withheld count."""
    shown = cells_frame(base_rows("w", {"A": 6, "B": 6}) + level_rows("w", "A", {"low": 2, "high": 3, "not coded": 1}))
    rounds = disclosure.Audit(shown, ReleaseSettings())
    high, low = ("w", "stakeholder_group", "A", "aware", "high"), ("w", "stakeholder_group", "A", "aware", "low")
    [pinned] = rounds.findings([high])
    assert (pinned.rule, pinned.cell) == ("a withheld count the shown counts pin to one value", high)
    assert pinned.related == (low, ("w", "stakeholder_group", "A", "aware", "not coded"))
    assert rounds.findings([high, low]) == []
    assert rounds.findings([]) == []
    alone = cells_frame(base_rows("w", {"A": 6, "B": 6}) + level_rows("w", "A", {"low": 2, "high": None,
                                                                                 "not coded": 1}))
    assert disclosure.audit(alone, ReleaseSettings()) == [pinned]


def test_the_cells_file_reads_back_as_written(tmp_path):
    """published_cells.csv is written by DuckDB: UTF-8 with a byte-order mark, CRLF, text a spreadsheet would run
    neutralised, an empty text and a withheld count as empty fields; the audit reads the same cells back."""
    from wavecompare.release.csvfiles import write_cells_file

    cells = cells_frame([("t", "w", "All", "All", "", "base", "", 6, False),
                         ("t", "w", "All", "All", "=cmd", "a, b", "x|y", None, True)])
    path = write_cells_file(cells, tmp_path / "published_cells.csv")
    assert path.read_bytes() == ("\ufefftable,wave_id,split,group,code_id,level,members,n,withheld\r\n"
                                 "t,w,All,All,,base,,6,false\r\n"
                                 "t,w,All,All,'=cmd,\"a, b\",x|y,,true\r\n").encode()
    back = disclosure.read_cells(path)
    assert back.code_id.tolist() == ["", "'=cmd"] and back.n.tolist() == [6, pd.NA]
    assert back.withheld.tolist() == [False, True]


def every_interview_mentions_a_risk(study) -> None:
    """One wave of 18 in which everyone mentions a risk, so All's 'any risk' is its base: councils (5) all
    mention risk_a, charities (3) and trusts (4) mention one risk or the other, unions (6) split 3 and 3."""
    write_csv(study / "waves.csv", HEADERS["waves"], [["2024", "Wave 1", "2024-03-01", "2024-03-31", None]])
    write_csv(study / "codebook.csv", HEADERS["codebook"], CODEBOOK)
    people = ([("Council", "risk_a")] * 3 + [("Council", "risk_a|risk_b")] * 2
              + [("Charity", "risk_a"), ("Charity", "risk_b"), ("Charity", "risk_b")]
              + [("Trust", "risk_a")] + [("Trust", "risk_b")] * 3
              + [("Union", "risk_a")] * 3 + [("Union", "risk_b")] * 3)
    write_csv(study / "2024" / "interviews.csv", HEADERS["interviews"],
              [[f"I{i}", "2024-03-02", g, "Local authority", f"Org {i}", "Phone", 30] for i, (g, _) in enumerate(people)])
    write_csv(study / "2024" / "responses.csv", HEADERS["responses"],
              [[f"I{i}", code, None, None] for i, (_, codes) in enumerate(people) for code in codes.split("|")])


def test_a_wave_that_all_mentions_a_risk_withholds_all_s_net_not_the_nets_its_members_pin(tmp_path):
    """All's 'any risk' of 18 of 18 says every group mentioned one, so the charities' and trusts' unanimous nets
    need All's withheld. The councils' net (5 of 5) is pinned by their risk_a (5 of 5), and the unions' by the
    groups' sum: withholding either protects nothing, so both are shown (the 20-wave benchmark study was refused
    when the release instead withheld member after member beside them)."""
    import duckdb

    from wavecompare.release.tables import build_tables

    every_interview_mentions_a_risk(tmp_path / "study")
    [line] = check(tmp_path / "study", tmp_path)
    assert line.endswith(" + 0.")
    with duckdb.connect(str(tmp_path / "check.duckdb")) as con:
        cells = build_tables(con).cells
    withheld = cells[cells.withheld].drop_duplicates(KEY)
    assert sorted(zip(withheld.group, withheld.code_id)) == [("All", "any:risk"), ("Charity", "any:risk"),
                                                             ("Trust", "any:risk")]
    shown = cells[cells.code_id.isin(["any:risk", "risk_a", "risk_b"]) & ~cells.withheld
                  & cells.group.isin(["Council", "Union"])].drop_duplicates(KEY)
    assert sorted(zip(shown.group, shown.code_id, shown.n)) == [
        ("Council", "any:risk", 5), ("Council", "risk_a", 5), ("Council", "risk_b", 2),
        ("Union", "any:risk", 6), ("Union", "risk_a", 3), ("Union", "risk_b", 3)]
    assert disclosure.audit(cells, ReleaseSettings()) == []
    assert {cell: span for cell, span in attack(cells).items() if span[0] == span[1]} == {}
