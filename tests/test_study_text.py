"""Text computed from the study: study.toml (read, refused, fingerprinted), the notes on organisations, the
caveats of large bases, the quantifier scale at small bases and the Read me's sections, with hand-written
expectations on studies small enough to count."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import pytest

from support import HEADERS, check, published, run, write_csv, write_tiny_study
from wavecompare.discover import discover
from wavecompare.release.changes import caveats
from wavecompare.release.model import CHANGE_TYPES, ROW_TYPES, VALUE_TYPES, ReleaseTable, Wave, typed
from wavecompare.release.quantifiers import scale_sentences, words
from wavecompare.release.readme import ReadmeSection, readme_sections
from wavecompare.release.settings import ReleaseSettings
from wavecompare.release.study import StudyText
from wavecompare.release.tables import build_tables

REFUSED = ("The study was not loaded: 1 rule(s) failed in 1 file(s) (study.toml). Nothing already published was "
           "changed. Fix the input and run again.")
LONG = "a" * 41


# study.toml


def test_a_study_toml_gives_the_title_organisation_and_member_and_is_fingerprinted_not_loaded(tmp_path):
    study = write_tiny_study(tmp_path / "study")
    (study / "study.toml").write_text('title = " Youth tracker "\norganisation = "Field & Co"\nmember = "respondent"\n',
                                      encoding="utf-8")
    found = discover(study)
    assert found.text == StudyText("Youth tracker", "Field & Co", "respondent")
    assert found.problems == ()
    assert [(file.kind, file.name) for file in found.files if file.kind == "study"] == [("study", "study.toml")]
    # 3 waves, 5 codes, 9 interviews, 18 responses: study.toml is no table, so not among the rows read
    assert check(study, tmp_path) == ["Rows read = loaded + quarantined: all 8 file(s) 35 = 35 + 0."]


def test_without_a_study_toml_the_defaults_hold(tmp_path):
    assert discover(write_tiny_study(tmp_path / "study")).text == StudyText("Wave comparison", None, "interviewee")


@pytest.mark.parametrize(("text", "line"), [
    ('titel = "Tracker"\n',
     "- study.toml: the key 'titel' is not one study.toml knows (it knows title, organisation, member): row 1 'Tracker'"),
    ('member = "respondent"\ntitle = 2024\n',
     "- study.toml: title must be one line of text of at most 200 characters, in double quotes: row 2 '2024'"),
    ('title = "   "\n',
     "- study.toml: title must be one line of text of at most 200 characters, in double quotes: row 1 '   '"),
    ('organisation = """Field\nand Co"""\n',
     "- study.toml: organisation must be one line of text of at most 200 characters, in double quotes: row 1 "
     "'Field\\nand Co'"),
    (f'member = "{LONG}"\n',
     f"- study.toml: member must be one line of text of at most 40 characters, in double quotes: row 1 '{LONG}'"),
    ('member = "respondent 2"\n',
     '- study.toml: member must be a noun for one interviewee, in words of letters (e.g. "respondent", "young '
     "person\"), of at most 40 characters: row 1 'respondent 2'"),
    ('[title]\nname = "x"\n',
     "- study.toml: title must be one line of text of at most 200 characters, in double quotes: row 1 "
     "\"{'name': 'x'}\""),
    ('title = "unclosed\n',
     "- study.toml: the file is not valid TOML: Illegal character '\\n' (at line 1, column 18)"),
])
def test_a_bad_study_toml_refuses_the_run_naming_line_key_value_and_rule(tmp_path, text, line):
    study = write_tiny_study(tmp_path / "study")
    (study / "study.toml").write_text(text, encoding="utf-8")
    assert check(study, tmp_path) == [REFUSED, line]


def test_a_study_toml_not_in_utf8_is_refused(tmp_path):
    study = write_tiny_study(tmp_path / "study")
    (study / "study.toml").write_bytes('title = "Caf\u00e9"\n'.encode("cp1252"))
    assert check(study, tmp_path) == [REFUSED, "- study.toml: the file is not UTF-8 text (byte 13 cannot be read)"]


def test_a_changed_study_toml_makes_a_new_release_in_its_words(tiny_work):
    (tiny_work / "study" / "study.toml").write_text('title = "Council tracker"\nmember = "respondent"\n',
                                                    encoding="utf-8")
    status, out, err = run(tiny_work)
    assert status == 0 and "up to date" not in out, out + err
    manifest = json.loads((published(tiny_work, "run_manifest.json")).read_text(encoding="utf-8"))
    assert manifest["inputs"][-1]["file"] == "study.toml"
    assert "<title>Council tracker</title>" in published(tiny_work, "release/report.html").read_text(encoding="utf-8")
    status, out, err = run(tiny_work)
    assert status == 0 and "up to date" in out, out + err
    (tiny_work / "study" / "study.toml").write_text('title = "Council tracker, 2022"\n', encoding="utf-8")
    status, out, err = run(tiny_work)
    assert status == 0 and "up to date" not in out, out + err


# Notes on organisations, from the warehouse


def _organisation_study(root, waves: dict[str, list[str]]):
    """A study of one code whose waves' interviews are those of the organisations listed (one per entry)."""
    write_csv(root / "waves.csv", HEADERS["waves"],
              [[wave, f"Wave {wave}", f"{wave}-03-01", f"{wave}-03-31", len(orgs)] for wave, orgs in waves.items()])
    write_csv(root / "codebook.csv", HEADERS["codebook"], [["risk_a", "risk", "Risk A", "mention", None]])
    for wave, orgs in waves.items():
        ids = [f"{wave}-{i}" for i in range(len(orgs))]
        write_csv(root / wave / "interviews.csv", HEADERS["interviews"],
                  [[i, f"{wave}-03-02", "Councils", "Local authority", org, "phone", 30] for i, org in zip(ids, orgs)])
        write_csv(root / wave / "responses.csv", HEADERS["responses"], [[i, "risk_a", None, None] for i in ids])
    return root


