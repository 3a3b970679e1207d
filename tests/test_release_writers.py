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

from release_fixtures import QUOTES, RISK_MENTIONS, RUN, TABLES
from wavecompare.release.cells import neutralise
from wavecompare.release.charts import risk_dumbbell_chart, write_charts
from wavecompare.release.report import md, render_html, table_view
from wavecompare.release.workbook import sheet_names
from wavecompare.release.writer import write_release

CHARTS = ("stakeholder_mix", "awareness_levels", "confidence_levels", "risk_mentions")
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
    assert [sheet.cell(5, c).value for c in range(3, 17)] == [*measures, *measures, "change (pp)", "test"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "C4:H4", "I4:N4", "O4:P4"} <= merged
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
    assert sheet["P7"].value == "no significant change, p = 0.226 (adjusted 0.452)"
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
    assert "A13:P13" in {str(r) for r in sheet.merged_cells.ranges}
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
    assert r"Costs $\x$, $5 or $10" in svg  # the label as text in the SVG's metadata; drawn as paths


def test_a_suppressed_value_is_footnoted_not_plotted():
    fig = risk_dumbbell_chart(RISK_MENTIONS, RUN)
    head, body = fig.subfigs
    assert head.texts[0].get_text() == "Risks mentioned: Wave 1 (2012) against Wave 2 (2013)"
    footnote = " ".join(body.get_supxlabel().split())
    assert footnote.startswith("Not plotted, suppressed ([c]) to protect interviewees: Wave 1 (2012): Peer challenge")
    ax = body.axes[0]
    points = [c.get_offsets().tolist() for c in ax.collections]
    assert sorted(p for pts in points for p in pts) == [[20.0, 2.0], [30.0, 0.0], [60.0, 0.0], [60.0, 1.0], [66.7, 1.0]]
    assert ax.get_yticklabels()[0].get_text() == "Lack of evidence of improvement"


def test_report_markdown(release):
    folder, _ = release
    lines = (folder / "report.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Sector-led improvement: stakeholder perceptions"
    start = lines.index("## Largest changes") + 2
    assert lines[start : start + 2] == [
        "- Awareness of sector-led improvement by wave, All · Recalls the peer challenge offer · mentioned: "
        "from 5 of 10 (50.0%) in Wave 1 (2012) to 14 of 15 (93.3%) in Wave 2 (2013), +43.3 pp; "
        "test: up, p = 0.006 (adjusted 0.024).",
        "- Risks mentioned by wave, All · Lack of evidence of improvement: from 3 of 10 (30.0%) in Wave 1 (2012) "
        "to 9 of 15 (60.0%) in Wave 2 (2013), +30.0 pp; test: no significant change, p = 0.227 (adjusted 0.681).",
    ]
    changes = lines[start : lines.index("## Charts")]
    assert len([c for c in changes if c]) == 5
    assert not any("Peer challenge not robust" in c or "theme" in c.lower() for c in changes)
    assert "![Risk mentions](charts/risk_mentions.png)" in lines
    assert (
        "| Senior civil servants | Awareness of the theory | aware | 3 | 6 | 50.0 | 3 of 6 | 18.8–81.2 | a majority "
        "| 3 | 5 | 60.0 | 3 of 5 | 23.1–88.2 | a majority | +10.0 | not tested (base 5) |"
    ) in lines
    assert "| **All** |  | **Base (interviews)** |  | **10** |  |  |  |  |  | **15** |  |  |  |  |  |  |" in lines
    assert "- Changes are in percentage points (pp), each wave against the one before." in lines


def test_markdown_escapes_what_would_break_a_table():
    assert md("a|b *c* <i>\nd") == "a\\|b \\*c\\* \\<i\\> d"


def test_html_escapes_text_from_the_data():
    table = dataclasses.replace(RISK_MENTIONS, title="<script>alert(1)</script> & co")
    html = render_html([table_view(table)], [], [], RUN)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
