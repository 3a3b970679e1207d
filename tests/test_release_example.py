"""The release a `wavecompare run` of the example study hands to report writers:
what its files say, that nothing in them identifies an interviewee, and that the
report renders in a real browser."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from support import chromium, query

W1, W2 = "Wave 1 (June-July 2012)", "Wave 2 (October-November 2013)"
INTERVIEW_ID = re.compile(r"\bW[12]-\d\d\b")
ORGANISATIONS = ("DCLG", "DfE", "DH")  # the organisations named in the example's interview lists


@pytest.fixture
def release(example_published):
    """The release of the example study as published once per session (read only here)."""
    return example_published / "processed" / "current" / "release"


def released_text(folder: Path) -> dict[str, str]:
    """Every text a released file carries: CSV, Markdown, HTML, SVG, and every workbook cell."""
    texts = {p.name: p.read_text(encoding="utf-8-sig") for p in folder.rglob("*")
             if p.suffix in {".csv", ".md", ".html", ".svg"}}
    book = openpyxl.load_workbook(folder / "wave_comparison.xlsx", read_only=True)
    texts["wave_comparison.xlsx"] = "\n".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row
        if value is not None)
    return texts


def test_the_release_folder_holds_what_report_writers_need(release):
    names = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    assert names == sorted([
        "wave_comparison.xlsx", "report.html", "report.md", "quote_bank.csv", "published_cells.csv", "changes.csv",
        "stakeholder_mix.csv", "awareness.csv", "confidence.csv", "risk_mentions.csv",
        "theme_benefit.csv", "theme_improvement.csv",
        "awareness_by_service_area.csv", "confidence_by_service_area.csv", "risk_mentions_by_service_area.csv",
        "theme_benefit_by_service_area.csv", "theme_improvement_by_service_area.csv",
        *[f"charts/{c}.{x}" for c in ("stakeholder_mix", "awareness_levels", "confidence_levels", "risk_mentions",
                                      "theme_benefit", "theme_improvement") for x in ("png", "svg")],
    ])


def test_the_workbook_reads_counts_first(release):
    book = openpyxl.load_workbook(release / "wave_comparison.xlsx")
    assert book.sheetnames[:6] == ["Read me", "Stakeholder mix", "Awareness", "Awareness by group", "Confidence",
                                   "Confidence by group"]
    sheet = book["Risk mentions"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    # 3 of 10 (30%) then 10 of 15 (66.7%): +36.7 points, whole (bases under 100); Fisher p = 0.11, Holm 0.66
    [evidence] = [r for r in rows if r[0] == "Lack of evidence of improvement"]
    assert evidence == ["Lack of evidence of improvement", "3 of 10 (30%)", "10 of 15 (67%)", 37, "n.s. (p 0.66)"]
    assert sheet.freeze_panes == "B5"


def test_no_released_file_names_an_interview_or_an_organisation(release):
    for name, text in released_text(release).items():
        assert not INTERVIEW_ID.search(text), (name, INTERVIEW_ID.search(text).group())
        for organisation in ORGANISATIONS:
            assert not re.search(rf"\b{organisation}\b", text), (name, organisation)


def cells(release: Path) -> dict[tuple, str]:
    """published_cells.csv: (table, wave, split, group, code, level) → n as text ('' when withheld)."""
    with (release / "published_cells.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {(r["table"], r["wave_id"], r["split"], r["group"], r["code_id"], r["level"]): r["n"]
                for r in csv.DictReader(handle)}


def test_the_seed_reports_sample_facts_are_published(release):
    """10 and 15 interviews; 4 regulators and 6 civil servants, then 10 and 5; 2 face to face and 13 by
    telephone; 20-45 minutes: the report publishes them, and so does the release."""
    published = cells(release)
    mix = {key[1:4]: n for key, n in published.items() if key[0] == "stakeholder_mix"}
    regulators = "Regulators, inspectorates and third sector"
    assert [mix[(w, "All", "All")] for w in ("2012", "2013")] == ["10", "15"]
    assert [mix[(w, "stakeholder_group", g)] for w in ("2012", "2013") for g in (regulators, "Senior civil servants")] \
        == ["4", "6", "10", "5"]
    assert [mix[("2013", "mode", m)] for m in ("face_to_face", "telephone")] == ["2", "13"]
    notes = (release / "report.md").read_text(encoding="utf-8")
    assert ("Fieldwork: Wave 1 (June-July 2012) from 2012-06-01 to 2012-07-31, 10 interviews; Wave 2 "
            "(October-November 2013) from 2013-10-08 to 2013-11-29, 15 interviews.") in notes.splitlines()[4]
    assert ("Interview length: Wave 1 (June-July 2012) 30 to 60 minutes, median 42.5; Wave 2 (October-November "
            "2013) 20 to 45 minutes, median 30.") in notes


def test_no_small_group_answer_shows_through_zeros(release):
    """The two public-health interviewees of 2013 (and the two in adult social care) publish no answers: not
    withheld cells beside zeros, which gave the group's answer away, but no cells at all, their four
    interviews counted together as 'Other service areas'."""
    with (release / "awareness_by_service_area.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["wave_id"] == "2013"]
    health = [r for r in rows if r["group"] == "Public health"]
    assert [(r["is_base"], r["base"]) for r in health[:1]] == [("true", "2")]
    assert {(r["n"], r["withheld"]) for r in health[1:]} == {("", "false")}  # no count, zero or withheld
    published = cells(release)
    assert not [key for key in published if key[3] in ("Public health", "Adult social care") and key[1] == "2013"
                and key[4] != ""]
    assert published[("awareness_by_service_area", "2013", "service_area", "Other service areas", "", "base")] == "4"
    other = [r for r in rows if r["group"] == "Other service areas" and r["code_id"] == "aware_theory"]
    # W2-03 aware, W2-04 very familiar, W2-08 and W2-12 heard of it (data/raw/2013/responses.csv): the net
    # "aware or very familiar" first, then not aware, heard of it, aware, very familiar, not coded
    assert [r["level"] for r in other][0] == "net: aware or very familiar"
    assert [r["n"] for r in other] == ["2", "0", "2", "1", "1", "0"]


def test_quotes_are_attributed_by_role_and_redacted(release):
    quotes = list(csv.DictReader(io.StringIO((release / "quote_bank.csv").read_text(encoding="utf-8-sig"))))
    assert quotes, "the example study has verbatim quotes"
    assert {q["Attribution"] for q in quotes} <= {
        "a senior civil servant", "a regulator, inspectorate or third-sector interviewee", "an interviewee"}


@pytest.mark.browser
def test_the_report_renders_its_tables_and_charts_in_chromium(release, tmp_path):
    probe = release / "probe.html"
    probe.write_text((release / "report.html").read_text(encoding="utf-8").replace(
        "</body>", '<script>window.addEventListener("load", () => document.body.setAttribute("data-widths", '
        '[...document.images].map(i => i.naturalWidth).join(",")));</script></body>'), encoding="utf-8")
    try:
        dom = chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", probe.as_uri())
    finally:
        probe.unlink()
    assert dom.count('<table id="table-') == 11 and dom.count('<button type="button" class="copy"') == 11
    assert ">3 of 10 (30%)</td>" in dom and ">10 of 15 (67%)</td>" in dom
    widths = re.search(r'data-widths="([^"]*)"', dom).group(1).split(",")
    # the mix, awareness, confidence and risk charts, and one each for the benefit and improvement themes
    assert len(widths) == 6 and all(int(w) > 300 for w in widths), widths


def test_the_read_me_claims_nothing_about_withheld_values_that_is_false(release, example_published):
    """Senior civil servants' 2012 count for lack of transparency is withheld (beside the regulators' 4 of 4), and
    it is 0: so the Read me must not say "[c] is never zero", nor the notes "Zero counts are shown", as they once
    did."""
    with (release / "risk_mentions.csv").open(encoding="utf-8-sig", newline="") as handle:
        [row] = [r for r in csv.DictReader(handle) if r["group"] == "Senior civil servants"
                 and r["code_id"] == "risk_transparency" and r["wave_id"] == "2012"]
    assert (row["n"], row["withheld"]) == ("", "true")
    assert query(example_published, "SELECT n FROM marts.risk_mentions WHERE wave_id = '2012' AND code_id = "
                 "'risk_transparency' AND stakeholder_group = 'Senior civil servants'") == [(0,)]
    report = (release / "report.md").read_text(encoding="utf-8")
    assert "never zero" not in report and "Zero counts are shown" not in report
    assert "A withheld count can be any number, zero included." in report
    assert ('- "\\[c\\]" marks a value withheld to protect interviewees (disclosure control); it may be any count, '
            "zero included.") in report.splitlines()


def test_no_note_says_why_a_cell_is_withheld(release):
    """The rule is stated once; a per-cell reason ("primary: a count of 1 to 2") bounds the cell it labels, and
    with those labels an integer program recovered most withheld counts of this release exactly."""
    for name, text in released_text(release).items():
        assert "Suppressed: " not in text and "(primary:" not in text and "(secondary:" not in text, name
    report = (release / "report.md").read_text(encoding="utf-8")
    # once, among the conventions under the tables (a table's notes refer to the Read me)
    assert report.count("Disclosure control: the bases and the stakeholder mix are published as they are.") == 1
