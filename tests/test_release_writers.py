"""The release writers on hand-written tables: workbook cells, CSV, charts and report, read back."""

from __future__ import annotations

import csv
import dataclasses
import errno
import multiprocessing
import re
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from PIL import Image

from release_fixtures import QUOTES, RISK_MENTIONS, RUN, TABLES, W1, W2, banner, base
from wavecompare.release.cells import neutralise
from wavecompare.release.changes import caveats, largest_changes, mix_shift_notes, mix_shifts
from wavecompare.release.charts import CHARTS as DRAWN
from wavecompare.release.charts import write_charts
from wavecompare.release.report import md, render_html, render_markdown, table_view
from wavecompare.release.workbook import sheet_names
from wavecompare.release.writer import write_release

CHARTS = ("stakeholder_mix", "awareness_levels", "confidence_levels", "risk_mentions", "theme_improvement")
TABLE_NAMES = ("stakeholder_mix", "awareness", "confidence", "risk_mentions", "theme_improvement")


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    folder = tmp_path_factory.mktemp("release") / "release"
    return folder, write_release(TABLES, QUOTES, folder, run=RUN)


@pytest.fixture(scope="module")
def book(release):
    folder, _ = release
    return openpyxl.load_workbook(folder / "wave_comparison.xlsx")


def test_writes_every_file_into_the_folder(release):
    folder, paths = release
    expected = {
        "wave_comparison.xlsx",
        "report.html",
        "report.md",
        "quote_bank.csv",
        *(f"{name}.csv" for name in TABLE_NAMES),
        *(f"charts/{stem}.{ext}" for stem in CHARTS for ext in ("png", "svg")),
    }
    assert {p.relative_to(folder).as_posix() for p in paths} == expected
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == expected


def test_refuses_a_folder_that_is_not_empty(release):
    folder, _ = release
    with pytest.raises(FileExistsError):
        write_release(TABLES, QUOTES, folder, run=RUN)


def test_a_rerun_writes_the_same_bytes_with_the_charts_drawn_here_or_in_a_child(release, tmp_path):
    folder, paths = release
    assert sum(table.frame.size for table in TABLES) < 100_000  # so the fixture drew its charts in this process
    again = write_release(TABLES, QUOTES, tmp_path / "again", run=RUN, child_from_cells=0)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]


class UnwritableCharts(type(Path())):
    """A release folder whose charts folder cannot be made (chmod would not stop root, so the error is raised here).

    It is pickled to the child process that draws the charts, so the error is met there.
    """

    def mkdir(self, *args, **kwargs):
        if self.name == "charts":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        super().mkdir(*args, **kwargs)


def test_an_error_drawing_the_charts_reaches_the_caller_and_no_child_is_left(tmp_path):
    folder = UnwritableCharts(tmp_path / "release")
    with pytest.raises(PermissionError, match=re.escape(f"Permission denied: '{folder / 'charts'}'")):
        write_release(TABLES, QUOTES, folder, run=RUN, child_from_cells=0)
    assert multiprocessing.active_children() == []


def test_sheet_names_are_valid_unique_and_short():
    names = [
        "theme_improvement_by_service_area",
        "theme_improvement_by_service_area_x",
        "a/b[c]:d*?\\",
        "QUOTES",
        "'x'",
    ]
    assert sheet_names(names) == [
        "theme_improvement_by_service_ar",
        "theme_improvement_by_service_~2",
        "a_b_c__d___",
        "QUOTES~2",
        "x",
    ]


def test_workbook_sheets(book):
    assert book.sheetnames == [
        "Read me", "Stakeholder mix", "Awareness", "Confidence", "Risk mentions", "Improvement", "Quotes"]


