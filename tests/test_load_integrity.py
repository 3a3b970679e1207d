"""What the loader reads is what it counts and records: rows DuckDB's reader would drop without a trace (a line
over its limit) or keep with binary data in them are refused with their row, the rows read are counted by the
loader's own pass, and a file that changes while the run reads it is refused. Each case runs on a copy of the
published example study and asserts that nothing published changes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pytest

from support import HEADERS, run, snapshot, start_run, wait_for_line, write_csv, write_xlsx
from wavecompare import sqlfiles
from wavecompare.contract import ALL_KINDS
from wavecompare.discover import InputFile, sha256_of
from wavecompare.problems import Problem
from wavecompare.tabular import load_file

CHANGED = "the file changed while it was being read; run again once it is complete"
LETTERS = b"abcdefghij" * 2_000_000  # 20 MB, written ten times for a row of 200 MB


def published(work: Path) -> dict[str, str]:
    """sha256 of every published file; a rejected run adds only its validation report."""
    return {name: digest for name, digest in snapshot(work).items() if not name.startswith("validation/")}


def insert_line(path: Path, after: int, start: bytes, body: bytes = b"", times: int = 0, end: bytes = b"") -> None:
    """Write `start`, `body` * times and `end` as one line after line `after` of the file, with a few large
    writes (the body may be megabytes)."""
    lines = path.read_bytes().splitlines(keepends=True)
    with path.open("wb") as handle:
        handle.writelines(lines[:after])
        handle.write(start)
        for _ in range(times):
            handle.write(body)
        handle.write(end + b"\n")
        handle.writelines(lines[after:])


def refused(work: Path, before: dict[str, str]) -> list[str]:
    """Run; the run must be refused, change nothing published and end in a message, not a traceback."""
    status, _, message = run(work)
    assert status == 1, message
    assert "Nothing already published was changed." in message
    assert "Traceback" not in message
    assert published(work) == before
    return message.splitlines()


def refused_with_a_row_of_200_mb(work: Path, after: int, start: bytes, end: bytes = b"") -> list[str]:
    """Refused, with a row of 200 MB of letters after line `after` of 2012/responses.csv (deleted after)."""
    path = work / "study" / "2012" / "responses.csv"
    insert_line(path, after, start, LETTERS, 10, end)
    try:
        return refused(work, published(work))
    finally:
        path.unlink()


def test_a_row_of_200_mb_is_refused_with_its_row_not_dropped(work):
    """DuckDB's reader drops such a line without a reject: the run published 306 = 306 + 0 for 307 rows."""
    lines = refused_with_a_row_of_200_mb(work, 11, b"W1-10,risk_transparency,,")
    assert ("- 2012/responses.csv: the row is longer than the largest row accepted (8388608 bytes): "
            "1 row(s) affected: row 12 'W1-10,risk_transparency,,abcdefghijabcdefghijabcdefghijabcde…'") in lines
    # 85 rows in 2012/responses.csv and the one added; 10 + 15 + 173 + 3 + 20 in the other files
    assert "Rows read = loaded + quarantined: 2012/responses.csv 86 = 85 + 1; the other 5 file(s) 221 = 221 + 0." in lines


def test_a_quoted_last_row_of_200_mb_is_told_as_too_long(work):
    """It was told as an unterminated quote, with the text of the row before it."""
    lines = refused_with_a_row_of_200_mb(work, 86, b'W1-10,risk_transparency,,"', b'"')
    assert ("- 2012/responses.csv: the row is longer than the largest row accepted (8388608 bytes): "
            "1 row(s) affected: row 87 'W1-10,risk_transparency,,\"abcdefghijabcdefghijabcdefghijabcd…'") in lines
    assert not any("unterminated" in line or "could not be read" in line for line in lines), lines


def test_a_nul_byte_after_the_first_8_kib_is_refused_with_its_row(work):
    """The file's first 8 KiB are clean, so the check for binary files passed; the NUL reached the release."""
    path = work / "study" / "2013" / "responses.csv"
    insert_line(path, 174, b'W2-15,risk_transparency,,"', b"x" * 5400, 1, b'before\x00after"')
    assert 12_000 < path.read_bytes().index(b"\x00") < 14_000
    lines = refused(work, published(work))
    assert ("- 2013/responses.csv: the row holds a NUL byte (binary data): 1 row(s) affected: "
            "row 175 'W2-15,risk_transparency,,\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'") in lines


def test_rows_the_two_readers_count_differently_are_refused(work):
    """DuckDB takes a quote after a space for an opening quote, Python's csv and Excel for a character: one row
    to DuckDB, two to the others. The file is refused rather than loaded one way."""
    path = work / "study" / "2013" / "responses.csv"
    insert_line(path, 174, b'W2-15,risk_transparency,, "first line\nsecond line"')
    lines = refused(work, published(work))
    assert ("- 2013/responses.csv: two readers count the rows differently (first at row 175): the loader counts "
            "175 row(s), DuckDB's CSV reader 174 (174 readable, 0 not); check the quotes and line ends") in lines


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_loader_refuses_a_file_that_is_not_the_one_fingerprinted(suffix, tmp_path):
    """The fingerprint recorded is that of the bytes loaded: a file replaced after discover() is refused."""
    write = write_csv if suffix == ".csv" else write_xlsx
    path = write(tmp_path / f"responses{suffix}", HEADERS["responses"], [["A1", "risk_a", None, None]])
    fingerprinted = sha256_of(path)
    write(path, HEADERS["responses"], [["A1", "risk_a", None, None], ["A1", "risk_b", None, None]])
    kind = next(k for k in ALL_KINDS if k.name == "responses")
    with duckdb.connect() as con:
        sqlfiles.run(con, "raw/create_tables.sql")
        sqlfiles.run(con, "validation/create_tables.sql")
        file = InputFile("responses", path, f"2020/responses{suffix}", fingerprinted, "2020")
        result = load_file(con, file, kind, run_id="r", loaded_at=dt.datetime(2020, 1, 1))
        assert result == (0, [Problem(f"2020/responses{suffix}", CHANGED)])
        assert con.execute("SELECT count(*) FROM raw.responses").fetchall() == [(0,)]


def test_a_file_replaced_during_a_real_run_is_refused_and_nothing_published_changes(work):
    """A real `wavecompare run`: 2013/responses.csv is replaced once the run has fingerprinted the study, while it
    loads a large 2012/responses.csv (generated: 3 million mentions), so before it reads 2013."""
    big = work / "study" / "2012" / "responses.csv"
    with big.open("ab") as handle:
        for _ in range(10):
            handle.write(b"W1-01,risk_poor_performers,,\n" * 300_000)
    target = work / "study" / "2013" / "responses.csv"
    replacement = target.with_name("responses.csv.new")
    replacement.write_bytes(target.read_bytes() + b"W2-15,risk_transparency,,\n")
    before = published(work)
    process = start_run(work)
    try:
        seen = wait_for_line(process, "Found 6 input files")
        os.replace(replacement, target)
        assert not any("Loaded 2012/responses.csv" in line for line in seen)
        output, _ = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
        big.unlink()
    log = "".join(seen) + output
    assert process.returncode == 1, log
    assert f"- 2013/responses.csv: {CHANGED}" in log.splitlines()
    assert log.index("Loaded 2012/responses.csv") < log.index("Loaded 2013/responses.csv")
    assert published(work) == before