def _mix_notes(tmp_path, waves, settings=ReleaseSettings()):
    _organisation_study(tmp_path / "study", waves)
    assert check(tmp_path / "study", tmp_path)[-1].startswith("Rows read")
    with duckdb.connect(str(tmp_path / "check.duckdb")) as con:
        return tuple(note for note in build_tables(con, settings).tables[0].notes if note.startswith("Organisations"))


def test_the_mix_says_how_many_organisations_had_one_interview_and_how_many_several(tmp_path):
    # 2020: X three times, Y once; 2021: X twice, Y twice, Z once: 5 organisation-waves, 2 single, 3 several.
    notes = _mix_notes(tmp_path, {"2020": ["X", "X", "X", "Y"], "2021": ["X", "X", "Y", "Y", "Z"]})
    assert notes == ("Organisations are not named: counting each organisation once in every wave it took part in, "
                     "2 of 5 took part with a single interview, whose name would identify the interviewee; the "
                     "other 3 had 2 to 3 interviews.",)


def test_where_every_organisation_had_several_interviews_the_mix_says_so(tmp_path):
    notes = _mix_notes(tmp_path, {"2020": ["X"] * 4 + ["Y"] * 3, "2021": ["X"] * 3 + ["Y"] * 3})
    assert notes == ("Organisations are not named, since the release does not identify the organisations taking "
                     "part; counting each organisation once in every wave it took part in, all 4 had several "
                     "interviews (3 to 4 interviews).",)


def test_where_every_organisation_had_one_interview_the_mix_says_all(tmp_path):
    notes = _mix_notes(tmp_path, {"2020": ["X", "Y", "Z"], "2021": ["X", "Y", "W", "V"]})
    assert notes == ("Organisations are not named: counting each organisation once in every wave it took part in, "
                     "all 7 took part with a single interview, whose name would identify the interviewee.",)


def test_where_organisations_are_listed_no_reason_is_given(tmp_path):
    assert _mix_notes(tmp_path, {"2020": ["X", "Y", "Z"]}, ReleaseSettings(organisations=True)) == ()


# Caveats of large bases


def _tested(bases: list[tuple[int, int]]) -> ReleaseTable:
    changes = pd.DataFrame({"row": range(len(bases)), "earlier": "w1", "later": "w2", "change_pp": 0.0,
                            "withheld": False, "base_a": [a for a, _ in bases], "base_b": [b for _, b in bases],
                            "tested": True, "p": 0.5, "p_adjusted": 0.5, "test": "no significant change"})
    waves = (Wave("w1", "Wave 1"), Wave("w2", "Wave 2"))
    return ReleaseTable("awareness", "Awareness", waves, typed(pd.DataFrame(), ROW_TYPES),
                        typed(pd.DataFrame(), VALUE_TYPES), typed(changes, CHANGE_TYPES))


