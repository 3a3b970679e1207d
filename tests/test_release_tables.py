"""Release tables: cell values, tests and notes checked against numbers worked out by hand.

p-values were computed once with scipy.stats.fisher_exact in a REPL and are
written here as numbers; the code under test never supplies an expectation.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from support import CODEBOOK, HEADERS, run_pipeline, write_csv
from wavecompare.release import counts, display, hypergeometric, stats, tables
from wavecompare.release.changes import largest_changes, whole_changes, whole_percents
from wavecompare.release.model import SUPPRESSED, Wave, compared_pairs
from wavecompare.release.quantifiers import words
from wavecompare.release.settings import ReleaseSettings
from wavecompare.release.tables import build_tables

W1, W2 = "Wave 1 (June-July 2012)", "Wave 2 (October-November 2013)"
ID1, ID2 = "2012", "2013"


@pytest.fixture(scope="session")
def example(example_published):
    with duckdb.connect(str(example_published / "warehouse.duckdb"), read_only=True) as con:
        return {table.name: table for table in build_tables(con).tables}


def row(table, **keys) -> int:
    """The one answer row (not a base) whose keys (group, code_id, label, level) are these."""
    mask = ~table.rows.is_base
    for column, value in keys.items():
        mask &= table.rows[column] == value
    [index] = table.rows.row[mask]
    return int(index)


def value(table, at: int, wave: str) -> pd.Series:
    """The table's values (n, base, pct, ci_low, ci_high, withheld) of a row in a wave (by id)."""
    [index] = table.values.index[(table.values.row == at) & (table.values.wave_id == wave)]
    return table.values.loc[index]


def change(table, at: int, earlier: str = ID1, later: str = ID2) -> pd.Series:
    [index] = table.changes.index[(table.changes.row == at) & (table.changes.earlier == earlier)
                                  & (table.changes.later == later)]
    return table.changes.loc[index]


def test_each_equation_counts_each_of_its_parts_once(example_published):
    """All's levels are one cell in both splits (by stakeholder group and by service area); a net's equation
    once listed each of them twice, so the protection's equations contradicted the true counts."""
    with duckdb.connect(str(example_published / "warehouse.duckdb"), read_only=True) as con:
        counts.group_merges(con, min_group=3)
        mix = tables._keyed_mix(counts.mix(con, organisations=False))
        coded = tables._keyed_coded(counts.coded(con, min_group=3))
    equations = tables._equations(mix, coded)
    nets = [e for e in equations if e.total[0] == "code" and e.total[-1].startswith("net: ")]
    # per level code (4) and wave (2): the net of All, of 2 stakeholder groups and of 3 service areas (2012: adult
    # social care, children's, cross-cutting; 2013: children's, cross-cutting and 'Other service areas') is the
    # sum of its levels (6), and All's net the sum of each split's groups' nets (2)
    assert len(nets) == 4 * 2 * (6 + 2)
    assert [e for e in equations if len(set(e.parts)) != len(e.parts)] == []
    [theory] = [e for e in nets if e.total == ("code", "awareness", "2012", "All", "All", "aware_theory",
                                                "net: aware or very familiar") and e.parts[0][4] == "All"]
    assert [part[-1] for part in theory.parts] == ["aware", "very familiar"]


def test_table_names_in_report_order(example):
    assert list(example) == [
        "stakeholder_mix", "awareness", "confidence", "risk_mentions", "theme_benefit", "theme_improvement",
        "awareness_by_service_area", "confidence_by_service_area", "risk_mentions_by_service_area",
        "theme_benefit_by_service_area", "theme_improvement_by_service_area",
    ]


def test_awareness_cell_counts_lead(example):
    table = example["awareness"]
    assert table.waves == (Wave(ID1, W1), Wave(ID2, W2))
    cell = value(table, row(table, group="All", code_id="aware_theory", level="heard of it"), ID1)
    assert (cell.n, cell.base, cell.pct, cell.ci_low, cell.ci_high, cell.withheld) == (4, 10, 40.0, 16.8, 68.7, False)
    assert table.values.dtypes.astype(str).to_dict() == {
        "row": "int64", "wave_id": "object", "n": "Int64", "base": "Int64", "pct": "float64", "ci_low": "float64",
        "ci_high": "float64", "withheld": "bool"}


