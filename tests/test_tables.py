"""The comparison tables of a three-wave study, counted by hand (see support.py)."""

from __future__ import annotations

from decimal import Decimal as D

import duckdb
import pytest

from support import query
from wavecompare.release import display
from wavecompare.release.tables import build_tables


@pytest.fixture
def work(tiny_published):
    """The tiny study as published once per session (read only here)."""
    return tiny_published


def test_waves_follow_fieldwork_order_and_ids_stay_text(work):
    rows = query(work, "SELECT wave_id, n, base FROM marts.stakeholder_mix WHERE category = 'Council'")
    assert rows == [("2020", 2, 3), ("2021", 2, 2), ("2022", 2, 4)]


def test_stakeholder_groups_line_up_even_when_absent_from_a_wave(work):
    rows = query(
        work,
        "SELECT wave_id, category, n, base, pct FROM marts.stakeholder_mix WHERE dimension = 'stakeholder_group'",
    )
    assert rows == [
        ("2020", "Charity", 1, 3, D("33.3")),
        ("2020", "Council", 2, 3, D("66.7")),
        ("2021", "Charity", 0, 2, D("0.0")),
        ("2021", "Council", 2, 2, D("100.0")),
        ("2022", "Charity", 2, 4, D("50.0")),
        ("2022", "Council", 2, 4, D("50.0")),
    ]


def test_modes_are_normalised_through_the_synonym_list(work):
    rows = query(work, "SELECT wave_id, category, n FROM marts.stakeholder_mix WHERE dimension = 'mode' AND n > 0")
    assert rows == [
        ("2020", "face_to_face", 1),
        ("2020", "telephone", 1),
        ("2020", "video", 1),
        ("2021", "telephone", 1),
        ("2021", "video", 1),
        ("2022", "face_to_face", 1),
        ("2022", "other", 1),
        ("2022", "telephone", 2),
    ]


def test_dimensions_without_service_area_column(work):
    rows = query(work, "SELECT DISTINCT dimension FROM marts.stakeholder_mix ORDER BY dimension")
    assert rows == [("mode",), ("organisation",), ("organisation_type",), ("stakeholder_group",)]


def test_interview_duration(work):
    assert query(work, "SELECT * FROM marts.interview_duration") == [
        ("2020", 3, 30.0, 40.0, 50.0),
        ("2021", 2, 20.0, 22.5, 25.0),
        ("2022", 4, 15.0, 40.0, 60.0),
    ]


def test_awareness_levels_sum_to_base_with_not_coded(work):
    rows = query(
        work,
        "SELECT wave_id, level, n, base, pct FROM marts.awareness WHERE stakeholder_group = 'All' AND code_id = 'aware'",
    )
    assert rows == [
        ("2020", "low", 1, 3, D("33.3")),
        ("2020", "high", 2, 3, D("66.7")),
        ("2020", "not coded", 0, 3, D("0.0")),
        ("2021", "low", 1, 2, D("50.0")),
        ("2021", "high", 0, 2, D("0.0")),
        ("2021", "not coded", 1, 2, D("50.0")),
        ("2022", "low", 1, 4, D("25.0")),
        ("2022", "high", 2, 4, D("50.0")),
        ("2022", "not coded", 1, 4, D("25.0")),
    ]


def test_awareness_for_a_group_absent_from_a_wave_has_empty_pct(work):
    rows = query(
        work,
        "SELECT wave_id, level, n, base, pct FROM marts.awareness WHERE stakeholder_group = 'Charity'",
    )
    assert rows == [
        ("2020", "low", 0, 1, D("0.0")),
        ("2020", "high", 1, 1, D("100.0")),
        ("2020", "not coded", 0, 1, D("0.0")),
        ("2021", "low", 0, 0, None),
        ("2021", "high", 0, 0, None),
        ("2021", "not coded", 0, 0, None),
        ("2022", "low", 0, 2, D("0.0")),
        ("2022", "high", 1, 2, D("50.0")),
        ("2022", "not coded", 1, 2, D("50.0")),
    ]


def test_confidence_table_holds_only_confidence_codes(work):
    rows = query(work, "SELECT wave_id, level, n FROM marts.confidence WHERE stakeholder_group = 'All'")
    assert rows == [
        ("2020", "no", 0),
        ("2020", "yes", 1),
        ("2020", "not coded", 2),
        ("2021", "no", 0),
        ("2021", "yes", 0),
        ("2021", "not coded", 2),
        ("2022", "no", 1),
        ("2022", "yes", 0),
        ("2022", "not coded", 3),
    ]