def test_waves_of_1650_are_not_called_small():
    said = caveats([_tested([(1650, 1702), (820, 845)])], 30)
    assert not any(sentence.startswith(("The samples are small", "Some compared bases")) for sentence in said)
    assert caveats([_tested([(1650, 1702), (12, 845)])], 30)[0].startswith(
        "Some compared bases are under 30 interviews (the smallest is 12):")


# The quantifier scale


@pytest.mark.parametrize(("n", "base", "word"), [
    (0, 10, "none"), (1, 10, "a few"), (3, 10, "less than half"), (5, 10, "half"), (6, 10, "a majority"),
    (8, 10, "most"), (19, 20, "almost all"), (10, 10, "all"),
    (1, 7, "a few"), (1, 6, "less than half"), (10, 11, "almost all"), (9, 10, "most"), (3, 4, "most"),
    (2, 3, "a majority"), (1, 3, "less than half"), (12, 1650, "a few"),
])
def test_each_word_is_reached_at_realistic_bases(n, base, word):
    assert words(np.array([n]), np.array([base]))[0] == word


def test_the_scale_says_which_words_small_bases_cannot_reach():
    assert scale_sentences()[1] == (
        "With small bases one interview moves a proportion across several words, and some words cannot occur: "
        "'most' needs a base of at least 4 (3 of 4), 'a few' needs a base of at least 7 (1 of 7) and 'almost all' "
        "needs a base of at least 11 (10 of 11). Read the counts first.")


# The Read me's sections


def test_the_read_me_states_the_study_fieldwork_sample_levels_and_tests(tmp_path):
    study = write_tiny_study(tmp_path / "study")
    assert check(study, tmp_path)[-1].startswith("Rows read")
    with duckdb.connect(str(tmp_path / "check.duckdb")) as con:
        sections = readme_sections(con, ReleaseSettings(quantifiers=False, min_test_base=5),
                                   StudyText("Council tracker", "Field & Co"))
    assert [section.heading for section in sections] == [
        "The study", "Fieldwork", "Sample by stakeholder group", "Levels and nets", "Withheld cells", "Tests"]
    assert sections[:4] == (
        ReadmeSection("The study", (("Title", "Council tracker"), ("Run by", "Field & Co"))),
        ReadmeSection("Fieldwork", (("Wave A", "2020-03-01 to 2020-03-31, 3 interviews"),
                                    ("Wave B", "2021-03-01 to 2021-03-31, 2 interviews"),
                                    ("Wave C", "2022-03-01 to 2022-03-31, 4 interviews"))),
        ReadmeSection("Sample by stakeholder group", (("Wave A", "Charity 1; Council 2"), ("Wave B", "Council 2"),
                                                      ("Wave C", "Charity 2; Council 2"))),
        ReadmeSection("Levels and nets", (
            ("Aware of the policy", "Levels, lowest first: low | high. Net 'high': the interviews at 'high' added up "
                                    "(the default: the levels above the middle)."),
            ("Confident it works", "Levels, lowest first: no | yes. Net 'yes': the interviews at 'yes' added up (the "
                                   "default: the levels above the middle)."))),
    )
    assert sections[4].rows[0][0] == "[c]" and "Cells marked [c] are withheld" in sections[4].rows[0][1]
    assert sections[5] == ReadmeSection("Tests", (
        ("Test", "Fisher's exact test of two proportions, where both bases have at least 5 interviews"),
        ("Correction", "Holm's method, within each table and compared pair of waves"),
        ("Significant", "an adjusted p below 0.05"),
        ("Pairs compared", "Wave C against Wave B and Wave C against Wave A")))


def test_the_read_me_has_the_word_scale_when_words_are_shown_and_a_default_organisation(tmp_path):
    study = write_tiny_study(tmp_path / "study")
    assert check(study, tmp_path)[-1].startswith("Rows read")
    with duckdb.connect(str(tmp_path / "check.duckdb")) as con:
        sections = readme_sections(con, ReleaseSettings(), StudyText())
    assert sections[0].rows == (("Title", "Wave comparison"), ("Run by", "not stated (study.toml names no organisation)"))
    assert sections[-1].heading == "Words for proportions"
    assert sections[-1].rows[:3] == (("none", "0%"), ("a few", "above 0% and under 15%"),
                                     ("less than half", "15% to under 50%"))
    assert sections[-1].rows[-1] == ("Small bases", scale_sentences()[1])