def test_table_sheet_header_base_row_and_cells(book):
    sheet = book["Stakeholder mix"]
    assert sheet["A1"].value == "Stakeholder mix by wave"
    assert (
        sheet["A2"].value == "Sector-led improvement: stakeholder perceptions, run run-fixture-1, 2026-11-01 10:30 UTC"
    )
    assert [sheet[c].value for c in ("A4", "B4", "C4", "I4", "O4")] == [
        "Dimension",
        "Category",
        "Wave 1 (2012)",
        "Wave 2 (2013)",
        "Wave 1 (2012) → Wave 2 (2013)",
    ]
    measures = ["n", "base", "%", "n of base", "95% CI", "words"]
    # the mix is the sample's design: its change is shown, never tested
    assert [sheet.cell(5, c).value for c in range(3, 17)] == [*measures, *measures, "change (pp)", None]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "C4:H4", "I4:N4"} <= merged and not any(r.startswith("O4") for r in merged)
    assert sheet.freeze_panes == "C6"
    # base row: only the bases
    assert [sheet[c].value for c in ("B6", "C6", "D6", "E6", "J6", "O6")] == [
        "Base (interviews)",
        None,
        10,
        None,
        15,
        None,
    ]
    assert sheet["B6"].font.bold
    # Regulators: 4 of 10 then 10 of 15, +26.7 pp
    assert [sheet[c].value for c in ("B7", "C7", "D7", "E7", "F7", "I7", "K7", "O7")] == [
        "Regulators, inspectorates and third sector",
        4,
        10,
        40.0,
        "4 of 10",
        10,
        66.7,
        26.7,
    ]
    assert sheet["P7"].value is None
    assert sheet["O8"].value == -26.7 and sheet["O8"].data_type == "n"
    assert (sheet["E7"].number_format, sheet["C7"].number_format, sheet["O7"].number_format) == (
        "0.0",
        "0",
        "+0.0;-0.0;0.0",
    )
    assert [sheet[c].value for c in ("B9", "C9", "I9", "J9", "K9", "O9")] == [
        "face_to_face",
        4,
        "[c]",
        15,
        "[c]",
        "[c]",
    ]
    assert sheet.column_dimensions["B"].width >= 45


def test_table_sheet_notes(book):
    sheet = book["Stakeholder mix"]
    assert sheet["A12"].value == "Notes"
    assert [sheet.cell(r, 1).value for r in range(13, 17)] == [
        "Wave 1 (2012) has a base of 10, under 30: its percentages are indicative only.",
        "Cells under 3 interviews are suppressed ([c]), with others so they cannot be worked out from totals.",
        "Source files: waves.csv, codebook.csv, 2012/interviews.csv, 2013/responses.csv.",
        "Made by run run-fixture-1, 2026-11-01 10:30 UTC.",
    ]
    assert "A13:O13" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A13"].alignment.wrap_text


def test_group_blocks_and_untested_change(book):
    sheet = book["Awareness"]
    assert [sheet[f"A{r}"].value for r in (6, 11, 12)] == ["All", "Senior civil servants", "Senior civil servants"]
    assert [sheet[c].value for c in ("C11", "E11", "K11")] == ["Base (interviews)", 6, 5]
    assert [sheet[c].value for c in ("D12", "E12", "J12", "K12", "P12", "Q12")] == [
        3,
        6,
        3,
        5,
        10.0,
        "not tested (base 5)",
    ]
    assert sheet.freeze_panes == "D6"


def test_an_optional_measure_left_empty_is_left_out(book):
    sheet = book["Improvement"]
    assert [sheet.cell(5, c).value for c in range(9, 15)] == ["n", "base", "%", "n of base", "change (pp)", "test"]
    assert "I4:L4" in {str(r) for r in sheet.merged_cells.ranges}


def test_formula_text_is_neutralised_in_the_workbook(book):
    sheet = book["Improvement"]
    codes = [sheet[f"B{r}"] for r in range(7, 11)]
    assert [c.value for c in codes] == ['\'=HYPERLINK("http://example.com","click")', "'+1", "'-2+3", "'@SUM(1)"]
    assert {c.data_type for c in codes} == {"s"}
    assert sheet["H7"].value == "'-5% (typed)"
    assert sheet["M7"].value == -23.3 and sheet["M7"].data_type == "n"
    quotes = book["Quotes"]
    assert [quotes.cell(4, c).value for c in range(1, 8)] == list(QUOTES.columns)
    assert quotes["F6"].value == '\'=HYPERLINK("http://example.com","click") and call [phone redacted]'
    assert quotes["F7"].value == "'@SUM(1) is not what [organisation redacted] meant"
    assert quotes.freeze_panes == "A5"
    assert quotes.auto_filter.ref == "A4:G7"