def test_risk_mentions_count_interviews_not_segments(work):
    rows = query(
        work,
        "SELECT wave_id, stakeholder_group, code_id, n, base, pct FROM marts.risk_mentions "
        "WHERE code_id = 'risk_a'",
    )
    assert rows == [
        ("2020", "All", "risk_a", 2, 3, D("66.7")),
        ("2020", "Charity", "risk_a", 1, 1, D("100.0")),
        ("2020", "Council", "risk_a", 1, 2, D("50.0")),
        ("2021", "All", "risk_a", 1, 2, D("50.0")),
        ("2021", "Charity", "risk_a", 0, 0, None),
        ("2021", "Council", "risk_a", 1, 2, D("50.0")),
        ("2022", "All", "risk_a", 1, 4, D("25.0")),
        ("2022", "Charity", "risk_a", 1, 2, D("50.0")),
        ("2022", "Council", "risk_a", 0, 2, D("0.0")),
    ]


def test_every_risk_code_appears_in_every_wave(work):
    rows = query(
        work,
        "SELECT wave_id, code_id, n FROM marts.risk_mentions WHERE stakeholder_group = 'All' AND code_id = 'risk_b'",
    )
    assert rows == [("2020", "risk_b", 1), ("2021", "risk_b", 0), ("2022", "risk_b", 2)]


def test_other_themes_are_kept_for_later_tables(work):
    rows = query(work, "SELECT wave_id, n FROM marts.code_levels WHERE code_id = 'benefit_x' AND stakeholder_group = 'All'")
    assert rows == [("2020", 1), ("2021", 0), ("2022", 0)]
    assert query(work, "SELECT count(*) FROM marts.awareness WHERE code_id = 'benefit_x'") == [(0,)]


def test_published_csv_matches_the_mart(work):
    text = (work / "processed" / "current" / "risk_mentions.csv").read_text(encoding="utf-8").splitlines()
    assert text[0] == "wave_id,stakeholder_group,code_id,n,base,pct,code_label"
    assert text[1] == "2020,All,risk_a,2,3,66.7,Risk A"
    assert "2021,Charity,risk_a,0,0,,Risk A" in text
    assert len(text) == 1 + 3 * 3 * 2


def test_raw_rows_carry_lineage(work):
    rows = query(
        work,
        "SELECT source_file, source_row, length(source_sha256), run_id IS NOT NULL, loaded_at IS NOT NULL "
        "FROM raw.responses WHERE interview_id = 'A2' ORDER BY source_row",
    )
    assert rows == [("2020/responses.csv", 6, 64, True, True), ("2020/responses.csv", 7, 64, True, True)]


def test_three_waves_compare_the_latest_with_the_previous_and_the_first(work):
    """Changes and tests only for Wave B → Wave C and Wave A → Wave C, never Wave A → Wave B; every base of
    the tiny study is under 10, so nothing is tested and the report says so rather than list a difference."""
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        awareness = {table.name: table for table in build_tables(con).tables}["awareness"]
    assert awareness.pairs == (("2021", "2022"), ("2020", "2022"))  # Wave B → Wave C, Wave A → Wave C
    assert display.printed(awareness).columns == [
        "", "Wave A", "Wave B", "Wave C", "Change since previous (pp)", "Test", "Change since first (pp)", "Test"]
    # Wave B has 2 interviews, fewer than k = 3: it shows no answers, so nothing of it is compared
    compared = awareness.changes[awareness.changes.change_pp.notna()]
    assert set(zip(compared.earlier, compared.later)) == {("2020", "2022")}
    assert not awareness.changes.tested.any()
    assert ("Change (percentage points) since previous: Wave C against Wave B; since first: Wave C against Wave A. "
            "No change in this table has both bases of at least 10, so none is tested.") in awareness.notes
    report = (work / "processed" / "current" / "release" / "report.md").read_text(encoding="utf-8").splitlines()
    start = report.index("## Largest changes") + 2
    assert report[start] == ("- No change was tested: every compared base is under the test minimum, or a count is "
                             "withheld, so none is listed here; the differences are in the tables, to read as "
                             "indicative only.")
    assert "Wave A → Wave B" not in "\n".join(report)
