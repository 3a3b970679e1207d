"""Tabular exports of coding tools, recognised by their content: the real Taguette export and NVivo matrices in
tests/data/qda-samples (counts from reading them; see its README), and MAXQDA and ATLAS.ti exports the tests
write in those tools' layouts (the samples have none)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from support import write_csv, write_xlsx
from wavecompare.qda.archive import Refused
from wavecompare.qda.recognise import read_export

SAMPLES = Path(__file__).parent / "data" / "qda-samples"
MATRICES = SAMPLES / "nvivo" / "matrix-coding-query"


def test_taguette_export_has_701_tag_rows_on_498_highlights_in_9_documents():
    export = read_export(SAMPLES / "taguette" / "all_tags.xlsx")
    codings = export.codings
    assert export.kind == "Taguette highlights export"
    assert len(export.documents) == 9 and len(export.codes) == 13
    assert len(codings) == 701 and codings.record.nunique() == 498
    assert "barriers/challenges" in export.codes  # a slash is part of a Taguette tag's name
    assert codings.iloc[:3][["document", "source_code", "record"]].values.tolist() == [
        ["Zaccari #2 (Aaron)", "teacher characteristics", "1610865"],
        ["Zaccari #2 (Aaron)", "teacher characteristics", "1610867"],
        ["Zaccari #2 (Aaron)", "teaching to veterans", "1610867"]]
    assert codings.iloc[0].excerpt == "a complementary integrative health (CIH) nurse"


def test_an_export_is_recognised_by_its_content_not_its_name(tmp_path):
    renamed = shutil.copy(SAMPLES / "taguette" / "all_tags.xlsx", tmp_path / "highlights.dat")
    assert read_export(Path(renamed)).kind == "Taguette highlights export"
    project = shutil.copy(SAMPLES / "qc" / "demo.qdpx", tmp_path / "coding.zip")
    assert read_export(Path(project)).kind == "REFI-QDA project (qc 1.3.2; positions in code points)"


def test_taguette_csv_export_reads_as_its_workbook(tmp_path):
    book = openpyxl.load_workbook(SAMPLES / "taguette" / "all_tags.xlsx", read_only=True)
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    path = write_csv(tmp_path / "highlights.csv", rows[0], rows[1:])
    from_csv, from_xlsx = read_export(path), read_export(SAMPLES / "taguette" / "all_tags.xlsx")
    assert from_csv.codings.equals(from_xlsx.codings)


# Coding references per matrix file, from the README's table (read from the files by hand).
REFERENCES = {"Int01_ID731": 6, "Int02_ID121": 9, "Int03_ID54": 5, "Int04_ID31": 2, "Int05_ID33": 4,
              "Int06_ID12": 4, "Int07_ID17": 6, "Int08_ID85": 3, "Int09_ID77": 5, "Int10_ID32": 2,
              "Int11_ID21": 3, "Int12_ID72": 3, "Int13_ID14": 4, "Int14_ID18": 5, "Int15_ID112": 4}


def test_nvivo_matrices_hold_65_coding_references_and_name_their_case_in_the_header():
    exports = {path.stem: read_export(path) for path in sorted(MATRICES.glob("*.xlsx"))}
    assert {stem: int(e.codings.references.sum()) for stem, e in exports.items()} == REFERENCES
    assert exports["Int05_ID33"].documents == ("Int11_ID33",)  # the case label, not the file's name
    assert exports["Int11_ID21"].documents == ("Int05_ID21",)
    assert len(exports["Int01_ID731"].codes) == 18 and len(exports["Int15_ID112"].codes) == 3
    first = exports["Int01_ID731"].codings
    assert first[["source_code", "record", "references"]].values.tolist() == [
        ["Doesn't often think about insects", "B2", 2], ["Insects are economically important", "B3", 1],
        ["Insects are agriculturally important", "B4", 1], ["Insects have pharmaceutical benefit", "B5", 1],
        ["Insects may be a future food source", "B6", 1]]
    assert set(first.document) == {"Int01_ID731"}


MAXQDA = {
    "English": ["Color", "Document group", "Document name", "Code", "Begin", "End", "Weight score", "Segment"],
    "German": ["Farbe", "Dokumentgruppe", "Dokumentname", "Code", "Anfang", "Ende", "Gewicht", "Segment"],
}


@pytest.mark.parametrize("language", MAXQDA)
def test_a_maxqda_coded_segments_export_in_english_or_german(tmp_path, language):
    path = write_xlsx(tmp_path / "segments.xlsx", MAXQDA[language], [
        ["#ff0000", "Wave 1", "A1 ", "Risks\\Cost", 3, 4, 0, "It will cost more."],
        ["#ff0000", "Wave 1", "A1", "Awareness\\Theory\\Very familiar", 1, 1, 0, "I know it well."],
        ["#ff0000", "Wave 1", "B2", "Risks\\Cost", 7, 7, 0, "Too dear."]])
    export = read_export(path)
    assert export.kind == "MAXQDA coded segments export"
    assert export.documents == ("A1", "B2")
    assert export.codes == ("Risks\\Cost", "Awareness\\Theory\\Very familiar")
    assert export.codings[["document", "source_code", "record", "start", "end", "excerpt"]].values.tolist() == [
        ["A1", "Risks\\Cost", "row 2", 3, 4, "It will cost more."],
        ["A1", "Awareness\\Theory\\Very familiar", "row 3", 1, 1, "I know it well."],
        ["B2", "Risks\\Cost", "row 4", 7, 7, "Too dear."]]


def test_an_atlas_ti_quotation_with_several_codes_in_one_cell_is_a_coding_of_each(tmp_path):
    path = write_xlsx(tmp_path / "quotations.xlsx", ["ID", "Quotation Name", "Document", "Codes", "Quotation Content"], [
        ["1:1", "It will cost", "Interview 1", "Risk: cost\nAwareness: high\n", "It will cost more."],
        ["1:2", "Fine", "Interview 1", None, "Fine."],
        ["2:1", "Dear", "Interview 2", "Risk: cost", "Too dear."]])
    export = read_export(path)
    assert export.kind == "ATLAS.ti quotation manager export"
    assert export.documents == ("Interview 1", "Interview 2")
    assert export.codings[["document", "source_code", "record"]].values.tolist() == [
        ["Interview 1", "Risk: cost", "1:1"], ["Interview 1", "Awareness: high", "1:1"],
        ["Interview 2", "Risk: cost", "2:1"]]


def test_an_export_of_no_known_layout_is_refused_with_what_was_looked_for(tmp_path):
    path = write_csv(tmp_path / "export.csv", ["Interview", "Theme"], [["A1", "cost"]])
    with pytest.raises(Refused) as refused:
        read_export(path)
    assert str(refused.value) == (
        "the export is not one this tool reads. Its first row holds 'Interview', 'Theme'; looked for a REFI-QDA "
        "project (.qdpx), Taguette highlights export (id, document, tag, content); MAXQDA coded segments export "
        "(document name, code, segment); ATLAS.ti quotation manager export (document, codes, quotation content), "
        "or an NVivo matrix coding query (A1 empty, 'A : <case>' across, '1 : <code>' down)")


def test_a_formula_in_an_export_refuses_it_naming_the_cell(tmp_path):
    path = tmp_path / "highlights.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "document", "tag", "content"])
    book.active.append(["1", "A1", "cost", '=HYPERLINK("http://evil.example","click")'])
    book.save(path)
    with pytest.raises(Refused) as refused:
        read_export(path)
    assert str(refused.value) == ("cell D2 of sheet 'Sheet': the cell holds a formula, not a value: copy the column "
                                  "and paste it back as values")


BAD = [
    ("matrix.xlsx", [None, "A : Int01"], [["1 : Cost", "two"]],
     "cell B2 of sheet 'Sheet' is 'two', not a whole number of coding references"),
    ("segments.xlsx", ["Document name", "Code", "Segment", "Begin"], [["A1", "Risks", "text", "p. 4"]],
     "row 2: the segment's start 'p. 4' is not a whole number"),
    ("highlights.csv", ["id", "document", "tag", "content"], [["1", None, "cost", "text"]],
     "row 2 has no document ('document' is empty)"),
]


@pytest.mark.parametrize(("name", "header", "rows", "message"), BAD, ids=["matrix count", "position", "document"])
def test_a_bad_cell_refuses_the_export_naming_it(tmp_path, name, header, rows, message):
    write = write_xlsx if name.endswith(".xlsx") else write_csv
    path = write(tmp_path / name, header, rows)
    with pytest.raises(Refused) as refused:
        read_export(path)
    assert str(refused.value) == message


SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def as_xls(workbook: Path, folder: Path) -> Path:
    """The workbook saved as Excel 97–2003 by LibreOffice (with a profile of its own)."""
    subprocess.run([SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--convert-to",
                    "xls", "--outdir", str(folder), str(workbook)], check=True, capture_output=True, timeout=240)
    return folder / workbook.with_suffix(".xls").name


def test_an_old_excel_workbook_reads_as_the_same_export_saved_as_xlsx(tmp_path):
    """MAXQDA's coded segments saved as .xls (by LibreOffice, a real writer of the format): the same codings."""
    xlsx = write_xlsx(tmp_path / "segments.xlsx", MAXQDA["English"], [
        ["#ff0000", "Wave 1", "A1", "Risks\\Cost", 3, 4, 0, "It will cost more."],
        ["#ff0000", "Wave 1", "B2", "Awareness\\High", 7, 7, 0, "I know it."]])
    (tmp_path / "old").mkdir()
    old = as_xls(xlsx, tmp_path / "old")
    assert old.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 file, as .xls files are
    assert read_export(old).codings.equals(read_export(xlsx).codings)