def test_base_rows_lead_each_group_block_all_first(example):
    rows = example["awareness"].rows
    bases = rows[rows.is_base]
    assert bases.group.tolist() == ["All", "Regulators, inspectorates and third sector", "Senior civil servants"]
    assert bases.row.tolist()[0] == 0 and bases.block.tolist() == [0, 1, 2]
    values = example["awareness"].values
    assert values[values.row.isin(bases.row) & (values.wave_id == ID1)].base.tolist() == [10, 4, 6]
    assert values[values.row.isin(bases.row) & (values.wave_id == ID2)].base.tolist() == [15, 10, 5]


def test_change_and_test_columns(example):
    table = example["risk_mentions"]
    at = row(table, group="All", code_id="risk_funding_commitment")
    test = change(table, at)
    # 0 of 10 against 4 of 15: Fisher p = 0.124506. The table tests its 6 rows of All (p = 0.110701, 0.124506,
    # 0.688, 1, 1, 1); Holm: 6 × 0.110701 = 0.664208, then max(0.664208, 5 × 0.124506 = 0.623) = 0.664208.
    assert test.change_pp == 26.7
    assert test.test == "no significant change, p = 0.12 (adjusted 0.66)"
    assert (test.base_a, test.base_b, test.tested) == (10, 15, True)
    assert (test.p, test.p_adjusted) == pytest.approx((0.124506, 0.664208), abs=1e-6)
    assert table.changes.tested.sum() == 6 and table.pairs == ((ID1, ID2),)
    assert ("Test: Fisher's exact, p adjusted by Holm's method over this table's 6 tests for "
            f"{W2} against {W1};") in " ".join(table.notes)
    awareness = example["awareness"]
    untested = change(awareness, row(awareness, group="Senior civil servants", code_id="aware_theory",
                                     level="not aware"))
    assert untested.test == "not tested (base 5)"
    assert not untested.tested and np.isnan(untested.p_adjusted)


def test_the_stakeholder_mix_shows_its_change_but_is_never_tested(example):
    """The mix is the sample's design: a p-value would treat who was interviewed as a chance outcome."""
    mix = example["stakeholder_mix"]
    at = row(mix, code_id="stakeholder_group", label="Regulators, inspectorates and third sector")
    assert change(mix, at).change_pp == 26.7  # 4 of 10 (40.0%) to 10 of 15 (66.7%)
    assert not mix.tested and not mix.changes.tested.any() and (mix.changes.test == "").all()
    assert "The mix is not tested: it is the sample's design (who was interviewed), not an outcome." in " ".join(mix.notes)


def test_tables_of_all_say_the_mix_changed(example):
    """Regulators were 4 of 10 interviews, then 10 of 15: a change in All can come from the mix alone."""
    note = (f"The mix of stakeholder groups changed from {W1} to {W2}: Regulators, inspectorates and third sector "
            "40% → 67%, Senior civil servants 60% → 33% of interviews. Comparisons of All reflect this change in mix "
            "as well as any change in views; compare within groups where their bases allow.")
    assert all(note in table.notes for name, table in example.items() if name != "stakeholder_mix")


def test_largest_changes_are_tested_ones_ranked_by_adjusted_p(example):
    """The largest difference of the example is the regulators' 'not confident' in practice, 3 of 4 then 1 of 10
    (-65 pp), on a base of 4: not tested, so it never leads; nor does any other untested difference.

    p-values from scipy.stats.fisher_exact: the net 'conditional or confident' 2/10 v 13/15 0.0024104; cautious
    6/10 v 2/15 0.028042. Holm over the confidence table's 12 tests (its 8 levels and 2 nets of All, and 'not
    coded' of each code): 12 × 0.0024104 = 0.029, 11 × 0.028042 = 0.31. The net is the one significant change of
    the study: the shift to conditional confidence the seed report describes."""
    changes = largest_changes(list(example.values()))
    assert [change.test.startswith("not tested") for change in changes] == [False] * 5
    assert [change.p_adjusted for change in changes] == sorted(change.p_adjusted for change in changes)
    assert [change.sentence for change in changes[:2]] == [
        "Confidence, All interviews · Confidence in the theory of sector-led improvement · Net: conditional or "
        f"confident: from 2 of 10 (20%) in {W1} to 13 of 15 (87%) in {W2}, +67 pp; test: up, p = 0.0024 (adjusted "
        "0.029).",
        "Confidence, All interviews · Confidence in the theory of sector-led improvement · Cautious: from 6 of 10 "
        f"(60%) in {W1} to 2 of 15 (13%) in {W2}, -47 pp; test: no significant change, p = 0.028 (adjusted 0.31).",
    ]


