"""Every accepted form of the input contract gives byte-identical tables."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pytest

from support import HEADERS, INTERVIEWS, RESPONSES, WAVES, query, run_pipeline, write_csv, write_tiny_study, write_xlsx
from wavecompare import sqlfiles
from wavecompare.contract import ALL_KINDS
from wavecompare.discover import InputFile, sha256_of
from wavecompare.tabular import load_file

TABLES = ("stakeholder_mix", "interview_duration", "awareness", "confidence", "risk_mentions")


@pytest.fixture
def baseline(tiny_published):
    return {t: (tiny_published / "processed" / "current" / f"{t}.csv").read_bytes() for t in TABLES}


def _uk(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def xlsx_everywhere(root):
    """Every file as a workbook; dates as real Excel date cells, numbers as numbers."""
    for name in ("waves", "codebook"):
        (root / f"{name}.csv").unlink()
    write_xlsx(
        root / "waves.xlsx",
        HEADERS["waves"],
        [[w, label, dt.date.fromisoformat(s), dt.datetime.fromisoformat(e), n] for w, label, s, e, n in WAVES],
        blank_rows=3,
    )
    from support import CODEBOOK

    write_xlsx(root / "codebook.xlsx", HEADERS["codebook"], CODEBOOK)
    for wave_id, rows in INTERVIEWS.items():
        (root / wave_id / "interviews.csv").unlink()
        (root / wave_id / "responses.csv").unlink()
        typed = [[i, dt.date.fromisoformat(d), *rest[:-1], float(rest[-1])] for i, d, *rest in rows]
        write_xlsx(root / wave_id / "Interviews.xlsx", HEADERS["interviews"], typed, blank_rows=2)
        write_xlsx(root / wave_id / "responses.xlsx", HEADERS["responses"], RESPONSES[wave_id])


def utf8_with_bom_and_crlf(root):
    for path in root.rglob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))


def windows_1252(root):
    for path in root.rglob("*.csv"):
        path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))


def uk_dates(root):
    write_csv(root / "waves.csv", HEADERS["waves"], [[w, l, _uk(s), _uk(e), n] for w, l, s, e, n in WAVES])
    for wave_id, rows in INTERVIEWS.items():
        write_csv(root / wave_id / "interviews.csv", HEADERS["interviews"], [[i, _uk(d), *rest] for i, d, *rest in rows])


def office_headers_and_extra_columns(root):
    headers = [
        "Interview ID", "Interview Date", "STAKEHOLDER GROUP", "Organisation type",
        "Organisation", "Mode", "Duration (minutes)", "Interviewer",
    ]
    for wave_id, rows in INTERVIEWS.items():
        write_csv(root / wave_id / "interviews.csv", headers, [[*row, "JS"] for row in rows])
        write_csv(
            root / wave_id / "responses.csv",
            ["Code ID", "interview-id", "Value", "Coder notes", "Wave ID"],
            [[code, interview, value, "checked", wave_id] for interview, code, value, _ in RESPONSES[wave_id]],
        )


def trailing_blank_rows(root):
    for wave_id, rows in INTERVIEWS.items():
        write_csv(root / wave_id / "interviews.csv", HEADERS["interviews"], rows, trailing=",,,,,,\n,,,,,,\n\n")


VARIATIONS = [xlsx_everywhere, utf8_with_bom_and_crlf, windows_1252, uk_dates, office_headers_and_extra_columns,
              trailing_blank_rows]


@pytest.mark.parametrize("variation", VARIATIONS, ids=[v.__name__ for v in VARIATIONS])
def test_variation_gives_identical_tables(variation, baseline, tmp_path):
    study = write_tiny_study(tmp_path / "study")
    variation(study)
    state = run_pipeline(study, tmp_path)
    assert state.is_completed(), state.message
    for table in TABLES:
        assert (tmp_path / "processed" / "current" / f"{table}.csv").read_bytes() == baseline[table], table


@pytest.mark.e2e
def test_extra_columns_are_kept_in_raw(tmp_path):
    study = write_tiny_study(tmp_path / "study")
    office_headers_and_extra_columns(study)
    assert run_pipeline(study, tmp_path).is_completed()
    assert query(tmp_path, "SELECT DISTINCT interviewer FROM raw.interviews") == [("JS",)]
    assert query(tmp_path, "SELECT DISTINCT coder_notes FROM raw.responses") == [("checked",)]


@pytest.mark.e2e
def test_a_cp1252_name_is_read_as_its_character(tmp_path):
    study = write_tiny_study(tmp_path / "study")
    windows_1252(study)
    assert run_pipeline(study, tmp_path).is_completed()
    rows = query(tmp_path, "SELECT DISTINCT organisation FROM staging.stg_interviews WHERE organisation LIKE 'Caf%'")
    assert rows == [("Café Trust",)]


@pytest.mark.e2e
def test_rerun_replaces_rather_than_duplicates(tmp_path):
    study = write_tiny_study(tmp_path / "study")
    assert run_pipeline(study, tmp_path).is_completed()
    first = (tmp_path / "processed" / "current" / "awareness.csv").read_bytes()
    assert run_pipeline(study, tmp_path).is_completed()
    assert query(tmp_path, "SELECT count(*) FROM raw.interviews") == [(9,)]
    assert query(tmp_path, "SELECT count(*) FROM raw.responses") == [(18,)]
    assert (tmp_path / "processed" / "current" / "awareness.csv").read_bytes() == first
    shutil.rmtree(study)


@pytest.mark.parametrize("write", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_rows_keep_their_numbers_and_columns_named_like_the_loaders_own(write, tmp_path):
    """The loader numbers rows by rowid and packs them as `cells`; a file's own columns of those names stay data."""
    header = [*HEADERS["responses"], "rowid", "cells", "ordinality"]
    rows = [["A1", "risk_a", None, None, "r", "c", "o"], ["A1", "risk_b", *[None] * 5], [None] * 7, [*[None] * 6, "x"]]
    path = write(tmp_path / ("responses" + (".csv" if write is write_csv else ".xlsx")), header, rows)
    kind = next(k for k in ALL_KINDS if k.name == "responses")
    with duckdb.connect() as con:
        sqlfiles.run(con, "raw/create_tables.sql")
        sqlfiles.run(con, "validation/create_tables.sql")
        file = InputFile("responses", path, "2020/" + path.name, sha256_of(path), "2020")
        assert load_file(con, file, kind, run_id="r", loaded_at=dt.datetime(2020, 1, 1)) == (3, [])
        loaded = con.execute('SELECT source_row, code_id, "rowid", cells, ordinality FROM raw.responses ORDER BY 1')
        assert loaded.fetchall() == [
            (2, "risk_a", "r", "c", "o"), (3, "risk_b", None, None, None), (5, None, None, None, "x"),
        ]


