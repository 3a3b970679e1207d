"""Redaction of the quote bank: details written with other characters than the patterns', the study's own
redact.csv terms, a malformed redact.csv refused, and a run of the example study whose release holds no term."""

from __future__ import annotations

import csv
import json
import re
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from support import EXAMPLE, check, run, write_tiny_study
from wavecompare.release.redaction import redact, redact_all, terms_found

STUDY_TERMS = [("W2-05", "interview id"), ("Care Quality Commission", "organisation")]
LISTED = [("Jane Doe", "name"), ("CQC", "regulator"), ("@jane_doe", "handle")]


@pytest.mark.parametrize(("text", "expected"), [
    ("As w2-05 told us", "As [interview id] told us"),
    ("The office at EC1A\u00a01BB closed", "The office at [postcode] closed"),
    ("Ring 0207\u20119460958 after six", "Ring [phone] after six"),
    ("or 44 20 7946 0000, the switchboard", "or [phone], the switchboard"),
    ("Write to jane.doe [at] example.org soon", "Write to [e-mail] soon"),
    ("Write to jane.doe (at) example (dot) org soon", "Write to [e-mail] soon"),
    ("Write to jane dot doe at example dot org soon", "Write to [e-mail] soon"),
    ("Write to jane.doe at example.org soon", "Write to [e-mail] soon"),
    ("We looked at gov.uk for it", "We looked at gov.uk for it"),
    ("THE CARE\u2003QUALITY\u00a0COMMISSION and Ｗ２－０５", "THE [organisation] and [interview id]"),
])
def test_details_written_with_other_characters_are_redacted(text, expected):
    assert redact(text, STUDY_TERMS)[0] == expected


@pytest.mark.parametrize(("text", "expected", "kinds"), [
    ("jane\u00a0DOE said the CQC, not CQCX, asked", "[name] said the [regulator], not CQCX, asked",
     ["name", "regulator"]),
    ("cqc's view; Jane  Doe-Smith; JaneDoe", "[regulator]'s view; [name]-Smith; JaneDoe", ["regulator", "name"]),
    ("ask @Jane_Doe, not @jane_doe2 or x@jane_doe", "ask [handle], not @jane_doe2 or x@jane_doe", ["handle"]),
    ("Mail jane.doe@cqc.org.uk or Jane Doe", "Mail [e-mail] or [name]", ["e-mail", "name"]),  # no 'regulator'

])
def test_listed_terms_are_redacted_as_whole_words_ignoring_case_and_spacing(text, expected, kinds):
    assert redact(text, LISTED) == (expected, kinds)


def test_overlapping_terms_are_both_taken_out_and_positions_map_back_past_expanded_characters():
    terms = [("Jane Doe", "name"), ("Doe Ltd", "organisation")]
    assert redact("\ufb01ne words from Jane Doe Ltd, \ufb01nally", terms) == (
        "\ufb01ne words from [name], \ufb01nally", ["name"])


def test_of_a_study_s_many_terms_those_in_the_texts_are_taken_out_and_a_repeated_term_keeps_its_first_label():
    """The terms are sifted by their words before they are compiled (most interview ids are in no excerpt):
    what the sift keeps, through full-width and accented text, is what redaction finds."""
    terms = [(f"W{i % 20:02}-{i:06}", "interview id") for i in range(50_000)]
    terms += [("JANE DOE", "name"), ("Jane  Doe", "alias"), ("Zoë Ball", "name"), ("Zed Ltd", "organisation")]
    texts = ["\uff57\uff10\uff13-000043 met jane doe", "zoe ball? Zoë Ball!", "w03-000044x is no id"]
    assert redact_all(texts, terms) == [("[interview id] met [name]", ["interview id", "name"]),
                                        ("zoe ball? [name]!", ["name"]), ("w03-000044x is no id", [])]
    assert terms_found(texts, terms) == ["interview id", "name"]


def run_on(study: Path, work: Path) -> tuple[int, str]:
    """The command line on `study`, publishing under `work`: (exit status, what it printed)."""
    status, out, err = run(work, study=study)
    return status, out + err


