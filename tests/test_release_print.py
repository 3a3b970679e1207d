"""The workbook as a report writer prints it: LibreOffice (headless) turns it into a PDF at the sheets' own
settings, 100% scale, and each core table of the example study, and of a four-wave study, is one portrait A4
page at 9 pt. Every page's header names its sheet (the workbook sets "&A"), so pages are counted per sheet.

LibreOffice (`libreoffice-calc-nogui`) and Carlito (the metric twin of Excel's default font, so columns are
as wide as in Excel) are Debian packages that `make test` installs.
"""

from __future__ import annotations

import collections
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from support import EXAMPLE, add_wave, run_pipeline

pytestmark = pytest.mark.e2e
CORE = ("Stakeholder mix", "Awareness", "Confidence", "Risk mentions")
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def printed(workbook: Path, folder: Path) -> Path:
    """The workbook printed to PDF by LibreOffice, with a profile of its own (parallel tests share no lock)."""
    profile = (folder / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(folder), str(workbook)], check=True, capture_output=True, timeout=240)
    return folder / workbook.with_suffix(".pdf").name


def pages_per_sheet(pdf: Path) -> collections.Counter:
    """Pages by the sheet name each page's header prints first."""
    return collections.Counter(page.extract_text().split("\n")[0] for page in PdfReader(pdf).pages)


def released(study: Path, work: Path) -> Path:
    assert run_pipeline(study, work).is_completed()
    return work / "processed" / "current" / "release" / "wave_comparison.xlsx"


def check_print_settings(book: openpyxl.Workbook) -> None:
    """Portrait A4 at 100% (no fit-to-page), and the tables' text at 9 pt."""
    for name in CORE:
        sheet = book[name]
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.scale) == ("portrait", 9, None), name
        assert not sheet.sheet_properties.pageSetUpPr or not sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert {sheet.cell(r, 2).font.sz for r in range(5, 9)} == {9}, name


def test_each_core_table_of_the_example_is_one_portrait_page(example_published, tmp_path):
    workbook = example_published / "processed" / "current" / "release" / "wave_comparison.xlsx"
    book = openpyxl.load_workbook(workbook)
    check_print_settings(book)
    for sheet in book.worksheets[1:-1]:  # no merged cell from the header down to the notes
        notes = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value == "Notes")
        assert all(merged.min_row > notes for merged in sheet.merged_cells.ranges), sheet.title
    # two waves: the row text, a column per wave, the change (and, but for the mix, its test)
    assert [book[name].max_column for name in CORE] == [4, 5, 5, 5]
    pages = pages_per_sheet(printed(workbook, tmp_path))
    assert [pages[name] for name in CORE] == [1, 1, 1, 1], pages
    # each group's block starts a page of its own on the "by group" sheets: two groups, two pages
    assert pages["Awareness by group"] == 2


def test_each_core_table_of_four_waves_is_one_portrait_page(tmp_path):
    study = shutil.copytree(EXAMPLE, tmp_path / "study")
    add_wave(study, 2014)
    add_wave(study, 2015)
    workbook = released(study, tmp_path)
    book = openpyxl.load_workbook(workbook)
    check_print_settings(book)
    # four waves: the row text, four waves, then the change since the previous and since the first wave (each
    # with its test, but for the mix)
    assert [book[name].max_column for name in CORE] == [7, 9, 9, 9]
    assert [book["Awareness"].cell(4, c).value for c in range(1, 10)] == [
        None, "Wave 1 (June-July 2012)", "Wave 2 (October-November 2013)", "Wave 3 (October-November 2014)",
        "Wave 4 (October-November 2015)", "Change since previous (pp)", "Test", "Change since first (pp)", "Test"]
    pages = pages_per_sheet(printed(workbook, tmp_path))
    assert [pages[name] for name in CORE] == [1, 1, 1, 1], pages


def test_five_waves_are_a_trend_a_row_to_a_line_with_percentages_as_numbers(tmp_path):
    study = shutil.copytree(EXAMPLE, tmp_path / "study")
    for year in (2014, 2015, 2016):
        add_wave(study, year)
    sheet = openpyxl.load_workbook(released(study, tmp_path))["Awareness"]
    assert [sheet.cell(4, c).value for c in range(1, 11)] == [
        None, "Wave 1 (June-July 2012)", "Wave 2 (October-November 2013)", "Wave 3 (October-November 2014)",
        "Wave 4 (October-November 2015)", "Wave 5 (October-November 2016)", "Change since previous (pp)", "Test",
        "Change since first (pp)", "Test"]
    # All's base, then aware_theory's heading and its net: 5 of 10 (50%), then 13 of 15 (87%) in each copy of
    # 2013. First against latest: Fisher p = 0.0752 (scipy, 5/10 v 13/15); Holm over the 17 tests of All in
    # that family (bases under 10 are not tested): it ranks among the first few, so p × 14 or more > 1: 1.0
    assert [sheet.cell(5, c).value for c in range(1, 7)] == ["All interviews (base)", 10, 15, 15, 15, 15]
    assert [sheet.cell(7, c).value for c in range(1, 11)] == [
        "Net: aware or very familiar", 50.0, 86.7, 86.7, 86.7, 86.7, 0, "n.s. (p 1.0)", 37, "n.s. (p 1.0)"]
    # the numbers keep their decimal; bases under 100 show them whole, as the report does
    assert (sheet.cell(7, 2).number_format, sheet.cell(7, 7).number_format, sheet.cell(7, 9).number_format) == (
        "0", "+0;-0;0", "+0;-0;0")
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
