"""The bad-input corpus: each case breaks one rule of the input contract in a copy of the tiny study and asserts
the exact rule named in the message. The corpus runs through the study check (support.check: the run's own steps
of wavecompare.studycheck, without Prefect); a few cases, one per stage, run the command line on a published study
and assert the exit status, the whole message and that the published tables and warehouse are byte-for-byte
unchanged."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from support import HEADERS, INTERVIEWS, WAVES, check, run, write_csv, write_tiny_study, write_xlsx


def published_files(work):
    """Everything a run publishes: the warehouse and the current run's tables (not validation reports)."""
    files = [work / "warehouse.duckdb", *sorted((work / "processed" / "current").glob("*.*"))]
    assert len(files) > 10
    return {p.relative_to(work).as_posix(): p.read_bytes() for p in files}


@pytest.fixture
def study(tmp_path):
    return write_tiny_study(tmp_path / "study")


@pytest.fixture
def published(tiny_work):
    return tiny_work / "study", tiny_work, published_files(tiny_work)


def append(path, line):
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def interviews_2020_with(*changed):
    """The 2020 interviews with rows replaced by index: (index, row)."""
    rows = [list(r) for r in INTERVIEWS["2020"]]
    for index, row in changed:
        rows[index] = row
    return rows


def workbook_bytes(build):
    workbook = openpyxl.Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_on_second_sheet(study):
    def build(workbook):
        workbook.active.title = "Notes"
        data = workbook.create_sheet("Data")
        data.append(HEADERS["waves"])
        for row in WAVES:
            data.append(row)
    (study / "waves.csv").unlink()
    (study / "waves.xlsx").write_bytes(workbook_bytes(build))


def xlsx_merged_header(study):
    def build(workbook):
        sheet = workbook.active
        sheet.append(["interview_id", "code_id", "value", "excerpt"])
        sheet.append(["Coded by", None, None, None])
        sheet.insert_rows(1)
        sheet["A1"], sheet["C1"] = "Interview", "Coding"
        sheet.merge_cells("A1:B1")
        sheet.merge_cells("C1:D1")
    (study / "2021" / "responses.csv").unlink()
    (study / "2021" / "responses.xlsx").write_bytes(workbook_bytes(build))


def xlsx_with_formula(study):
    rows = [list(r) for r in INTERVIEWS["2021"]]
    rows[1][6] = "=B3*2"
    (study / "2021" / "interviews.csv").unlink()
    write_xlsx(study / "2021" / "interviews.xlsx", HEADERS["interviews"], rows)


def xlsx_with_error_cell(study):
    rows = [list(r) for r in INTERVIEWS["2021"]]
    rows[0][6] = "#N/A"
    (study / "2021" / "interviews.csv").unlink()
    path = write_xlsx(study / "2021" / "interviews.xlsx", HEADERS["interviews"], rows)
    workbook = openpyxl.load_workbook(path)
    workbook.active["G2"].data_type = "e"
    workbook.save(path)


def zip_bomb(study):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"0" * (64 * 1024 * 1024) + b"</a>")
    (study / "codebook.csv").unlink()
    (study / "codebook.xlsx").write_bytes(buffer.getvalue())


