"""Bad input is refused with a message naming file, row, column, value and rule,
and what was published before stays byte-for-byte the same."""

from __future__ import annotations

import pytest

from studies import HEADERS, run_pipeline, write_csv, write_tiny_study


def snapshot(work):
    files = sorted(p for p in work.rglob("*") if p.is_file() and "study" not in p.relative_to(work).parts)
    return {p.relative_to(work).as_posix(): p.read_bytes() for p in files}


@pytest.fixture
def published(tmp_path):
    study = write_tiny_study(tmp_path / "study")
    assert run_pipeline(study, tmp_path).is_completed()
    before = snapshot(tmp_path)
    assert "warehouse.duckdb" in before and "processed/awareness.csv" in before
    return study, tmp_path, before


def refuse(study, work, before):
    state = run_pipeline(study, work)
    assert state.is_failed()
    assert snapshot(work) == before
    return state.message


def test_unknown_code_names_file_row_column_value_and_rule(published):
    study, work, before = published
    with (study / "2021" / "responses.csv").open("a", encoding="utf-8") as handle:
        handle.write("B1,risk_zzz,,\n")
    message = refuse(study, work, before)
    assert message.startswith("The study was not loaded: 1 rule(s) failed in 1 file(s) (2021/responses.csv).")
    assert (
        "- 2021/responses.csv, column code_id: the code_id is not in the codebook: "
        "1 row(s) affected: row 4 'risk_zzz'" in message
    )


def test_every_failed_rule_is_listed(published):
    study, work, before = published
    write_csv(
        study / "2020" / "interviews.csv",
        HEADERS["interviews"],
        [
            ["A1", "2020-03-02", "Council", "Local authority", "Town Council", "F2F", 30],
            ["A2", "31/02/2020", "Council", "Local authority", "City Council", "Phone", "forty"],
            ["A3", "2020-04-04", "Charity", "Third sector", "Café Trust", "Video call", 50],
        ],
    )
    message = refuse(study, work, before)
    assert "rule(s) failed in 1 file(s) (2020/interviews.csv)" in message
    assert (
        "- 2020/interviews.csv, column interview_date: not a date: write it as 2013-10-08 or 08/10/2013: "
        "1 row(s) affected: row 3 '31/02/2020'" in message
    )
    assert (
        "- 2020/interviews.csv, column duration_minutes: not a number of minutes between 1 and 600: "
        "1 row(s) affected: row 3 'forty'" in message
    )
    assert (
        "- 2020/interviews.csv, column interview_date: the date is outside the wave's fieldwork "
        "(2020-03-01 to 2020-03-31): 1 row(s) affected: row 4 '2020-04-04'" in message
    )


def test_missing_file_is_named(published):
    study, work, before = published
    (study / "2021" / "responses.csv").unlink()
    message = refuse(study, work, before)
    assert "- 2021/responses.csv: the file is missing: expected responses.csv or responses.xlsx" in message


def test_missing_required_column_is_named(published):
    study, work, before = published
    write_csv(study / "codebook.csv", ["code_id", "theme", "label", "levels"], [["aware", "awareness", "A", "x|y"]])
    message = refuse(study, work, before)
    assert "- codebook.csv: required column(s) missing from the header row: kind: 1 row(s) affected: row 1" in message


def test_a_picture_renamed_csv_is_not_a_table(published):
    study, work, before = published
    (study / "2022" / "responses.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    message = refuse(study, work, before)
    assert "- 2022/responses.csv: the file is not a text table (it holds binary data); save it as CSV or XLSX" in message


def test_level_value_outside_the_codebook(published):
    study, work, before = published
    with (study / "2020" / "responses.csv").open("a", encoding="utf-8") as handle:
        handle.write("A2,conf,maybe,\n")
    message = refuse(study, work, before)
    assert (
        "- 2020/responses.csv, column value: not one of the levels of conf: no | yes: 1 row(s) affected: row 11 'maybe'"
        in message
    )


def test_first_run_failure_publishes_nothing(tmp_path):
    study = write_tiny_study(tmp_path / "study")
    (study / "waves.csv").unlink()
    state = run_pipeline(study, tmp_path)
    assert state.is_failed()
    assert "- waves.csv: the file is missing: expected waves.csv or waves.xlsx" in state.message
    assert not (tmp_path / "warehouse.duckdb").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study"]
