"""Quote bank: attribution that never singles out a small group, speaker keys, the cap per speaker, one row per
excerpt and the note's counts, on warehouses built from small studies as a run builds them (support.check)."""

from __future__ import annotations

import csv
import datetime as dt

import duckdb
import openpyxl
import pytest

from support import CODEBOOK, EXAMPLE, HEADERS, check, write_csv
from wavecompare.release import build
from wavecompare.release.build import make_release
from wavecompare.release.quotes import QUOTE_COLUMNS, attribution, build_quotes
from wavecompare.release.redaction import redact
from wavecompare.release.settings import ReleaseSettings

TERMS = [(name, "organisation") for name in ("Care Quality Commission", "Ofsted", "DH")] + [("W2-01", "interview id")]
WAVE_A, WAVE_B = "Wave A", "Wave B"
TWO_LINES = "A duty to cooperate,\nand nothing behind it."


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


@pytest.mark.parametrize(("group", "expected"), [
    ("Senior civil servants", "a senior civil servant"),
    ("Regulators, inspectorates and third sector", "a regulator, inspectorate or third-sector interviewee"),
    ("Local authorities", "a local authority"),
    ("NHS trusts", "an NHS trust"),
    ("Charity", "a charity interviewee"),
    ("  ", "an interviewee"),
])
def test_attribution_by_role(group, expected):
    assert attribution(group) == expected


@pytest.mark.parametrize(("group", "expected"), [
    ("Aged 19-24", "a respondent aged 19–24"),
    ("Residents aged 65+", "a resident aged 65+"),
    ("Young people", "a young person"),
    ("Heads of service", "a head of service"),
    ("Public sector in London", "a public-sector respondent in London"),
    ("19-24", "a respondent (19–24)"),
    ("Charity", "a charity respondent"),
    ("Regulators, inspectorates and third sector", "a regulator, inspectorate or third-sector respondent"),
    ("Senior civil servants", "a senior civil servant"),
    ("", "a respondent"),
])
def test_attribution_with_the_study_s_member_noun(group, expected):
    assert attribution(group, "respondent") == expected


def test_an_age_band_reads_with_the_default_noun():
    assert attribution("Aged 19-24") == "an interviewee aged 19–24"


# Wave A: 3 councils and 2 charities. The charities (2) are under k = 3 and no other group is, so no quote of the
# wave may name a group: "a council" beside "an interviewee" would say which quotes are the charities'.
# Wave B: 4 councils, 1 charity and 2 trusts. The charity and trusts are under 3 but together 3: they read alike,
# the councils by name. Councils (4) and the merged set are under g = 5: at most 2 excerpts per speaker.
INTERVIEWS = {
    "2020": [
        ["A1", "2020-03-02", "Councils", "Local authority", "Town Council", "phone", 30],
        ["A2", "2020-03-03", "Councils", "Local authority", "City Council", "phone", 30],
        ["A3", "2020-03-04", "Councils", "Local authority", "Shire Council", "phone", 30],
        ["A4", "2020-03-05", "Charities", "Third sector", "Café Trust", "phone", 30],
        ["A5", "2020-03-06", "Charities", "Third sector", "Youth Trust", "phone", 30],
    ],
    "2021": [
        ["B1", "2021-03-02", "Councils", "Local authority", "Town Council", "phone", 30],
        ["B2", "2021-03-03", "Councils", "Local authority", "City Council", "phone", 30],
        ["B3", "2021-03-04", "Councils", "Local authority", "Shire Council", "phone", 30],
        ["B4", "2021-03-05", "Councils", "Local authority", "Port Council", "phone", 30],
        ["B5", "2021-03-06", "Charities", "Third sector", "Café Trust", "phone", 30],
        ["B6", "2021-03-07", "Trusts", "NHS", "North Trust", "phone", 30],
        ["B7", "2021-03-08", "Trusts", "NHS", "South Trust", "phone", 30],
    ],
}
RESPONSES = {  # in file order; A3's excerpt comes after A5's
    "2020": [
        ["A1", "risk_a", None, "Town Council will not fund it: mail me at a@b.org"],
        ["A2", "risk_a", None, "The money runs out next year."],
        ["A4", "risk_a", None, "We cannot plan beyond March."],
        ["A5", "benefit_x", None, "It brought the partners together."],
        ["A3", "benefit_x", None, "Peers gave us practical advice."],
    ],
    "2021": [
        ["B1", "risk_a", None, "First of three."],
        ["B1", "risk_b", None, "Second of three."],
        ["B1", "benefit_x", None, "Third of three."],
        ["B2", "risk_a", None, "One excerpt, two codes."],
        ["B2", "benefit_x", None, "One excerpt, two codes."],
        ["B3", "risk_b", None, TWO_LINES],
        ["B5", "risk_a", None, "The charity's first."],
        ["B5", "risk_b", None, "The charity's second."],
        ["B5", "benefit_x", None, "The charity's third."],
        ["B6", "risk_a", None, "A trust on the risk."],
    ],
}


