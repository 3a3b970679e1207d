"""The release writers on hand-written tables: workbook cells, CSV, charts and report, read back."""

from __future__ import annotations

import csv
import dataclasses
import errno
import multiprocessing
import os
import pickle
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from PIL import Image

from release_fixtures import QUOTES, RISK_MENTIONS, RUN, TABLES, W1, W2, banner, base
from wavecompare.release.cells import neutralise
from wavecompare.release.changes import caveats, largest_changes, mix_shift_notes, mix_shifts
from wavecompare.release.charts import CHARTS as DRAWN
from wavecompare.release.charts import write_charts
from wavecompare.release.csvfiles import write_csv_files, write_typed_csv
from wavecompare.release.display import printed
from wavecompare.release.model import CHANGE_TYPES, ROW_TYPES, VALUE_TYPES, Wave, typed
from wavecompare.release.quotes import QUOTE_COLUMNS
from wavecompare.release.report import md, render_html, render_markdown
from wavecompare.release.runinfo import ReadmeSection
from wavecompare.release.workbook import sheet_names, write_workbook
from wavecompare.release.writer import CHILD_MODULES, Drawing, write_release

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
        "changes.csv",
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
    with Drawing(tmp_path / "handover") as drawing:  # the fixture drew its charts in this process
        again = write_release(TABLES, QUOTES, tmp_path / "again", run=RUN, drawing=drawing)
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
        with Drawing(tmp_path / "handover") as drawing:
            write_release(TABLES, QUOTES, folder, run=RUN, drawing=drawing)
    assert multiprocessing.active_children() == []


def test_the_folder_handed_to_the_child_is_private_and_removed_errors_or_not(tmp_path):
    """It holds a large release's unredacted quote sources (`quotes.quote_source_files`)."""
    with pytest.raises(RuntimeError, match="stopped"):
        with Drawing(tmp_path / "handover") as drawing:
            handed = drawing.folder
            (handed / "quotes.parquet").write_bytes(b"unredacted")
            assert handed.stat().st_mode & 0o777 == 0o700
            raise RuntimeError("stopped")
    assert not handed.exists()


def test_the_child_takes_tasks_from_the_front_and_this_process_does_those_it_has_not_taken(tmp_path):
    started = tmp_path / "started"
    with Drawing(tmp_path / "handover") as drawing:
        first = drawing.run(os.getpid)
        busy = drawing.run(subprocess.call, ["sh", "-c", f"touch {started}; sleep 2"])
        deadline = time.monotonic() + 120
        while not started.exists():  # the child has done the first task and is busy with the second
            assert time.monotonic() < deadline, "the child never started"
            time.sleep(0.05)
        last = drawing.run(os.getpid)
        assert last.result() == os.getpid()  # queued behind a busy child: done here, at once
        assert last.result() == os.getpid()  # once, then kept
        assert first.result() != os.getpid()
        assert busy.result() == 0


def test_the_child_unpickles_what_it_is_handed_without_importing_the_builders():
    """A large release hands its child the tables and the run, Read me included; unpickling them must import
    no builder module (the tables' module imports SciPy: a second of the child's CPU per release). Checked in a
    fresh interpreter that has imported only what the fork server does (`writer.CHILD_MODULES`)."""
    run = dataclasses.replace(RUN, readme=(ReadmeSection("The study", (("Title", "Tracker"),)),))
    handed = pickle.dumps((TABLES, run, QUOTES))
    child = (f"import pickle, sys\nfor name in {CHILD_MODULES!r}: __import__(name)\nbefore = set(sys.modules)\n"
             "pickle.loads(sys.stdin.buffer.read())\n"
             "print(sorted(m for m in set(sys.modules) - before if m.startswith(('wavecompare', 'scipy'))))")
    imported = subprocess.run([sys.executable, "-c", child], input=handed, capture_output=True, check=True)
    assert imported.stdout.decode().strip() == "[]"
    assert "wavecompare.release.tables" not in CHILD_MODULES and "scipy" not in CHILD_MODULES


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
        "Read me", "Stakeholder mix", "Awareness", "Awareness by group", "Confidence", "Risk mentions",
        "Risk mentions by group", "Improvement", "Quotes"]