@pytest.mark.parametrize(("content", "expected"), [
    ("term\nJane Doe\n",
     "- redact.csv: required column(s) missing from the header row: label: row 1 'term'"),
    ("term,label\nJane Doe,name\n  ,name\n",
     "- redact.csv, column term: a value is required: 1 row(s) affected: row 3 '  '"),
    ("term,label\nJane Doe,\n",
     "- redact.csv, column label: a value is required: the label shown in place of the term, e.g. name: "
     "1 row(s) affected: row 2 (empty)"),
])
def test_a_malformed_redact_file_is_refused_naming_file_row_and_rule(tmp_path, content, expected):
    study = write_tiny_study(tmp_path / "study")
    (study / "redact.csv").write_text(content, encoding="utf-8")
    assert expected in check(study, tmp_path)


EXCERPTS = [  # (excerpt as written in 2012/responses.csv, as the quote bank must show it)
    ("Ask w1-05 or jane.doe [at] example.org at EC1A\u00a01BB", "Ask [interview id] or [e-mail] at [postcode]"),
    ("Ring 0207\u20119460958 or 44 20 7946 0000 about the cqc", "Ring [phone] or [phone] about the [regulator]"),
    ("Jane\u00a0Doe (@JANE_DOE) of the CQC said so", "[name] ([handle]) of the [regulator] said so"),
]


@pytest.mark.e2e
def test_the_example_release_holds_no_listed_term(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(EXAMPLE, study)
    responses = study / "2012" / "responses.csv"
    header, rest = responses.read_text(encoding="utf-8").split("\n", 1)
    rows = "".join(f'W1-01,offer_peer_challenge,,"{excerpt}"\n' for excerpt, _ in EXCERPTS)
    responses.write_text(f"{header}\n{rows}{rest}", encoding="utf-8")
    (study / "redact.csv").write_text("term,label\nJane Doe,name\nCQC,regulator\n@jane_doe,handle\n",
                                      encoding="utf-8")
    status, message = run_on(study, tmp_path)
    assert status == 0, message
    release = tmp_path / "processed" / "current" / "release"
    with (release / "quote_bank.csv").open(encoding="utf-8-sig", newline="") as handle:
        bank = [row["Excerpt"] for row in csv.DictReader(handle)]
    assert [expected for _, expected in EXCERPTS] == bank[:3]
    book = openpyxl.load_workbook(release / "wave_comparison.xlsx", read_only=True)
    cells = [str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for value in row if value is not None]
    assert [expected for _, expected in EXCERPTS] == [cell for cell in cells if cell.startswith(("Ask", "Ring", "[name]"))]
    listed = re.compile(r"(?<!\w)(?:jane doe|cqc|@jane_doe)(?!\w)")
    for name, text in [("quote_bank.csv", "\n".join(bank)), ("wave_comparison.xlsx", "\n".join(cells))]:
        folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
        assert not listed.search(folded), (name, listed.search(folded))
    inputs = json.loads((tmp_path / "processed" / "current" / "run_manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert {"file": "redact.csv", "rows": 3} == {k: v for k, v in next(
        i for i in inputs if i["file"] == "redact.csv").items() if k != "sha256"}


@pytest.mark.e2e
def test_a_term_that_the_tables_would_show_refuses_the_release_naming_its_row_not_the_term(tmp_path):
    study = write_tiny_study(tmp_path / "study")
    (study / "redact.csv").write_text("term,label\nJane Doe,name\nthird  SECTOR,type\n", encoding="utf-8")
    status, message = run_on(study, tmp_path)
    assert status == 1
    assert ("- redact.csv, column term: this term would be published in the release, where it is not redacted (a "
            "group, category, label or file name holds it): rename it there, or take the term out of redact.csv: "
            "1 row(s) affected: row 3 'stakeholder_mix'") in message.splitlines(), message
    assert "third" not in message.casefold()
    assert "Traceback" not in message
    assert not (tmp_path / "processed" / "current" / "release").exists()