CASES = [
    # The study's layout.
    ("missing waves file", lambda s: (s / "waves.csv").unlink(),
     "- waves.csv: the file is missing: expected waves.csv or waves.xlsx"),
    ("missing responses file", lambda s: (s / "2021" / "responses.csv").unlink(),
     "- 2021/responses.csv: the file is missing: expected responses.csv or responses.xlsx"),
    ("two interviews files", lambda s: write_xlsx(s / "2020" / "interviews.xlsx", HEADERS["interviews"], []),
     "- 2020/interviews: there is more than one file for this table; keep only one of interviews.csv, interviews.xlsx"),
    ("wave folder not declared", lambda s: shutil.copytree(s / "2020", s / "2019"),
     "- 2019/: this wave folder is not declared in waves.csv: add a row for it or move the folder out of the study: "
     "'2019'"),
    # Files that are not tables.
    ("empty file", lambda s: (s / "codebook.csv").write_bytes(b""),
     "- codebook.csv: the file is empty: it has no header row"),
    ("header only", lambda s: write_csv(s / "codebook.csv", HEADERS["codebook"], []),
     "- codebook.csv: the file has a header row but no data rows"),
    ("responses header only", lambda s: write_csv(s / "2021" / "responses.csv", HEADERS["responses"], []),
     "- 2021/responses.csv: the file has a header row but no data rows"),
    ("picture renamed csv", lambda s: (s / "2022" / "responses.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
     "- 2022/responses.csv: the file is not a text table (it holds binary data); save it as CSV or XLSX"),
    ("semicolon export", lambda s: (s / "waves.csv").write_text("wave_id;label;fieldwork_start;fieldwork_end\n2020;A;x;y\n"),
     "- waves.csv: the file is separated by semicolons; save it as comma-separated CSV: "
     "row 1 'wave_id;label;fieldwork_start;fieldwork_end'"),
    ("neither utf-8 nor windows-1252", lambda s: (s / "waves.csv").write_bytes(b"wave_id,label\n\x81\x8d,\x90\n"),
     "- waves.csv: the file is neither UTF-8 nor Windows-1252 text"),
    ("text renamed xlsx", lambda s: ((s / "codebook.csv").rename(s / "codebook.xlsx")),
     "- codebook.xlsx: the file is not a valid Excel workbook (.xlsx)"),
    ("zip bomb", zip_bomb,
     "- codebook.xlsx: the workbook unpacks to an implausible size; it was not opened (possible zip bomb)"),
    ("data not on first sheet", xlsx_on_second_sheet,
     "- waves.xlsx: the first sheet ('Notes') is empty: it has no header row; the data seems to be on sheet 'Data': "
     "move it to the front"),
    # Headers.
    ("missing required column", lambda s: write_csv(s / "codebook.csv", ["code_id", "theme", "label", "levels"],
                                                    [["aware", "awareness", "A", "x|y"]]),
     "- codebook.csv: required column(s) missing from the header row: kind: row 1 'code_id, theme, label, levels'"),
    ("repeated header", lambda s: replace(s / "2020" / "interviews.csv", "duration_minutes", "Mode"),
     "- 2020/interviews.csv: two headers name the same column 'mode': row 1 'Mode'"),
    ("empty header cell", lambda s: replace(s / "2020" / "responses.csv", "code_id,", ","),
     "- 2020/responses.csv: header cell 2 is empty: every column needs a name (merged header cells count as empty)"),
    ("merged header cells", xlsx_merged_header,
     "- 2021/responses.xlsx: header cell 2 is empty: every column needs a name (merged header cells count as empty)"),
    # Cells and rows that cannot be read.
    ("formula cell", xlsx_with_formula,
     "- 2021/interviews.xlsx, column duration_minutes: the cell holds a formula, not a value: copy the column and "
     "paste it back as values: 1 row(s) affected: interview B2: '=B3*2' (row 3)"),
    ("excel error cell", xlsx_with_error_cell,
     "- 2021/interviews.xlsx, column duration_minutes: the cell holds an Excel error value: enter the value, or leave "
     "the cell empty: 1 row(s) affected: interview B1: '#N/A' (row 2)"),
    ("row with too many fields", lambda s: append(s / "2021" / "responses.csv", "B1,risk_b,,note,extra"),
     "- 2021/responses.csv: the row has more fields than the header (is a comma missing its quotes?): "
     "1 row(s) affected: row 4 'B1,risk_b,,note,extra'"),
    ("field of several megabytes", lambda s: append(s / "2021" / "responses.csv", "B1,risk_b,," + "x" * 3_000_000),
     "- 2021/responses.csv: the row holds more than 100,000 characters of text: 1 row(s) affected: "
     "interview B1, code risk_b: '3,000,008 characters' (row 4)"),
    ("line longer than accepted", lambda s: append(s / "2021" / "responses.csv", "B1,risk_b,," + "y" * 9_000_000),
     "- 2021/responses.csv: the row is longer than the largest row accepted (8388608 bytes): 1 row(s) affected: "
     "row 4 'B1,risk_b,,yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy…'"),
    # waves.csv
    ("declared wave without folder", lambda s: append(s / "waves.csv", "2023,Wave D,2023-03-01,2023-03-31,"),
     "- waves.csv, column wave_id: there is no folder for this wave: create a folder named after the wave_id holding "
     "its interviews and responses: 1 row(s) affected: row 5 '2023'"),
    ("wave without interviews", lambda s: write_csv(s / "2021" / "interviews.csv", HEADERS["interviews"], []),
     "- waves.csv, column wave_id: the wave has no interviews: its interviews file holds no rows: "
     "1 row(s) affected: row 4 '2021'"),
    ("planned interviews differ", lambda s: replace(s / "waves.csv", "2022-03-31,4", "2022-03-31,5"),
     "- waves.csv, column planned_interviews: the number of interviews in the wave differs from planned_interviews: "
     "1 row(s) affected: wave 2022: '5' (row 2)"),
    ("planned not a whole number", lambda s: replace(s / "waves.csv", "2022-03-31,4", "2022-03-31,four"),
     "- waves.csv, column planned_interviews: not a whole number of interviews: 1 row(s) affected: wave 2022: 'four' (row 2)"),
    ("wave declared twice", lambda s: append(s / "waves.csv", "2020,Wave A again,2020-03-01,2020-03-31,3"),
     "- waves.csv, column wave_id: the wave_id is declared more than once: 2 row(s) affected: row 3 '2020', "
     "row 5 '2020'"),
    ("two waves with one label", lambda s: replace(s / "waves.csv", "Wave B", "wave a"),
     "- waves.csv, column label: another wave has the same label (ignoring case); the release names waves by "
     "their labels, so each wave needs its own: 2 row(s) affected: wave 2020: 'Wave A' (row 3); wave 2021: 'wave a' "
     "(row 4)"),
    ("fieldwork start not a date", lambda s: replace(s / "waves.csv", "2021-03-01", "March 2021"),
     "- waves.csv, column fieldwork_start: not a date: write it as 2013-10-08 or 08/10/2013: "
     "1 row(s) affected: wave 2021: 'March 2021' (row 4)"),
    ("fieldwork ends before it starts", lambda s: replace(s / "waves.csv", "2021-03-31", "2021-02-28"),
     "- waves.csv, column fieldwork_end: fieldwork_end is before fieldwork_start: 1 row(s) affected: "
     "wave 2021: '2021-02-28' (row 4)"),
    ("wave label missing", lambda s: replace(s / "waves.csv", "Wave B", ""),
     "- waves.csv, column label: a value is required: 1 row(s) affected: wave 2021: empty (row 4)"),
    # codebook.csv
    ("code listed twice", lambda s: append(s / "codebook.csv", "risk_a,risk,Risk A again,mention,"),
     "- codebook.csv, column code_id: the code_id is listed more than once: 2 row(s) affected: row 4 'risk_a', "
     "row 7 'risk_a'"),
    ("kind not level or mention", lambda s: replace(s / "codebook.csv", "Risk B,mention", "Risk B,scale"),
     "- codebook.csv, column kind: kind must be level or mention: 1 row(s) affected: code risk_b: 'scale' (row 5)"),
    ("level code without levels", lambda s: replace(s / "codebook.csv", "level,no|yes", "level,"),
     "- codebook.csv, column levels: a level code needs its levels, lowest first, separated by |: "
     "1 row(s) affected: code conf: empty (row 3)"),
    ("levels repeated", lambda s: replace(s / "codebook.csv", "low|high", "low|Low|high"),
     "- codebook.csv, column levels: the levels must differ from each other (not only in case, dashes, spaces or "
     "look-alike characters), with none empty between two |: 1 row(s) affected: code aware: 'low|Low|high' (row 2)"),
    ("reserved level", lambda s: replace(s / "codebook.csv", "no|yes", "no|yes|not coded"),
     "- codebook.csv, column levels: 'not coded' and 'mentioned' are reserved words and cannot be levels: "
     "1 row(s) affected: code conf: 'no|yes|not coded' (row 3)"),
    # interviews
    ("interview id reused in another wave", lambda s: replace(s / "2021" / "interviews.csv", "B1,", "A1,"),
     "- 2021/interviews.csv, column interview_id: the interview_id is used more than once in the study: "
     "1 row(s) affected: row 2 'A1'"),
    ("required value blank", lambda s: replace(s / "2022" / "interviews.csv", "Youth Trust", " "),
     "- 2022/interviews.csv, column organisation: a value is required: 1 row(s) affected: interview C4: ' ' (row 5)"),
    ("interview date not a date", lambda s: replace(s / "2022" / "interviews.csv", "2022-03-02", "31/02/2022"),
     "- 2022/interviews.csv, column interview_date: not a date: write it as 2013-10-08 or 08/10/2013: "
     "1 row(s) affected: interview C2: '31/02/2022' (row 3)"),
    ("interview date-time with an impossible time",
     lambda s: replace(s / "2022" / "interviews.csv", "2022-03-02", "2022-03-02 25:10"),
     "- 2022/interviews.csv, column interview_date: not a date: write it as 2013-10-08 or 08/10/2013: "
     "1 row(s) affected: interview C2: '2022-03-02 25:10' (row 3)"),
    ("interview date followed by words",
     lambda s: replace(s / "2022" / "interviews.csv", "2022-03-02", "2022-03-02 17:10 or so"),
     "- 2022/interviews.csv, column interview_date: not a date: write it as 2013-10-08 or 08/10/2013: "
     "1 row(s) affected: interview C2: '2022-03-02 17:10 or so' (row 3)"),
    ("interview outside fieldwork", lambda s: replace(s / "2022" / "interviews.csv", "2022-03-02", "2022-04-02"),
     "- 2022/interviews.csv, column interview_date: the interview date is outside its wave's fieldwork dates in "
     "waves.csv: 1 row(s) affected: interview C2: '2022-04-02' (row 3)"),
    ("duration not a number", lambda s: replace(s / "2022" / "interviews.csv", ",45", ",about an hour"),
     "- 2022/interviews.csv, column duration_minutes: not a number of minutes: 1 row(s) affected: "
     "interview C2: 'about an hour' (row 3)"),
    ("duration out of range", lambda s: write_csv(s / "2020" / "interviews.csv", HEADERS["interviews"],
                                                  interviews_2020_with((0, [*INTERVIEWS["2020"][0][:6], 0]),
                                                                       (2, [*INTERVIEWS["2020"][2][:6], 601]))),
     "- 2020/interviews.csv, column duration_minutes: the duration must be between 1 and 600 minutes: "
     "2 row(s) affected: interview A1: '0' (row 2); interview A3: '601' (row 4)"),
    ("interview wave_id differs from folder",
     lambda s: write_csv(s / "2021" / "interviews.csv", [*HEADERS["interviews"], "wave_id"],
                         [[*r, "2020"] for r in INTERVIEWS["2021"]]),
     "- 2021/interviews.csv, column wave_id: the wave_id differs from the wave folder the file is in: "
     "2 row(s) affected: interview B1: '2020' (row 2); interview B2: '2020' (row 3)"),
    ("group named All", lambda s: replace(s / "2021" / "interviews.csv", "B1,2021-03-02,Council", "B1,2021-03-02,All"),
     "- 2021/interviews.csv, column stakeholder_group: 'All' is reserved for the whole wave and cannot be a "
     "stakeholder group: 1 row(s) affected: interview B1: 'All' (row 2)"),
    # responses
    ("response for unknown interview", lambda s: append(s / "2022" / "responses.csv", "A1,risk_a,,"),
     "- 2022/responses.csv, column interview_id: no interview with this interview_id in the wave's interviews file: "
     "1 row(s) affected: code risk_a: 'A1' (row 9)"),
    ("unknown code", lambda s: append(s / "2021" / "responses.csv", "B1,risk_zzz,,"),
     "- 2021/responses.csv, column code_id: the code_id is not in the codebook: 1 row(s) affected: "
     "interview B1: 'risk_zzz' (row 4)"),
    ("level value outside the codebook", lambda s: append(s / "2020" / "responses.csv", "A2,conf,maybe,"),
     "- 2020/responses.csv, column value: the value is not one of the code's levels in the codebook: "
     "1 row(s) affected: interview A2, code conf: 'maybe (levels: no | yes)' (row 11)"),
    ("mention value not a count", lambda s: append(s / "2021" / "responses.csv", "B1,risk_b,yes,"),
     "- 2021/responses.csv, column value: a mention code takes an empty value or a count (a whole number of 1 or "
     "more): 1 row(s) affected: interview B1, code risk_b: 'yes' (row 4)"),
    ("two levels for one interview", lambda s: append(s / "2022" / "responses.csv", "C2,aware,high,"),
     "- 2022/responses.csv, column value: the interview has more than one value for this level code: "
     "2 row(s) affected: interview C2, code aware: 'low' (row 5) and 'high' (row 9)"),
    ("unknown code after a blank line",
     lambda s: append(s / "2021" / "responses.csv", "\nB1,risk_zzz,,"),
     "- 2021/responses.csv, column code_id: the code_id is not in the codebook: 1 row(s) affected: "
     "interview B1: 'risk_zzz' (row 5)"),
    ("unknown code after a quoted cell over two lines",
     lambda s: append(s / "2021" / "responses.csv", 'B1,risk_b,,"first line\n\nlast line"\nB1,risk_zzz,,'),
     "- 2021/responses.csv, column code_id: the code_id is not in the codebook: 1 row(s) affected: "
     "interview B1: 'risk_zzz' (row 5)"),
    # look-alike identifiers
    ("code_id with a zero-width space",
     lambda s: append(s / "codebook.csv", "risk\u200b_a,risk,Risk A,mention,"),
     "- codebook.csv, column code_id: the identifier holds invisible or control characters: retype it without them: "
     "1 row(s) affected: row 7 'risk\\u200b_a (holds U+200B)'"),
    ("code_id like another but for a zero-width space",
     lambda s: append(s / "codebook.csv", "risk\u200b_a,risk,Risk A,mention,"),
     "- codebook.csv, column code_id: the identifier differs from another only in case, dashes, spaces or "
     "look-alike characters: write one identifier the same way everywhere, or make the two clearly different: "
     "2 row(s) affected: row 4 'risk_a looks like risk\\u200b_a in codebook.csv row 7', "
     "row 7 'risk\\u200b_a looks like risk_a in codebook.csv row 4'"),
    ("interview_id like another but for its dash",
     lambda s: (replace(s / "2022" / "interviews.csv", "C2,", "W2-15,"),
                append(s / "2022" / "interviews.csv", "W2\u201015,2022-03-05,Council,Local authority,Town Council,Phone,20")),
     "- 2022/interviews.csv, column interview_id: the identifier differs from another only in case, dashes, spaces or "
     "look-alike characters: write one identifier the same way everywhere, or make the two clearly different: "
     "2 row(s) affected: row 3 'W2-15 looks like W2\u201015 in 2022/interviews.csv row 6', "
     "row 6 'W2\u201015 looks like W2-15 in 2022/interviews.csv row 3'"),
    ("response to a look-alike interview_id",
     lambda s: append(s / "2021" / "responses.csv", "b\uff11,risk_b,,"),
     "- 2021/responses.csv, column interview_id: no interview with this interview_id in the wave's interviews file: "
     "1 row(s) affected: code risk_b: 'b\uff11, looks like B1 in 2021/interviews.csv row 2' (row 4)"),
    ("response to a look-alike code_id",
     lambda s: append(s / "2021" / "responses.csv", "B1,Risk_\uff42,,"),
     "- 2021/responses.csv, column code_id: the code_id is not in the codebook: 1 row(s) affected: "
     "interview B1: 'Risk_\uff42, looks like risk_b in codebook.csv row 5' (row 4)"),
    ("response with a look-alike level",
     lambda s: append(s / "2021" / "responses.csv", "B2,aware,HIGH\u00ad,"),
     "- 2021/responses.csv, column value: the value is not one of the code's levels in the codebook: "
     "1 row(s) affected: interview B2, code aware: 'HIGH\\xad (levels: low | high), looks like high in codebook.csv …' "
     "(row 4)"),
    ("levels alike but for a no-break space",
     lambda s: replace(s / "codebook.csv", "low|high", "not high|not\u00a0high"),
     "- codebook.csv, column levels: the levels must differ from each other (not only in case, dashes, spaces or "
     "look-alike characters), with none empty between two |: 1 row(s) affected: code aware: "
     "'not high|not\\xa0high' (row 2)"),
    ("level with a control character",
     lambda s: replace(s / "codebook.csv", "no|yes", "no|ye\ts"),
     "- codebook.csv, column levels: the identifier holds invisible or control characters: retype it without them: "
     "1 row(s) affected: code conf: 'no|ye\\ts (holds U+0009)' (row 3)"),
    ("wave folder like a declared wave",
     lambda s: (s / "2021").rename(s / "２０２１"),
     "- ２０２１/, column wave_id: the identifier differs from another only in case, dashes, spaces or look-alike characters: write "
     "one identifier the same way everywhere, or make the two clearly different: '２０２１ looks like 2021 in waves.csv row 4'"),
    ("response code blank", lambda s: append(s / "2021" / "responses.csv", "B1,,,"),
     "- 2021/responses.csv, column code_id: a value is required: 1 row(s) affected: interview B1: empty (row 4)"),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_its_rule(study, tmp_path, mutate, expected):
    mutate(study)
    lines = check(study, tmp_path)
    assert lines[0].startswith("The study was not loaded: ")
    assert lines[0].endswith(" Nothing already published was changed. Fix the input and run again.")
    assert expected in lines, "\n".join(lines)


@pytest.mark.e2e
@pytest.mark.parametrize("name", ["missing responses file", "picture renamed csv", "duration out of range",
                                  "response to a look-alike code_id"])
def test_a_run_refuses_as_the_check_does_and_changes_nothing(published, tmp_path, name):
    """One case per stage (the layout, reading a file, the rules on rows, the look-alike check): the run's
    message holds the check's lines, its exit status is 1 and nothing published changed."""
    study, work, before = published
    [mutate] = [c[1] for c in CASES if c[0] == name]
    mutate(study)
    status, _, message = run(work)
    assert status == 1
    assert message.startswith("\nwavecompare: run failed.\nThe study was not loaded: ")
    assert "Traceback" not in message
    lines = message.splitlines()
    expected = check(study, tmp_path)
    assert lines[2:2 + len(expected)] == expected
    assert published_files(work) == before


def test_rows_after_a_row_that_cannot_be_read_keep_their_numbers(study, tmp_path):
    """DuckDB sets the unreadable row aside and skips the blank line; neither may shift the later rows."""
    append(study / "2021" / "responses.csv", "B1,risk_b,,note,extra\n\nB1,risk_zzz,,")
    lines = check(study, tmp_path)
    assert ("- 2021/responses.csv, column code_id: the code_id is not in the codebook: 1 row(s) affected: "
            "interview B1: 'risk_zzz' (row 6)") in lines
    assert ("- 2021/responses.csv: the row has more fields than the header (is a comma missing its quotes?): "
            "1 row(s) affected: row 4 'B1,risk_b,,note,extra'") in lines
    assert "Rows read = loaded + quarantined: 2021/responses.csv 4 = 2 + 2; the other 7 file(s) 33 = 33 + 0." in lines


def test_a_file_whose_every_row_is_unreadable_is_not_called_empty(study, tmp_path):
    """Its rows are told as unreadable; "no data rows" would send the user looking for rows that are there."""
    (study / "2021" / "responses.csv").write_text("interview_id,code_id,value,excerpt\nB1,risk_b,,note,extra\n")
    lines = check(study, tmp_path)
    assert ("- 2021/responses.csv: the row has more fields than the header (is a comma missing its quotes?): "
            "1 row(s) affected: row 2 'B1,risk_b,,note,extra'") in lines
    assert not any("no data rows" in line for line in lines)
    assert "Rows read = loaded + quarantined: 2021/responses.csv 1 = 0 + 1; the other 7 file(s) 33 = 33 + 0." in lines


def problem_lines(lines):
    return [line for line in lines if line.startswith("- ")]


@pytest.mark.parametrize(("mutate", "codebook_line"), [
    (lambda s: replace(s / "codebook.csv", "level,no|yes", "level,"),
     "- codebook.csv, column levels: a level code needs its levels, lowest first, separated by |: "
     "1 row(s) affected: code conf: empty (row 3)"),
    (lambda s: append(s / "codebook.csv", "conf,confidence,Confident again,level,no|yes"),
     "- codebook.csv, column code_id: the code_id is listed more than once: 2 row(s) affected: row 3 'conf', "
     "row 7 'conf'"),
], ids=["without levels", "listed twice"])
def test_responses_to_a_refused_code_are_told_as_not_checked(study, tmp_path, mutate, codebook_line):
    """The codebook's line says why; the code's responses are not each called a wrong level or an unknown code."""
    mutate(study)
    lines = check(study, tmp_path)
    assert problem_lines(lines) == [
        "- 2020/responses.csv, column value: the value was not checked: the codebook's row for this code is "
        "refused (see its message): 1 row(s) affected: interview A1, code conf: 'yes' (row 5)",
        "- 2022/responses.csv, column value: the value was not checked: the codebook's row for this code is "
        "refused (see its message): 1 row(s) affected: interview C3, code conf: 'no' (row 7)",
        codebook_line,
    ]


def test_records_with_several_rows_are_listed_together(study, tmp_path):
    """Five rows are shown, grouped by interview and code, then how many more."""
    for value in ("low", "high", "low", "high"):
        append(study / "2020" / "responses.csv", f"A1,aware,{value},")
    append(study / "2020" / "responses.csv", "A2,aware,high,")
    append(study / "2020" / "responses.csv", "A2,aware,low,")
    lines = check(study, tmp_path)
    assert problem_lines(lines) == [
        "- 2020/responses.csv, column value: the interview has more than one value for this level code: "
        "8 row(s) affected: interview A1, code aware: 'high' (row 2), 'low' (row 11), 'high' (row 12) and "
        "'low' (row 13); interview A2, code aware: 'low' (row 6) and 3 more",
    ]


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


def test_every_problem_is_listed_not_just_the_first(study, tmp_path):
    replace(study / "2022" / "interviews.csv", "2022-03-02", "31/02/2022")
    append(study / "2021" / "responses.csv", "B1,risk_zzz,,")
    replace(study / "codebook.csv", "Risk B,mention", "Risk B,scale")
    lines = check(study, tmp_path)
    assert lines[0] == (
        "The study was not loaded: 5 rule(s) failed in 5 file(s) (2020/responses.csv, 2021/responses.csv, "
        "2022/interviews.csv, 2022/responses.csv, codebook.csv). Nothing already published was changed. "
        "Fix the input and run again."
    )
    # risk_b's kind is refused, so its responses in 2020 and 2022 are told as not checked
    assert [line.split(":")[0] for line in lines[1:6]] == [
        "- 2020/responses.csv, column value",
        "- 2021/responses.csv, column code_id",
        "- 2022/interviews.csv, column interview_date",
        "- 2022/responses.csv, column value",
        "- codebook.csv, column kind",
    ]


@pytest.mark.e2e
def test_rejected_rows_are_quarantined_and_reconciled(published):
    study, work, _ = published
    append(study / "2021" / "responses.csv", "B1,risk_zzz,,")
    append(study / "2021" / "responses.csv", "B1,risk_b,,note,extra")
    status, _, message = run(work)
    assert status == 1
    assert "Rows read = loaded + quarantined: 2021/responses.csv 4 = 2 + 2; the other 7 file(s) 33 = 33 + 0." in message
    assert f"The rejected rows are in the table validation.quarantine of {work / 'warehouse.rejected.duckdb'}." in message
    with duckdb.connect(str(work / "warehouse.rejected.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT source_file, source_row, column_name, value, rule FROM validation.quarantine ORDER BY source_row"
        ).fetchall()
    assert rows == [
        ("2021/responses.csv", 4, "code_id", "risk_zzz", "the code_id is not in the codebook"),
        ("2021/responses.csv", 5, None, "B1,risk_b,,note,extra",
         "the row has more fields than the header (is a comma missing its quotes?)"),
    ]


@pytest.mark.e2e
def test_validate_checks_without_publishing(study, tmp_path):
    status, out, _ = run(tmp_path, command="validate")
    assert status == 0
    assert "wavecompare: the study passed every check; nothing was published." in out
    assert "Rows read = loaded + quarantined: all 8 file(s) 35 = 35 + 0." in out
    assert not (tmp_path / "warehouse.duckdb").exists()
    assert not (tmp_path / "processed" / "current").exists() and not any((tmp_path / "processed" / "runs").iterdir())
    report = Path(out.split("Validation report: ")[1].splitlines()[0])
    assert report.name == "index.html" and report.parent.parent == tmp_path / "processed" / "validation"
    assert report.is_file()