@pytest.fixture(scope="module")
def study_db(tmp_path_factory):
    """The two waves above, checked and built as a run builds them; the warehouse, read only."""
    work = tmp_path_factory.mktemp("quotes")
    study = work / "study"
    write_csv(study / "waves.csv", HEADERS["waves"], [["2020", WAVE_A, "2020-03-01", "2020-03-31", 5],
                                                      ["2021", WAVE_B, "2021-03-01", "2021-03-31", 7]])
    write_csv(study / "codebook.csv", HEADERS["codebook"], CODEBOOK)
    for wave_id in INTERVIEWS:
        write_csv(study / wave_id / "interviews.csv", HEADERS["interviews"], INTERVIEWS[wave_id])
        write_csv(study / wave_id / "responses.csv", HEADERS["responses"], RESPONSES[wave_id])
    assert check(study, work) == ["Rows read = loaded + quarantined: all 6 file(s) 34 = 34 + 0."]
    with duckdb.connect(str(work / "check.duckdb")) as con:
        yield con


@pytest.fixture(scope="module")
def example_db(tmp_path_factory):
    work = tmp_path_factory.mktemp("example_quotes")
    assert check(EXAMPLE, work) == ["Rows read = loaded + quarantined: all 6 file(s) 306 = 306 + 0."]
    with duckdb.connect(str(work / "check.duckdb")) as con:
        yield con


def rows(table, wave, *columns):
    frame = table.frame
    return frame.loc[frame.Wave == wave, list(columns)].values.tolist()


def test_a_wave_with_one_group_under_k_names_no_group(study_db):
    bank = build_quotes(study_db)
    assert sorted(rows(bank, WAVE_A, "Excerpt", "Attribution")) == [
        ["It brought the partners together.", "an interviewee"],
        ["Peers gave us practical advice.", "an interviewee"],
        ["The money runs out next year.", "an interviewee"],
        ["We cannot plan beyond March.", "an interviewee"],
        ["[organisation] will not fund it: mail me at [e-mail]", "an interviewee"],
    ]
    assert tuple(bank.frame.columns) == QUOTE_COLUMNS


def test_quotes_that_name_no_group_use_the_study_s_member_noun(study_db):
    bank = build_quotes(study_db, member="respondent")
    assert sorted(set(bank.frame.Attribution)) == ["a council", "a respondent",
                                                   "a respondent from one of the smaller groups"]
    assert ("their quotes read 'a respondent from one of the smaller groups' if those groups together have at least "
            "3 interviews; if not, no quote of that wave names a group: all read 'a respondent'.") in bank.notes[1]


def test_groups_under_k_that_together_reach_k_read_alike(study_db):
    assert sorted(rows(build_quotes(study_db), WAVE_B, "Excerpt", "Attribution")) == [
        ["A duty to cooperate,\nand nothing behind it.", "a council"],
        ["A trust on the risk.", "an interviewee from one of the smaller groups"],
        ["First of three.", "a council"],
        ["One excerpt, two codes.", "a council"],
        ["Second of three.", "a council"],
        ["The charity's first.", "an interviewee from one of the smaller groups"],
        ["The charity's second.", "an interviewee from one of the smaller groups"],
    ]