@pytest.mark.e2e
def test_survey_tool_exports_date_times_and_survey_modes(tmp_path):
    """Survey software writes dates with a time (and an offset) and its own mode names."""
    study = write_tiny_study(tmp_path / "study")
    waves = [[w, label, s + " 00:00:00.000", e + " 00:00:00.000", n] for w, label, s, e, n in WAVES]
    write_csv(study / "waves.csv", HEADERS["waves"], waves)
    exported = {
        "A1": ("2020-03-02 17:10:55.000", "Online"),
        "A2": ("2020-03-03T23:30:00-05:00", "CATI"),
        "A3": ("04/03/2020 09:15", "CAPI"),
        "B1": ("2021-03-02T08:00:00Z", "Web"),
        "B2": ("2021-03-31T22:00:00-05:00", "cawi"),  # 1 April in UTC: the date as written counts
        "C1": ("2022-03-01T09:00:00+05:00", "Online survey"),
    }
    for wave_id, rows in INTERVIEWS.items():
        rows = [[i, *exported.get(i, (day, mode))[:1], *who, exported.get(i, (day, mode))[1], minutes]
                for i, day, *who, mode, minutes in rows]
        write_csv(study / wave_id / "interviews.csv", HEADERS["interviews"], rows)
    state = run_pipeline(study, tmp_path)
    assert state.is_completed(), state.message
    assert query(tmp_path, "SELECT interview_id, interview_date, mode_as_given, mode FROM staging.stg_interviews "
                           "ORDER BY interview_id") == [
        ("A1", dt.date(2020, 3, 2), "Online", "online"),
        ("A2", dt.date(2020, 3, 3), "CATI", "telephone"),
        ("A3", dt.date(2020, 3, 4), "CAPI", "face_to_face"),
        ("B1", dt.date(2021, 3, 2), "Web", "online"),
        ("B2", dt.date(2021, 3, 31), "cawi", "online"),
        ("C1", dt.date(2022, 3, 1), "Online survey", "online"),
        ("C2", dt.date(2022, 3, 2), "phone", "telephone"),
        ("C3", dt.date(2022, 3, 3), "carrier pigeon", "other"),
        ("C4", dt.date(2022, 3, 4), "Phone", "telephone"),
    ]
    assert query(tmp_path, "SELECT wave_id, fieldwork_start, fieldwork_end FROM staging.stg_waves") == [
        ("2020", dt.date(2020, 3, 1), dt.date(2020, 3, 31)),
        ("2021", dt.date(2021, 3, 1), dt.date(2021, 3, 31)),
        ("2022", dt.date(2022, 3, 1), dt.date(2022, 3, 31)),
    ]
    rows = query(tmp_path, "SELECT wave_id, category, n FROM marts.stakeholder_mix WHERE dimension = 'mode' AND n > 0")
    assert rows == [
        ("2020", "face_to_face", 1),
        ("2020", "online", 1),
        ("2020", "telephone", 1),
        ("2021", "online", 2),
        ("2022", "online", 1),
        ("2022", "other", 1),
        ("2022", "telephone", 2),
    ]
