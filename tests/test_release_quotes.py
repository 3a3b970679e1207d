"""Quote bank: attribution by role only and redaction, on a warehouse built by hand in SQL."""

from __future__ import annotations

import duckdb
import pytest

from wavecompare.release.quotes import QUOTE_COLUMNS, attribution, build_quotes
from wavecompare.release.redaction import redact
from wavecompare.release.settings import ReleaseSettings

TERMS = [(name, "organisation") for name in ("Care Quality Commission", "Ofsted", "DH")] + [("W2-01", "interview id")]


@pytest.mark.parametrize(("text", "expected", "kinds"), [
    ("Write to jo.bloggs@example.gov.uk today", "Write to [e-mail] today", ["e-mail"]),
    ("Call 020 7946 0958 or +44 (0)161 496 0000.", "Call [phone] or [phone].", ["phone"]),
    ("Our office at SW1A 2AA", "Our office at [postcode]", ["postcode"]),
    ("the care quality  commission and OFSTED; DHSS is not DH", "the [organisation] and [organisation]; DHSS is not [organisation]",
     ["organisation"]),
    ("As W2-01 said in 2012 and 2013, 10 per cent", "As [interview id] said in 2012 and 2013, 10 per cent", ["interview id"]),
    ("Nothing to hide here", "Nothing to hide here", []),
])
def test_redaction(text, expected, kinds):
    assert redact(text, TERMS) == (expected, kinds)


@pytest.mark.parametrize(("group", "interviews", "expected"), [
    ("Senior civil servants", 5, "a senior civil servant"),
    ("Regulators, inspectorates and third sector", 10, "a regulator, inspectorate or third-sector interviewee"),
    ("Local authorities", 4, "a local authority"),
    ("NHS trusts", 3, "an NHS trust"),
    ("Charity", 3, "a charity interviewee"),
    ("Senior civil servants", 2, "an interviewee"),
])
def test_attribution_by_role(group, interviews, expected):
    assert attribution(group, interviews, 3) == expected


def _warehouse(path, responses: str) -> duckdb.DuckDBPyConnection:
    """A warehouse of one wave, two codes and four interviews (three councils, one charity),
    with the responses given as SQL VALUES rows (wave_id, interview_id, code_id, excerpt, file, row)."""
    con = duckdb.connect(str(path))
    for statement in (
        "CREATE SCHEMA staging",
        "CREATE TABLE staging.stg_waves AS SELECT * FROM (VALUES ('2020', 'Wave A', 1)) t(wave_id, label, wave_order)",
        "CREATE TABLE staging.stg_codebook AS SELECT * FROM (VALUES ('risk_a', 'risk', 'Risk A', 1), "
        "('benefit_x', 'benefit', 'Benefit X', 2)) t(code_id, theme, label, code_order)",
        "CREATE TABLE staging.stg_interviews AS SELECT * FROM (VALUES "
        "('2020', 'A1', 'Councils', 'Town Council'), ('2020', 'A2', 'Councils', 'City Council'), "
        "('2020', 'A3', 'Councils', 'Village Council'), ('2020', 'A4', 'Charities', 'Café Trust')) "
        "t(wave_id, interview_id, stakeholder_group, organisation)",
        f"CREATE TABLE staging.stg_responses AS SELECT * FROM (VALUES {responses}) "
        "t(wave_id, interview_id, code_id, excerpt, source_file, source_row)",
        "CREATE TABLE staging.stg_redact AS SELECT * FROM (VALUES ('Jo Bloggs', 'name', 'redact.csv', 2)) "
        "t(term, label, source_file, source_row)",
    ):
        con.execute(statement).complete()
    return con


def test_quote_bank_from_warehouse(tmp_path):
    with _warehouse(tmp_path / "w.duckdb", (
        "('2020', 'A1', 'risk_a', 'Town Council will not fund it: mail me at a@b.org', 'r.csv', 2), "
        "('2020', 'A4', 'benefit_x', 'Café Trust found it useful, said jo  BLOGGS', 'r.csv', 3), "
        "('2020', 'A2', 'risk_a', '   ', 'r.csv', 4), "
        "('2020', 'A3', 'benefit_x', NULL, 'r.csv', 5)"
    )) as con:
        table = build_quotes(con, ReleaseSettings())
    frame = table.frame
    assert tuple(frame.columns) == QUOTE_COLUMNS == table.row_columns
    assert frame.to_dict("records") == [
        {"Wave": "Wave A", "Theme": "risk", "Code": "risk_a", "Label": "Risk A", "Attribution": "a council",
         "Excerpt": "[organisation] will not fund it: mail me at [e-mail]", "Redacted": "e-mail, organisation"},
        {"Wave": "Wave A", "Theme": "benefit", "Code": "benefit_x", "Label": "Benefit X",
         "Attribution": "an interviewee", "Excerpt": "[organisation] found it useful, said [name]", "Redacted": "organisation, name"},
    ]
    released = frame.to_string()
    for secret in ("A1", "A4", "Town Council", "Café Trust", "Bloggs"):
        assert secret not in released


def test_the_bank_keeps_the_first_excerpts_of_each_code_wave_and_group_and_says_how_many(tmp_path):
    with _warehouse(tmp_path / "w.duckdb", (
        "('2020', 'A2', 'risk_a', 'second in r.csv', 'r.csv', 9), "
        "('2020', 'A1', 'risk_a', 'first in r.csv', 'r.csv', 3), "
        "('2020', 'A3', 'risk_a', 'in s.csv', 's.csv', 2), "
        "('2020', 'A1', 'risk_a', 'in q.csv, first of all', 'q.csv', 7), "
        "('2020', 'A4', 'risk_a', 'the charity', 'r.csv', 4), "
        "('2020', 'A3', 'benefit_x', 'another code', 's.csv', 5)"
    )) as con:
        table = build_quotes(con, ReleaseSettings(quotes_per_group=2))
    assert table.frame[["Code", "Excerpt", "Attribution"]].values.tolist() == [
        ["risk_a", "the charity", "an interviewee"],
        ["risk_a", "in q.csv, first of all", "a council"],
        ["risk_a", "first in r.csv", "a council"],
        ["benefit_x", "another code", "a council"],
    ]
    assert table.notes[0] == (
        "4 of the study's 6 excerpts: at most 2 per code, wave and stakeholder group, the first in the study's files.")


def test_a_bank_within_the_limit_says_it_holds_every_excerpt(tmp_path):
    with _warehouse(tmp_path / "w.duckdb", "('2020', 'A1', 'risk_a', 'only one', 'r.csv', 2)") as con:
        table = build_quotes(con, ReleaseSettings())
    assert table.notes[0] == (
        "All of the study's excerpts (1); the bank keeps at most 3 per code, wave and stakeholder group, the first in "
        "the study's files.")