def test_a_speaker_under_g_keeps_two_excerpts_and_each_interview_is_one_key(study_db):
    frame = build_quotes(study_db).frame
    speakers = frame.groupby(["Wave", "Speaker"]).Excerpt.apply(sorted).tolist()
    assert sorted(speakers) == sorted([
        ["It brought the partners together."], ["Peers gave us practical advice."],
        ["The money runs out next year."], ["We cannot plan beyond March."],
        ["[organisation] will not fund it: mail me at [e-mail]"],
        ["First of three.", "Second of three."], ["One excerpt, two codes."], [TWO_LINES],
        ["The charity's first.", "The charity's second."], ["A trust on the risk."],
    ])
    assert sorted(frame.Speaker.unique()) == [f"R{i:02}" for i in range(1, 11)]


def test_an_excerpt_under_two_codes_is_one_row(study_db):
    frame = build_quotes(study_db).frame
    rows = frame.loc[frame.Excerpt == "One excerpt, two codes.", ["Theme", "Code", "Label", "Redacted"]]
    assert rows.values.tolist() == [["risk; benefit", "risk_a; benefit_x", "Risk A; Benefit X", "none"]]


def test_the_note_counts_distinct_excerpts_and_states_the_rules(study_db):
    bank = build_quotes(study_db)
    assert bank.notes[:2] == (
        "12 of the study's 14 excerpts (an excerpt is one interview's text in one wave, one row with all the codes "
        "it is coded under). The bank keeps the first 3 excerpts in the study's files of each code, wave and "
        "attribution, and at most 2 of a speaker whose attribution includes a group of fewer than 5 interviews in "
        "the wave.",
        "Attributed by stakeholder group only, and by group only in a wave where every group has at least 3 "
        "interviews. In a wave with groups of fewer than 3, their quotes read 'an interviewee from one of the "
        "smaller groups' if those groups together have at least 3 interviews; if not, no quote of that wave names "
        "a group: all read 'an interviewee'.",
    )
    assert len(bank.frame) == 12


def test_each_code_keeps_its_first_excerpts_per_wave_and_attribution(study_db):
    """One per code: wave A's risk_a keeps the first council's (file row 2), benefit_x the second charity's (row
    5, before A3's); wave B's councils keep B1's first two for risk_a and risk_b and B2's for benefit_x, which
    lists risk_a too; the smaller groups keep the charity's first two."""
    bank = build_quotes(study_db, ReleaseSettings(quotes_per_group=1))
    assert sorted(bank.frame[["Wave", "Code", "Excerpt"]].values.tolist()) == [
        [WAVE_A, "benefit_x", "It brought the partners together."],
        [WAVE_A, "risk_a", "[organisation] will not fund it: mail me at [e-mail]"],
        [WAVE_B, "risk_a", "First of three."],
        [WAVE_B, "risk_a", "The charity's first."],
        [WAVE_B, "risk_a; benefit_x", "One excerpt, two codes."],
        [WAVE_B, "risk_b", "Second of three."],
        [WAVE_B, "risk_b", "The charity's second."],
    ]
    assert bank.notes[0].startswith("7 of the study's 14 excerpts")


def test_nothing_released_names_an_interview_or_organisation(study_db):
    released = build_quotes(study_db).frame.to_string()
    for secret in ("A1", "B5", "Town Council", "Café Trust", "a@b.org"):
        assert secret not in released