def cells(sheet, first: int, last: int, columns: str = "ABCDE") -> list[list]:
    return [[sheet[f"{c}{r}"].value for c in columns] for r in range(first, last + 1)]


def test_the_stakeholder_mix_sheet_reads_as_a_report_table(book):
    """One column per wave holding "n of N (x%)", then the change: the mix is the sample's design, never tested."""
    sheet = book["Stakeholder mix"]
    assert sheet["A1"].value == "Stakeholder mix by wave"
    assert sheet["A2"].value == "Sector-led improvement: stakeholder perceptions, run run-fixture-1, 2026-11-01 10:30 UTC"
    assert cells(sheet, 4, 11, "ABCDE") == [
        [None, "Wave 1 (2012)", "Wave 2 (2013)", "Change (pp)", None],
        ["All interviews (base)", "10", "15", None, None],
        ["Stakeholder group", None, None, None, None],
        ["Regulators, inspectorates and third sector", "4 of 10 (40%)", "10 of 15 (67%)", 27, None],
        ["Senior civil servants", "6 of 10 (60%)", "5 of 15 (33%)", -27, None],
        ["Mode", None, None, None, None],
        ["Face to face", "4 of 10 (40%)", "[c]", "[c]", None],
        ["Telephone", "6 of 10 (60%)", "[c]", "[c]", None],
    ]
    assert sheet["D7"].data_type == "n" and sheet["D7"].number_format == "+0;-0;0"
    assert sheet["A5"].font.bold and sheet["A6"].font.bold and not sheet["A7"].font.bold
    assert sheet["A7"].alignment.indent == 1 and sheet["A5"].alignment.indent == 0
    assert (sheet["B7"].font.name, sheet["B7"].font.sz) == ("Arial", 9)
    assert sheet.freeze_panes == "B5"


def test_no_data_area_has_merged_cells(book):
    """A block selects and pastes into Word as it reads; only the notes under a table span its width."""
    for name in book.sheetnames[1:-1]:
        sheet = book[name]
        notes = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value == "Notes")
        assert all(merged.min_row > notes for merged in sheet.merged_cells.ranges), name


def test_table_sheet_notes_are_numbered(book):
    sheet = book["Stakeholder mix"]
    assert sheet["A13"].value == "Notes"
    assert [sheet.cell(r, 1).value for r in range(14, 17)] == [
        "1. Wave 1 (2012) has a base of 10, under 30: its percentages are indicative only.",
        "2. Cells under 3 interviews are suppressed ([c]), with others so they cannot be worked out from totals.",
        "3. Made by run run-fixture-1, 2026-11-01 10:30 UTC; sources, methods and how to read [c]: see the Read me.",
    ]
    assert "A14:D14" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A14"].alignment.wrap_text


def test_groups_are_blocks_of_their_own_sheet_and_untested_changes_say_so(book):
    """All interviews on the sheet a report quotes; each group its block, a page each, on the 'by group' sheet."""
    assert cells(book["Awareness"], 4, 10) == [
        [None, "Wave 1 (2012)", "Wave 2 (2013)", "Change (pp)", "Test"],
        ["All interviews (base)", "10", "15", None, None],
        ["Awareness of the theory", None, None, None, None],
        ["Heard of it", "3 of 10 (30%)", "3 of 15 (20%)", -10, "n.s. (p 1.0)"],
        ["Aware", "4 of 10 (40%)", "4 of 15 (27%)", -13, "n.s. (p 1.0)"],
        ["Very familiar", "3 of 10 (30%)", "8 of 15 (53%)", 23, "n.s. (p 1.0)"],
        ["Recalls the peer challenge offer", "5 of 10 (50%)", "14 of 15 (93%)", 43, "up (p 0.024)"],
    ]
    assert cells(book["Awareness by group"], 5, 7) == [
        ["Senior civil servants (base)", "6", "5", None, None],
        ["Awareness of the theory", None, None, None, None],
        ["Aware", "3 of 6 (50%)", "3 of 5 (60%)", 10, "not tested"],
    ]


