"""Nets of level codes: the codebook's optional net_levels column is checked by the codebook rules (a bad net is
refused naming the file, row, column, value and rule), and staging.stg_code_nets holds each level code's net, the
given one or the default (the levels above the middle), through the run's own study check."""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest

from support import EXAMPLE, check, write_csv, write_tiny_study, write_xlsx


def with_nets(study, nets: dict[str, str], *, xlsx: bool = False, header: str = "net_levels"):
    """The study's codebook again, with a net_levels column holding `nets` by code_id."""
    path = study / "codebook.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        [head, *rows] = list(csv.reader(handle))
    rows = [[*row, nets.get(row[0], "")] for row in rows]
    path.unlink()
    write = write_xlsx if xlsx else write_csv
    write(path.with_suffix(".xlsx" if xlsx else ".csv"), [*head, header], rows)
    return study


def nets(work) -> list[tuple]:
    with duckdb.connect(str(work / "check.duckdb"), read_only=True) as con:
        return con.execute("SELECT code_id, net, net_levels, is_default FROM staging.stg_code_nets "
                           "ORDER BY code_id").fetchall()


# The tiny study's codebook: aware (low|high) in row 2, conf (no|yes) in row 3, risk_a (a mention) in row 4.
BAD_NETS = [
    ({"risk_a": "high"},
     "- codebook.csv, column net_levels: only a level code has a net: leave net_levels empty for a mention code: "
     "1 row(s) affected: code risk_a: 'high' (row 4)"),
    ({"aware": "medium|high"},
     "- codebook.csv, column net_levels: each of net_levels must be one of the code's levels (as its levels column "
     "lists them, in any case), separated by |: 1 row(s) affected: code aware: "
     "'medium|high (not a level: medium; the levels: low | high)' (row 2)"),
    ({"conf": "yes||"},
     "- codebook.csv, column net_levels: each of net_levels must be one of the code's levels (as its levels column "
     "lists them, in any case), separated by |: 1 row(s) affected: code conf: "
     "'yes|| (not a level: (empty), (empty); the levels: no | yes)' (row 3)"),
    ({"aware": "high|High"},
     "- codebook.csv, column net_levels: a level is listed more than once in net_levels; list each level of the net "
     "once: 1 row(s) affected: code aware: 'high|High' (row 2)"),
    ({"conf": "yes|no"},
     "- codebook.csv, column net_levels: net_levels lists every level of the code, so its net would always be the "
     "whole base: leave out at least the lowest level: 1 row(s) affected: code conf: 'yes|no' (row 3)"),
]


@pytest.mark.parametrize(("given", "expected"), BAD_NETS,
                         ids=["on a mention code", "unknown level", "empty levels", "level repeated", "every level"])
def test_a_bad_net_is_refused_with_its_rule(tmp_path, given, expected):
    study = with_nets(write_tiny_study(tmp_path / "study"), given)
    lines = check(study, tmp_path)
    problems = [line for line in lines if line.startswith("- ")]
    assert problems == [expected], "\n".join(lines)


def test_the_example_study_gets_the_default_nets(tmp_path):
    """Its codebook has no net_levels column: each level code of four levels gets its top two."""
    shutil.copytree(EXAMPLE, tmp_path / "study")
    assert check(tmp_path / "study", tmp_path) == ["Rows read = loaded + quarantined: all 6 file(s) 306 = 306 + 0."]
    assert nets(tmp_path) == [
        ("aware_practice", "aware or very familiar", ["aware", "very familiar"], True),
        ("aware_theory", "aware or very familiar", ["aware", "very familiar"], True),
        ("conf_practice", "conditional or confident", ["conditional", "confident"], True),
        ("conf_theory", "conditional or confident", ["conditional", "confident"], True),
    ]


def test_a_given_net_replaces_the_default_only_for_its_code(tmp_path):
    study = with_nets(shutil.copytree(EXAMPLE, tmp_path / "study"), {"aware_theory": "very familiar"})
    assert check(study, tmp_path) == ["Rows read = loaded + quarantined: all 6 file(s) 306 = 306 + 0."]
    assert nets(tmp_path)[:2] == [
        ("aware_practice", "aware or very familiar", ["aware", "very familiar"], True),
        ("aware_theory", "very familiar", ["very familiar"], False),
    ]


def test_net_levels_in_a_workbook_under_a_header_of_other_case_and_spacing(tmp_path):
    """The column is read from .xlsx as from .csv, its header matched ignoring case and punctuation; a net is
    matched to the levels in any case and named as the levels spell them, lowest first."""
    study = write_tiny_study(tmp_path / "study")
    with_nets(study, {"aware": " HIGH ", "conf": "Yes"}, xlsx=True, header="Net Levels")
    assert check(study, tmp_path) == ["Rows read = loaded + quarantined: all 8 file(s) 35 = 35 + 0."]
    assert nets(tmp_path) == [("aware", "high", ["high"], False), ("conf", "yes", ["yes"], False)]