def test_speaker_keys_of_the_example_are_a_fresh_permutation_per_build(example_db):
    """The example's 15 excerpts are from 10 interviews of wave 2 (W2-01, 03, 04, 05, 06, 08, 09, 11, 12, 14), all
    in groups of at least 3 (10 and 5), so attributed by group."""
    first, second = build_quotes(example_db).frame, build_quotes(example_db).frame
    interview_of = dict(example_db.execute(
        "SELECT trim(excerpt), interview_id FROM staging.stg_responses WHERE excerpt IS NOT NULL").fetchall())
    for bank in (first, second):
        keys = dict(zip(bank.Speaker, bank.Excerpt.map(interview_of)))
        assert sorted(keys) == [f"R{i:02}" for i in range(1, 11)]
        assert sorted(keys.values()) == ["W2-01", "W2-03", "W2-04", "W2-05", "W2-06", "W2-08", "W2-09", "W2-11",
                                         "W2-12", "W2-14"]
        assert len(set(zip(bank.Speaker, bank.Excerpt.map(interview_of)))) == 10
        assert set(bank.Attribution) == {
            "a senior civil servant", "a regulator, inspectorate or third-sector interviewee"}
    assert dict(zip(first.Excerpt, first.Speaker)) != dict(zip(second.Excerpt, second.Speaker))


def test_an_excerpt_over_two_lines_stays_one_row_in_every_file(study_db, tmp_path):
    folder = tmp_path / "release"
    make_release(study_db, folder, run_id="run-1", time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), sources=["s"],
                 settings=ReleaseSettings())
    with (folder / "quote_bank.csv").open(encoding="utf-8-sig", newline="") as handle:
        bank = list(csv.DictReader(handle))
    assert len(bank) == 12
    assert [row["Code"] for row in bank if row["Excerpt"] == TWO_LINES] == ["risk_b"]
    sheet = openpyxl.load_workbook(folder / "wave_comparison.xlsx")["Quotes"]
    cells = [row for row in sheet.iter_rows(min_row=5, max_col=len(QUOTE_COLUMNS), values_only=True) if row[0]]
    assert [row[6] for row in cells[:12]].count(TWO_LINES) == 1
    assert cells[12][0] == "Notes" and cells[13][0].startswith("12 of the study's 14 excerpts")
    assert "nothing behind it" not in (folder / "report.md").read_text(encoding="utf-8")  # the report has no bank


def test_a_release_shared_with_a_child_process_is_the_release_written_here(study_db, tmp_path, monkeypatch):
    """A large release has its quote bank redacted, charts drawn and files written by a child process or by this
    one, whichever is free (`writer.Drawing`): the files are the same either way, but for the speaker keys,
    which are drawn for each release (and order the bank)."""
    args = {"run_id": "run-1", "time": dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "sources": ["s"],
            "settings": ReleaseSettings()}
    make_release(study_db, tmp_path / "here" / "release", **args)
    monkeypatch.setattr(build, "DRAW_APART_FROM", 0)  # shared for any size
    make_release(study_db, tmp_path / "shared" / "release", **args)
    here, shared = tmp_path / "here", tmp_path / "shared"
    files = sorted(p.relative_to(here).as_posix() for p in here.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(shared).as_posix() for p in shared.rglob("*") if p.is_file())
    assert "release/charts/risk_mentions.png" in files and "disclosure_baseline.csv" in files
    assert sorted(p.name for p in shared.iterdir()) == ["disclosure_baseline.csv", "release"]  # no handover left
    keyed = {"release/quote_bank.csv", "release/wave_comparison.xlsx"}
    assert [name for name in files if name not in keyed and (here / name).read_bytes() != (shared / name).read_bytes()
            ] == []

    def bank(folder):
        with (folder / "release" / "quote_bank.csv").open(encoding="utf-8-sig", newline="") as handle:
            return sorted(tuple(v for k, v in row.items() if k != "Speaker") for row in csv.DictReader(handle))

    def sheets(folder):
        book = openpyxl.load_workbook(folder / "release" / "wave_comparison.xlsx")
        speaker = QUOTE_COLUMNS.index("Speaker")
        return {sheet.title: sorted((row[:speaker] + row[speaker + 1:] for row in sheet.iter_rows(values_only=True)),
                                    key=repr) if sheet.title == "Quotes" else list(sheet.iter_rows(values_only=True))
                for sheet in book.worksheets}

    assert len(bank(here)) == 12 and bank(here) == bank(shared)
    assert sheets(here) == sheets(shared)