def test_read_me_sheet(book):
    sheet = book["Read me"]
    assert sheet["A1"].value == "Sector-led improvement: stakeholder perceptions: read me"
    listed = [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(5, 11)]
    assert listed[0] == ("Stakeholder mix", "Stakeholder mix by wave")
    assert listed[-1] == ("Quotes", "Quote bank: excerpts attributed by role only")
    assert sheet["A5"].hyperlink.location == "'Stakeholder mix'!A1"
    notes = [sheet.cell(r, 1).value for r in range(13, 13 + 9)]
    assert notes[0] == ('"[c]" marks a value withheld to protect interviewees (disclosure control); it may be any '
                        'count, zero included.')
    assert "Bases under 30 interviews are small: read their percentages as indicative." in notes
    assert notes[-1] == "Made by run run-fixture-1, 2026-11-01 10:30 UTC."


def test_neutralise():
    assert [neutralise(v) for v in ("=1+1", "+1", "-2+3", "@SUM(1)", "\tx", "\rx", "-5%", "a=b", "")] == [
        "'=1+1",
        "'+1",
        "'-2+3",
        "'@SUM(1)",
        "'\tx",
        "'\rx",
        "'-5%",
        "a=b",
        "",
    ]
    assert [neutralise(v) for v in (-2, -23.3, None)] == [-2, -23.3, None]