def test_formula_text_is_neutralised_in_the_workbook(book):
    sheet = book["Improvement"]
    codes = [sheet[f"A{r}"] for r in range(6, 10)]
    assert [c.value for c in codes] == ['\'=HYPERLINK("http://example.com","click")', "'+1", "'-2+3", "'@SUM(1)"]
    assert {c.data_type for c in codes} == {"s"}
    assert sheet["D6"].value == -23 and sheet["D6"].data_type == "n"
    quotes = book["Quotes"]
    assert [quotes.cell(4, c).value for c in range(1, 8)] == list(QUOTES.columns)
    assert quotes["F6"].value == '\'=HYPERLINK("http://example.com","click") and call [phone redacted]'
    assert quotes["F7"].value == "'@SUM(1) is not what [organisation redacted] meant"
    assert quotes.freeze_panes == "A5"
    assert quotes.auto_filter.ref == "A4:G7"


@pytest.mark.parametrize("waves", [4, 5])
def test_a_tracker_s_quote_sheet_holds_its_compared_waves_and_the_csv_every_wave(tmp_path, waves):
    """Up to four waves the Quotes sheet is the whole bank; beyond, the excerpts of the first, previous and
    latest waves, saying so, while quote_bank.csv keeps every wave's."""
    labels = [f"Wave {i}" for i in range(1, waves + 1)]
    empty = {"rows": ROW_TYPES, "values": VALUE_TYPES, "changes": CHANGE_TYPES}
    table = dataclasses.replace(RISK_MENTIONS, waves=tuple(Wave(f"w{i}", label) for i, label in enumerate(labels, 1)),
                                **{part: typed(pd.DataFrame(), types) for part, types in empty.items()})
    bank = pd.DataFrame({column: [f"{column} {i}" for i in range(2 * waves)] for column in QUOTE_COLUMNS})
    bank["Wave"] = [label for label in labels for _ in range(2)]
    write_workbook([table], bank, tmp_path / "book.xlsx", RUN, ("Bank note.",))
    book = openpyxl.load_workbook(tmp_path / "book.xlsx")
    rows = [row for row in book["Quotes"].iter_rows(min_row=5, values_only=True)]
    readme = {row[0]: row[1] for row in book["Read me"].iter_rows(values_only=True)}
    if waves == 4:
        assert [row[0] for row in rows[:8]] == ["Wave 1", "Wave 1", "Wave 2", "Wave 2", "Wave 3", "Wave 3",
                                                 "Wave 4", "Wave 4"]
        assert rows[9][0] == "Notes" and rows[10][0] == "Bank note."
        assert readme["Quotes"] == "Quote bank: excerpts attributed by role only"
    else:
        assert [row[0] for row in rows[:6]] == ["Wave 1", "Wave 1", "Wave 4", "Wave 4", "Wave 5", "Wave 5"]
        assert rows[6][0] is None and rows[7][0] == "Notes"
        assert rows[8][0] == ("This sheet holds the excerpts of the waves the tables compare (Wave 1, Wave 4, "
                              "Wave 5): 6 of the bank's 10. quote_bank.csv holds every wave's.")
        assert rows[9][0] == "Bank note."
        assert readme["Quotes"] == "Quote bank: excerpts attributed by role only, of the compared waves"
    write_csv_files([table], bank, tmp_path)
    with (tmp_path / "quote_bank.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [row["Wave"] for row in csv.DictReader(handle)] == [label for label in labels for _ in range(2)]


def test_read_me_sheet_says_what_each_sheet_holds(book):
    sheet = book["Read me"]
    assert sheet["A1"].value == "Sector-led improvement: stakeholder perceptions: read me"
    listed = [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(5, 13)]
    assert listed[:3] == [
        ("Stakeholder mix", "Stakeholder mix by wave, all interviews: interviews by stakeholder group and the other "
                            "dimensions of the sample; n of N (%) for each wave, then the change."),
        ("Awareness", "Awareness of sector-led improvement by wave, all interviews: each code's levels in codebook "
                      "order, after their net; n of N (%) for each wave, then the change and its test."),
        ("Awareness by group", "Awareness of sector-led improvement by wave, Senior civil servants: each code's "
                               "levels in codebook order, after their net; n of N (%) for each wave, then the change "
                               "and its test."),
    ]
    assert listed[-1] == ("Quotes", "Quote bank: excerpts attributed by role only")
    assert sheet["A5"].hyperlink.location == "'Stakeholder mix'!A1"
    notes = [sheet.cell(r, 1).value for r in range(15, 15 + 9)]
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


def test_csv_files_are_long_numeric_excel_ready_and_neutralised(release):
    """For analysts: one row per printed row and wave, numbers as numbers (a withheld count empty and flagged),
    the interval in two columns; text a spreadsheet would run is neutralised."""
    folder, _ = release
    raw = (folder / "theme_improvement.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(folder / "theme_improvement.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["row", "group", "code_id", "label", "level", "is_base", "is_net", "wave_id", "wave", "n",
                       "base", "pct", "ci_low", "ci_high", "withheld", "words"]
    assert rows[1] == ["0", "All", "", "", "", "true", "false", "2012", "Wave 1 (2012)", "10", "10", "", "", "",
                       "false", ""]
    assert [r[3] for r in rows[3::2]] == ['\'=HYPERLINK("http://example.com","click")', "'+1", "'-2+3", "'@SUM(1)"]
    assert rows[3][7:] == ["2012", "Wave 1 (2012)", "5", "10", "50.0", "23.7", "76.3", "false", "half"]
    with open(folder / "stakeholder_mix.csv", encoding="utf-8-sig", newline="") as handle:
        mix = list(csv.DictReader(handle))
    withheld = [m for m in mix if m["label"] == "face_to_face" and m["wave_id"] == "2013"]
    assert [(m["n"], m["base"], m["pct"], m["withheld"]) for m in withheld] == [("", "15", "", "true")]
    with open(folder / "changes.csv", encoding="utf-8-sig", newline="") as handle:
        changes = list(csv.DictReader(handle))
    [peer] = [c for c in changes if c["label"] == "Recalls the peer challenge offer"]
    assert (peer["table"], peer["change_pp"], peer["tested"], peer["p_adjusted"], peer["test"]) == (
        "awareness", "43.3", "true", "0.024", "up, p = 0.006 (adjusted 0.024)")
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
    rows = RISK_MENTIONS.rows.replace("Lack of evidence of improvement", r"Costs $\x$, $5 or $10")
    write_charts([dataclasses.replace(RISK_MENTIONS, rows=rows)], tmp_path, RUN)
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
        "- Awareness of sector-led improvement by wave, All interviews · Recalls the peer challenge offer: "
        "from 5 of 10 (50%) in Wave 1 (2012) to 14 of 15 (93%) in Wave 2 (2013), +43 pp; "
        "test: up, p = 0.006 (adjusted 0.024).",
        "- Confidence in sector-led improvement by wave, All interviews · Confidence in the theory · Cautious: from 6 of 10 "
        "(60%) in Wave 1 (2012) to 5 of 15 (33%) in Wave 2 (2013), -27 pp; test: no significant change, "
        "p = 0.238 (adjusted 0.476).",
        "- Confidence in sector-led improvement by wave, All interviews · Confidence in the theory · Confident: from 4 of 10 "
        "(40%) in Wave 1 (2012) to 10 of 15 (67%) in Wave 2 (2013), +27 pp; test: no significant change, "
        "p = 0.238 (adjusted 0.476).",
        "- Risks mentioned by wave, All interviews · Lack of evidence of improvement: from 3 of 10 (30%) in Wave 1 (2012) "
        "to 9 of 15 (60%) in Wave 2 (2013), +30 pp; test: no significant change, p = 0.227 (adjusted 0.681).",
        "- Awareness of sector-led improvement by wave, All interviews · Awareness of the theory · Very familiar: from 3 of 10 "
        "(30%) in Wave 1 (2012) to 8 of 15 (53%) in Wave 2 (2013), +23 pp; test: no significant change, "
        "p = 0.414 (adjusted 1.000).",
    ]
    assert "![Risk mentions](charts/risk_mentions.png)" in lines
    # on bases under 100 the page states % and change whole; the CSV files keep the decimal (the CSV test above)
    assert lines[lines.index("### Table 2: Awareness of sector-led improvement by wave") + 2:][:10] == [
        "|  | Wave 1 (2012) | Wave 2 (2013) | Change (pp) | Test |",
        "| --- | ---: | ---: | ---: | ---: |",
        "| **All interviews (base)** | **10** | **15** |  |  |",
        "| **Awareness of the theory** |  |  |  |  |",
        "| Heard of it | 3 of 10 (30%) | 3 of 15 (20%) | -10 | n.s. (p 1.0) |",
        "| Aware | 4 of 10 (40%) | 4 of 15 (27%) | -13 | n.s. (p 1.0) |",
        "| Very familiar | 3 of 10 (30%) | 8 of 15 (53%) | +23 | n.s. (p 1.0) |",
        "| Recalls the peer challenge offer | 5 of 10 (50%) | 14 of 15 (93%) | +43 | up (p 0.024) |",
        "| **Senior civil servants (base)** | **6** | **5** |  |  |",
        "| **Awareness of the theory** |  |  |  |  |",
    ]
    assert ("- Changes are in percentage points (pp), for the latest wave against the one before and, with three or "
            "more waves, the first against the latest; other differences between waves are not shown as changes.") in lines


def test_the_report_says_plainly_when_no_change_was_tested():
    untested = [dataclasses.replace(t, changes=t.changes.assign(tested=False)) for t in TABLES]
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

    mix = banner("stakeholder_mix", "Stakeholder mix",
                 [base(("", "Base (interviews)"), 10, 20), group("Regulators", 4, 10), group("Councils", 3, 5),
                  group("Charities", 3, 5)], tested=False)
    assert mix_shifts(mix) == {(W1, W2): ["Regulators 40% → 50%"]}  # +10 points is named; -5 is not
    steady = banner("stakeholder_mix", "Stakeholder mix",
                    [base(("", "Base (interviews)"), 10, 20), group("Regulators", 4, 8), group("Councils", 6, 12)],
                    tested=False)
    assert mix_shifts(steady) == {} and mix_shift_notes(steady) == ()


def test_markdown_escapes_what_would_break_a_table():
    assert md("a|b *c* <i>\nd") == "a\\|b \\*c\\* \\<i\\> d"


def test_html_escapes_text_from_the_data():
    table = dataclasses.replace(RISK_MENTIONS, title="<script>alert(1)</script> & co")
    html = render_html([printed(table)], [], [], RUN)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_the_report_keeps_one_decimal_from_a_base_of_100():
    table = banner("risk_mentions", "Risks", [
        base(("All", "Base (interviews)"), 200, 99),
        (("All", "Cost"), [81, 200, 40.5, "81 of 200", "33.9–47.4%", ""], [40, 99, 40.4, "40 of 99", "31.3–50.3%", ""],
         [-0.1, "no significant change, p = 1.0 (adjusted 1.0)", 1.0, 1.0]),
    ])
    # wave 1 (base 200) as published; wave 2 (base 99) whole: 40.40% -> 40; the change has a base under 100:
    # 100 * (40/99 - 81/200) = -0.096 -> 0
    assert printed(table).texts[1].tolist() == ["Cost", "81 of 200 (40.5%)", "40 of 99 (40%)", "0", "n.s. (p 1.0)"]


def test_the_report_offers_each_table_to_copy_into_word(release):
    folder, _ = release
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html.count('<button type="button" class="copy" data-table="table-') == len(TABLES)
    assert '<caption style="caption-side: top; text-align: left; font-weight: bold; padding-bottom: 4pt;">Table 2: ' \
           'Awareness of sector-led improvement by wave</caption>' in html
    assert "navigator.clipboard.write" in html and 'document.execCommand("copy")' in html


def test_a_typed_csv_column_with_no_text_is_written_empty(tmp_path):
    """A one-wave table has no change, so its changes' test column holds no text at all."""
    frame = pd.DataFrame({"test": pd.Series([None, None], dtype=object), "n": pd.array([1, None], dtype="Int64")})
    path = write_typed_csv(frame, tmp_path / "empty.csv")
    assert path.read_bytes() == "\ufefftest,n\r\n,1\r\n,\r\n".encode()