def test_an_old_workbook_that_is_not_one_or_a_csv_not_in_utf8_is_refused(tmp_path):
    old = tmp_path / "all_tags.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE2 header and nothing else
    with pytest.raises(Refused, match=r"^the workbook could not be opened \(CompDocError\)$"):
        read_export(old)
    latin = tmp_path / "highlights.csv"
    latin.write_bytes("id,document,tag,content\n1,A1,coût,text\n".encode("cp1252"))
    with pytest.raises(Refused, match=r"^the file is not UTF-8 text; save it as 'CSV UTF-8'$"):
        read_export(latin)


def test_an_error_cell_in_an_old_workbook_refuses_it_naming_the_cell(tmp_path):
    xlsx = write_xlsx(tmp_path / "broken.xlsx", ["id", "document", "tag", "content"], [["1", "A1", "cost", "=1/0"]])
    (tmp_path / "old").mkdir()
    with pytest.raises(Refused) as refused:
        read_export(as_xls(xlsx, tmp_path / "old"))  # LibreOffice stores the formula's result: #DIV/0!
    assert str(refused.value) == ("cell D2 of sheet 'Sheet': the cell holds an Excel error value: enter the value, "
                                  "or leave the cell empty")


def test_a_damaged_zip_is_refused_not_a_traceback(tmp_path):
    """A file that starts as a zip's end record would (is_zipfile says yes) but whose directory is garbage."""
    damaged = tmp_path / "coding.qdpx"
    damaged.write_bytes(b"PK\x05\x06" + b"\x00" * 6 + b"\x01\x00" + b"\xff" * 8 + b"\x00\x00")
    with pytest.raises(Refused, match=r"^the file is a damaged zip archive \("):
        read_export(damaged)