def test_the_example_report_lists_tested_changes_and_its_caveats(example_published):
    report = (example_published / "processed" / "current" / "release" / "report.md").read_text(encoding="utf-8")
    lines = report.splitlines()
    listed = lines[lines.index("## Largest changes") + 2:lines.index("## Charts") - 1]
    assert len(listed) == 5 and not any("not tested" in line for line in listed)
    caveats = lines[lines.index("## Caveats") + 2:]
    assert caveats[0] == ("- The samples are small: every compared base is under 30 interviews (the largest is 15), so "
                          "a difference of a few interviews moves a percentage by many points, and most real changes "
                          "will not reach significance.")
    assert any(line.startswith(f"- The mix of stakeholder groups changed from {W1} to {W2}: Regulators") for line in caveats)
    assert any(line.startswith("- Intervals and tests assume independent random samples.") for line in caveats)


def test_change_across_waves_goes_with_a_suppressed_count(example):
    # every one of the 15 mentioned a risk, so All's 'any risk' would show the 4 of 'Other service areas' (under
    # 5 interviews) all mentioning one: it is withheld, with what goes with it, and the model holds no count
    table = example["risk_mentions"]
    at = row(table, group="All", code_id="any:risk")
    cell = value(table, at, ID2)
    assert cell.withheld and pd.isna(cell.n) and np.isnan(cell.pct) and np.isnan(cell.ci_low) and cell.base == 15
    withheld = change(table, at)
    assert withheld.withheld and np.isnan(withheld.change_pp) and withheld.test == "" and not withheld.tested
    printed = display.frame(display.printed(table))
    line = printed[printed.Row == "Any of the risk mentions below"].iloc[0]
    assert (line[W2], line["Change (pp)"], line["Test"]) == (SUPPRESSED,) * 3


def test_notes_state_small_bases_and_tests(example):
    notes = " ".join(example["awareness"].notes)
    assert f"{W1}, all interviews: 10" in notes and f"{W2}, Senior civil servants: 5" in notes
    assert "Suppressed:" not in notes and "(primary:" not in notes and "(secondary:" not in notes
    assert "Fisher's exact" in notes and "Holm" in notes


def test_organisations_are_not_released_by_default(example):
    mix = example["stakeholder_mix"]
    assert "organisation" not in set(mix.rows.code_id)
    released = pd.concat([display.frame(display.printed(table)).astype(str) for table in example.values()]
                         + [table.rows.astype(str) for table in example.values()])
    for text in ("Ofsted", "DCLG", "W1-01", "W2-15"):
        assert not released.apply(lambda column: column.str.contains(text, regex=False)).any().any()


def test_stakeholder_mix_counts(example):
    mix = example["stakeholder_mix"]
    at = row(mix, code_id="stakeholder_group", label="Senior civil servants")
    assert (value(mix, at, ID1).n, value(mix, at, ID2).n) == (6, 5)
    # design facts are published as they are: the seed report itself says "2 face to face, 13 by telephone"
    modes = [row(mix, code_id="mode", label=mode) for mode in ("face_to_face", "telephone")]
    assert [value(mix, at, ID2).n for at in modes] == [2, 13]
    assert [value(mix, at, ID1).n for at in modes] == [4, 6]


def test_change_tests_against_scipy_values_stated_here():
    pairs = pd.DataFrame({"n_a": [2, 4, 0, 1], "base_a": [10, 10, 10, 4], "n_b": [10, 2, 10, 3], "base_b": [15, 15, 15, 15]})
    tests = stats.change_tests(pairs, min_base=10, alpha=0.05)
    # Fisher two-sided: 2/10 v 10/15 p = 0.04141; 4/10 v 2/15 p = 0.17530; 0/10 v 10/15 p = 0.000965.
    # Holm over 3: 0.000965 × 3 = 0.0029; 0.04141 × 2 = 0.083; 0.17530 × 1.
    assert tests.tested.tolist() == [True, True, True, False]
    assert tests.p.tolist()[:3] == pytest.approx([0.041405, 0.175296, 0.000965], abs=1e-6)
    assert tests.p_adjusted.tolist()[:3] == pytest.approx([0.082811, 0.175296, 0.002895], abs=1e-6)
    assert np.isnan(tests.p[3]) and np.isnan(tests.p_adjusted[3])
    assert tests.test.tolist() == [
        "no significant change, p = 0.041 (adjusted 0.083)",
        "no significant change, p = 0.18 (adjusted 0.18)",
        "up, p < 0.001 (adjusted 0.0029)",
        "not tested (base 4)",
    ]