def test_csv_files_are_excel_ready_and_neutralised(release):
    folder, _ = release
    raw = (folder / "theme_improvement.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(folder / "theme_improvement.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["Group", "Code", "Wave 1 (2012) | n"]
    assert rows[0][-2] == "Wave 1 (2012) → Wave 2 (2013) | change (pp)"
    assert rows[1] == ["All", "Base (interviews)", "", "10", "", "", "", "", "", "15", "", "", "", "", "", ""]
    assert [r[1] for r in rows[2:]] == ['\'=HYPERLINK("http://example.com","click")', "'+1", "'-2+3", "'@SUM(1)"]
    assert rows[2][2:8] == ["5", "10", "50.0", "5 of 10", "23.7–76.3", "'-5% (typed)"]
    assert rows[2][-2] == "-23.3"
    with open(folder / "stakeholder_mix.csv", encoding="utf-8-sig", newline="") as handle:
        mix = list(csv.reader(handle))
    assert mix[4][8:11] == ["[c]", "15", "[c]"]
    with open(folder / "quote_bank.csv", encoding="utf-8-sig", newline="") as handle:
        quotes = list(csv.DictReader(handle))
    assert [q["excerpt"][:3] for q in quotes] == ["pee", "'=H", "'@S"]
    assert quotes[1]["attribution"] == "a regulator"


@pytest.mark.parametrize("stem", CHARTS)
def test_charts_are_real_pictures(release, stem):
    folder, _ = release
    png = folder / "charts" / f"{stem}.png"
    with Image.open(png) as image:
        assert image.width >= 1000 and image.height >= 400
        pixels = np.asarray(image.convert("L"))
    assert len(np.unique(pixels)) > 20
    assert (pixels < 128).mean() > 0.01  # ink, not a blank page
    assert (folder / "charts" / f"{stem}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_dollar_signs_in_code_labels_are_drawn_as_text(tmp_path):
    frame = RISK_MENTIONS.frame.replace("Lack of evidence of improvement", r"Costs $\x$, $5 or $10")
    write_charts([dataclasses.replace(RISK_MENTIONS, frame=frame)], tmp_path, RUN)
    svg = (tmp_path / "risk_mentions.svg").read_text(encoding="utf-8")
    assert r"Costs $\x$, $5 or $10" in svg  # the label drawn as SVG text


def test_a_suppressed_value_is_footnoted_not_plotted():
    fig = DRAWN["risk_mentions"][1](RISK_MENTIONS, RUN)
    head, body = fig.subfigs
    assert head.texts[0].get_text() == "Risks mentioned by wave"
    footnote = " ".join(body.get_supxlabel().split())
    assert footnote.startswith("Not plotted, suppressed ([c]) to protect interviewees: Wave 1 (2012): Peer challenge")
    ax = body.axes[0]
    points = [c.get_offsets().tolist() for c in ax.collections]
    assert sorted((x, round(y, 2)) for pts in points for x, y in pts) == [  # each wave a little below the one before
        (20.0, 2.28), (30.0, -0.28), (60.0, 0.28), (60.0, 0.72), (66.7, 1.28)]
    assert ax.get_yticklabels()[0].get_text() == "Lack of evidence of improvement"


def test_report_markdown(release):
    folder, _ = release
    lines = (folder / "report.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Sector-led improvement: stakeholder perceptions"
    start = lines.index("## Largest changes") + 2
    # only tested changes, smallest adjusted p first, then the largest; whole percentages (bases under 100).
    # The senior civil servants' 0 of 6 to 5 of 5 (+100 pp) is the largest difference, but not tested (base 5):
    # it is never listed. Nor is the stakeholder mix (never tested), a suppressed cell or a theme table.
    assert lines[start : lines.index("## Charts") - 1] == [
        "- Awareness of sector-led improvement by wave, All · Recalls the peer challenge offer · mentioned: "
        "from 5 of 10 (50%) in Wave 1 (2012) to 14 of 15 (93%) in Wave 2 (2013), +43 pp; "
        "test: up, p = 0.006 (adjusted 0.024).",
        "- Confidence in sector-led improvement by wave, All · Confidence in the theory · cautious: from 6 of 10 "
        "(60%) in Wave 1 (2012) to 5 of 15 (33%) in Wave 2 (2013), -27 pp; test: no significant change, "
        "p = 0.238 (adjusted 0.476).",
        "- Confidence in sector-led improvement by wave, All · Confidence in the theory · confident: from 4 of 10 "
        "(40%) in Wave 1 (2012) to 10 of 15 (67%) in Wave 2 (2013), +27 pp; test: no significant change, "
        "p = 0.238 (adjusted 0.476).",
        "- Risks mentioned by wave, All · Lack of evidence of improvement: from 3 of 10 (30%) in Wave 1 (2012) "
        "to 9 of 15 (60%) in Wave 2 (2013), +30 pp; test: no significant change, p = 0.227 (adjusted 0.681).",
        "- Awareness of sector-led improvement by wave, All · Awareness of the theory · very familiar: from 3 of 10 "
        "(30%) in Wave 1 (2012) to 8 of 15 (53%) in Wave 2 (2013), +23 pp; test: no significant change, "
        "p = 0.414 (adjusted 1.000).",
    ]
    assert "![Risk mentions](charts/risk_mentions.png)" in lines
    # on bases under 100 the page states %, interval and change whole (Wilson 3 of 6: 18.76–81.24%); the CSV
    # files and the workbook keep the decimal (the CSV test above)
    assert (
        "| Senior civil servants | Awareness of the theory | aware | 3 | 6 | 50 | 3 of 6 | 19–81% | a majority "
        "| 3 | 5 | 60 | 3 of 5 | 23–88% | a majority | +10 | not tested (base 5) |"
    ) in lines
    assert "| **All** |  | **Base (interviews)** |  | **10** |  |  |  |  |  | **15** |  |  |  |  |  |  |" in lines
    assert ("- Changes are in percentage points (pp), for the latest wave against the one before and, with three or "
            "more waves, the first against the latest; other differences between waves are not shown as changes.") in lines


def test_the_report_says_plainly_when_no_change_was_tested():
    untested = [dataclasses.replace(t, tests=t.tests.assign(tested=False)) for t in TABLES]
    assert largest_changes(untested) == []
    text = render_markdown([], largest_changes(untested), [], RUN)
    assert ("- No change was tested: every compared base is under the test minimum, or a count is withheld, so none "
            "is listed here; the differences are in the tables, to read as indicative only.") in text.splitlines()


def test_caveats_are_stated_from_the_data():
    mix = ("The mix of stakeholder groups changed from Wave 1 (2012) to Wave 2 (2013): Regulators, inspectorates and "
           "third sector 40% → 67%, Senior civil servants 60% → 33% of interviews. Comparisons of All reflect this "
           "change in mix as well as any change in views; compare within groups where their bases allow.")
    independent = ("Intervals and tests assume independent random samples. Stakeholder interviews are usually "
                   "purposive, and the same organisations can appear in the waves compared: there, read the intervals and "
                   "tests as a guide to how much a difference could be noise, not as findings.")
    every = caveats(TABLES, small_base=30)
    assert every[0] == ("The samples are small: every compared base is under 30 interviews (the largest is 15), so a "
                        "difference of a few interviews moves a percentage by many points, and most real changes "
                        "will not reach significance.")
    assert every[2:] == (independent, mix)
    assert caveats(TABLES, small_base=10)[0].startswith("Some compared bases are under 10 interviews (the smallest is 5):")
    listed = ("The changes listed above are the tested ones, smallest adjusted p first, then the largest; a difference "
              "that was not tested (a base under the test minimum) is never listed, however large, and is in the "
              "tables only. A test can show that a change is unlikely to be chance alone; it cannot show why it "
              "happened.")
    assert caveats(TABLES, small_base=5) == (listed, independent, mix)  # no base under 5: not called small
    assert mix not in caveats([TABLES[1]], small_base=30)  # no stakeholder mix, nothing said of it


def test_a_shift_in_the_mix_is_named_from_ten_points():
    def group(name, first, second):
        return ("stakeholder_group", name), [first, 10, 10 * first, f"{first} of 10", "", ""], \
            [second, 20, 5 * second, f"{second} of 20", "", ""], [5 * second - 10 * first]

    mix = banner("stakeholder_mix", "Stakeholder mix", ("Dimension", "Category"),
                 [base(("", "Base (interviews)"), 10, 20), group("Regulators", 4, 10), group("Councils", 3, 5),
                  group("Charities", 3, 5)], tested=False)
    assert mix_shifts(mix) == {(W1, W2): ["Regulators 40% → 50%"]}  # +10 points is named; -5 is not
    steady = banner("stakeholder_mix", "Stakeholder mix", ("Dimension", "Category"),
                    [base(("", "Base (interviews)"), 10, 20), group("Regulators", 4, 8), group("Councils", 6, 12)],
                    tested=False)
    assert mix_shifts(steady) == {} and mix_shift_notes(steady) == ()


def test_markdown_escapes_what_would_break_a_table():
    assert md("a|b *c* <i>\nd") == "a\\|b \\*c\\* \\<i\\> d"


def test_html_escapes_text_from_the_data():
    table = dataclasses.replace(RISK_MENTIONS, title="<script>alert(1)</script> & co")
    html = render_html([table_view(table)], [], [], RUN)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_the_report_keeps_one_decimal_from_a_base_of_100():
    table = banner("risk_mentions", "Risks", ("Group", "Code"), [
        base(("All", "Base (interviews)"), 200, 99),
        (("All", "Cost"), [81, 200, 40.5, "81 of 200", "33.9–47.4%", ""], [40, 99, 40.4, "40 of 99", "31.3–50.3%", ""],
         [-0.1, "no significant change, p = 1.0 (adjusted 1.0)", 1.0, 1.0]),
    ])
    view = table_view(table)
    [_, (_, cells)] = view.rows
    shown = dict(zip((column for group in view.groups for column in group.columns), cells))
    # wave 1 (base 200) as published; wave 2 (base 99) whole: 40.40% -> 40, Wilson 31.3-50.3% -> 31-50%;
    # the change has a base under 100: 100 * (40/99 - 81/200) = -0.096 -> 0
    assert [shown[f"{wave} | {measure}"] for wave in (W1, W2) for measure in ("%", "95% CI")] == [
        "40.5", "33.9–47.4%", "40", "31–50%"]
    assert shown[f"{W1} → {W2} | change (pp)"] == "0"