@pytest.mark.e2e
def test_a_whole_group_answer_is_suppressed_but_a_whole_group_not_coded_is_shown(tmp_path):
    """Three charities all answered 'high' on `aware` (suppressed: it says what each of them
    said) and none was coded on `conf` (shown: the zeros of its levels say so already)."""
    study = tmp_path / "study"
    write_csv(study / "waves.csv", HEADERS["waves"], [["2022", "Wave C", "2022-03-01", "2022-03-31", 6]])
    write_csv(study / "codebook.csv", HEADERS["codebook"], CODEBOOK)
    groups = ["Council"] * 3 + ["Charity"] * 3
    write_csv(study / "2022" / "interviews.csv", HEADERS["interviews"],
              [[f"I{i}", "2022-03-02", group, "Local authority", f"Org {i}", "Phone", 30] for i, group in enumerate(groups)])
    write_csv(study / "2022" / "responses.csv", HEADERS["responses"],
              [[f"I{i}", "aware", "high", None] for i in range(6)]
              + [["I0", "conf", "yes", None], ["I1", "conf", "yes", None], ["I2", "conf", "no", None]])
    assert run_pipeline(study, tmp_path).is_completed()
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        tables = {table.name: table for table in build_tables(con).tables}
    awareness, confidence = tables["awareness"], tables["confidence"]
    assert value(awareness, row(awareness, group="Charity", code_id="aware", level="high"), "2022").withheld
    assert value(confidence, row(confidence, group="Charity", code_id="conf", level="not coded"), "2022").n == 3
    assert value(confidence, row(confidence, group="Charity", code_id="conf", level="yes"), "2022").n == 0


def test_fisher_on_arrays_states_these_p_values():
    # scipy.stats.fisher_exact, worked once in a REPL: 2/10 v 10/15 0.041405; 0/10 v 4/15 0.12451;
    # 5/10 v 5/10 1 (the observed table is the most probable); 0/0 v 3/5 1 (an empty margin);
    # 170/2259 v 1576/2794 about 1.5e-323 (far in the tail).
    p = stats.fisher_two_sided([2, 0, 5, 0, 170], [10, 10, 10, 0, 2259], [10, 4, 5, 3, 1576], [15, 15, 10, 5, 2794])
    assert p[:4] == pytest.approx([0.041405, 0.124506, 1.0, 1.0], abs=1e-6)
    assert 0 < p[4] < 1e-300


def test_fisher_on_arrays_agrees_with_scipy_table_by_table():
    """The array version gives SciPy's p for every table with bases up to 12 (every
    tie and one-tailed case there is) and for 2,000 drawn tables with bases up to 30,000,
    with ties made on purpose: to 1e-13 where p is above 1e-200, and to 2e-12 below (two
    of these tables, p about 1e-253 and 1e-271, differ from SciPy's by 1.08e-12)."""
    from scipy.stats import fisher_exact

    small = [(a, ba, b, bb) for ba in range(13) for bb in range(13) for a in range(ba + 1) for b in range(bb + 1)]
    rng = np.random.default_rng(7)
    bases = rng.integers(1, 30_000, size=(2_000, 2))
    drawn = [(rng.integers(0, ba + 1), ba, rng.integers(0, bb + 1), bb) for ba, bb in bases]
    same = [(n, base, n, base) for n, base, _, _ in drawn[:200]]  # ties across the mode
    # exact ties by symmetry in the far tail: equal bases (P(x) = P(d - x)), and half the
    # interviews mentioning (P(x) = P(k - x))
    equal_bases = [(a, ba, rng.integers(0, ba + 1), ba) for a, ba, _, _ in drawn[200:400]]
    half_drawn = [(a, ba, (ba + bb) // 2 - a, bb) for a, ba, _, bb in drawn[400:600]
                  if (ba + bb) % 2 == 0 and 0 <= (ba + bb) // 2 - a <= bb]
    assert len(half_drawn) > 10
    tables = small + drawn + same + equal_bases + half_drawn
    expected = [fisher_exact([[a, ba - a], [b, bb - b]]).pvalue for a, ba, b, bb in tables]
    p = stats.fisher_two_sided(*np.array(tables).T)
    large = np.array(expected) > 1e-200
    assert p[large] == pytest.approx(np.array(expected)[large], rel=1e-13)
    assert p == pytest.approx(expected, rel=2e-12, abs=1e-300)


def test_hypergeometric_tails_by_hand_and_against_scipy_at_tracker_bases():
    """12 drawn from 25 of which 10 are marked: P(X = 0) = C(15, 12) / C(25, 12) = 455 / 5,200,300, and
    P(X ≤ 1) adds 10·C(15, 11) / C(25, 12) = 13,650 / 5,200,300; nothing lies below 0 or above 10. At bases
    in the tens of thousands each side of the mode agrees with SciPy's exact CDF to 1e-13."""
    from scipy.stats import hypergeom

    assert hypergeometric.pmf([0], [25], [10], [12])[0] == pytest.approx(455 / 5_200_300, rel=1e-14)
    tails = hypergeometric.tail([1, -1, 11], [25] * 3, [10] * 3, [12] * 3, [True, True, False])
    assert tails.tolist() == [pytest.approx(14_105 / 5_200_300, rel=1e-14), 0.0, 0.0]
    rng = np.random.default_rng(11)
    base_a, base_b = rng.integers(5_000, 30_000, 500), rng.integers(5_000, 30_000, 500)
    m, k, d = base_a + base_b, base_a, rng.binomial(base_a + base_b, rng.uniform(0.01, 0.99, 500))
    mode = (d + 1) * (k + 1) // (m + 2)
    at = mode + rng.integers(-150, 150, 500)
    below = at < mode
    expected = np.where(below, hypergeom.cdf(at, m, k, d), hypergeom.sf(at - 1, m, k, d))
    assert hypergeometric.tail(at, m, k, d, below) == pytest.approx(expected, rel=1e-13)


def test_compared_pairs_are_latest_against_previous_and_first_against_latest():
    assert compared_pairs(("a",)) == ()
    assert compared_pairs(("a", "b")) == (("a", "b"),)
    assert compared_pairs(("a", "b", "c", "d")) == (("c", "d"), ("a", "d"))


def test_whole_percentages_round_half_up_from_the_counts():
    # 1 of 8 = 12.5% -> 13; 2 of 3 = 66.67% -> 67; 1 of 6 = 16.67% -> 17; 0 of 10 -> 0
    assert whole_percents([1, 2, 1, 0], [8, 3, 6, 10]).tolist() == [13, 67, 17, 0]
    # 6 of 10 to 5 of 15: -26.67 -> -27; 1 of 8 to 0 of 8: -12.5 -> -13 (half away from zero); 3 of 6 to 3 of 5: +10
    assert whole_changes([6, 1, 3], [10, 8, 6], [5, 0, 3], [15, 8, 5]).tolist() == [-27, -13, 10]


def test_holm_steps_down_and_adjusts_as_worked_by_hand():
    # smallest first: 0.005 × 4 = 0.02 ≤ 0.05 / 4 passes; 0.01 × 3 = 0.03, 0.01 ≤ 0.05 / 3 passes;
    # 0.03 × 2 = 0.06, 0.03 > 0.05 / 2 fails, so 0.04 is not rejected either and adjusts to max(0.06, 0.04)
    rejected, adjusted = stats.holm([0.01, 0.04, 0.03, 0.005], 0.05)
    assert rejected.tolist() == [True, False, False, True]
    assert adjusted == pytest.approx([0.03, 0.06, 0.06, 0.02], abs=1e-15)
    assert stats.holm([0.6, 0.9], 0.05)[1].tolist() == [1.0, 1.0]  # capped at 1


def test_holm_matches_statsmodels_bit_for_bit():
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(11)
    for size in (1, 2, 7, 300):
        p = np.concatenate([rng.uniform(0, 0.02, size), rng.choice([1e-12, 0.004, 0.5, 1.0], size)])
        expected_rejected, expected_adjusted, _, _ = multipletests(p, alpha=0.05, method="holm")
        rejected, adjusted = stats.holm(p, 0.05)
        assert rejected.tolist() == expected_rejected.tolist()
        assert adjusted.tolist() == expected_adjusted.tolist()


def test_wilson_interval_endpoints():
    low, high = stats.wilson_intervals([4], [10], 0.05)
    assert low[0] == pytest.approx(16.81803, abs=1e-4)
    assert high[0] == pytest.approx(68.73262, abs=1e-4)


@pytest.mark.parametrize(("n", "base", "expected"), [
    (0, 10, "none"), (1, 10, "a few"), (3, 20, "less than half"), (5, 10, "half"), (6, 10, "a majority"),
    (3, 4, "most"), (9, 10, "most"), (19, 20, "almost all"), (10, 10, "all"), (0, 0, None),
])
def test_quantifier_boundaries(n, base, expected):
    assert words([n], [base])[0] == expected


@pytest.mark.parametrize("bad", [{"min_cell": 0}, {"small_base": "30"}, {"alpha": 1.5}, {"quantifiers": "yes"}])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError, match="ReleaseSettings"):
        ReleaseSettings(**bad)


