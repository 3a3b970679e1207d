"""The rules files (expectations/<suite>.yml): a rule written once both quarantines the rows that break
it in DuckDB and is an expectation of the GX suite with the same message; a malformed rules file is
refused with the file and the rule named; docs/validation-rules.md is what the rules files say."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from support import REPO, check, run, write_tiny_study
from wavecompare import graph, rules
from wavecompare.validation import Validator

WAVES = "expectations/waves.yml"
HEAD = "suite: waves\ndescription: Rows of waves.csv.\nfacts: validation.waves_facts\nrules:\n"


def test_a_rule_is_written_once_the_sql_and_the_suite_cannot_disagree(tmp_path, monkeypatch):
    suites = tmp_path / "expectations"
    shutil.copytree(rules.SUITES_DIR, suites)
    with (suites / "interviews.yml").open("a", encoding="utf-8") as rules_file:
        rules_file.write("  - name: duration_at_least_20\n    column: duration_minutes\n"
                         "    check: duration_minutes >= 20\n    message: an interview lasts at least 20 minutes\n"
                         "  - name: organisation_not_a_trust\n    column: organisation\n"
                         "    check: organisation NOT LIKE '%Trust'\n    message: a trust is not interviewed\n")
    monkeypatch.setattr(rules, "SUITES_DIR", suites)
    lines = check(write_tiny_study(tmp_path / "study"), tmp_path)
    # C4 lasted 15 minutes; A3, C1 and C4 were with a Café or Youth Trust.
    assert ("- 2022/interviews.csv, column duration_minutes: an interview lasts at least 20 minutes: "
            "1 row(s) affected: interview C4: '15' (row 5)") in lines
    with duckdb.connect(str(tmp_path / "check.duckdb"), read_only=True) as con:
        quarantined = con.execute("SELECT source_file, source_row, column_name, value, rule, expectation "
                                  "FROM validation.quarantine ORDER BY ALL").fetchall()
    assert quarantined == [
        ("2020/interviews.csv", 4, "organisation", "Café Trust", "a trust is not interviewed",
         "expect_column_values_to_be_in_set"),
        ("2022/interviews.csv", 2, "organisation", "Café Trust", "a trust is not interviewed",
         "expect_column_values_to_be_in_set"),
        ("2022/interviews.csv", 5, "duration_minutes", "15", "an interview lasts at least 20 minutes",
         "expect_column_values_to_be_between"),
        ("2022/interviews.csv", 5, "organisation", "Youth Trust", "a trust is not interviewed",
         "expect_column_values_to_be_in_set"),
    ]

    suite = Validator(tmp_path / "docs", rules.load()).suites["interviews"]
    added = {c.description: (c.type, c.kwargs, c.meta) for c in (e.configuration for e in suite.expectations[-2:])}
    assert added == {
        "an interview lasts at least 20 minutes": (
            "expect_column_values_to_be_between", {"column": "duration_at_least_20", "min_value": 20},
            {"input_column": "duration_minutes", "shown": "given_duration_minutes"}),
        "a trust is not interviewed": (
            "expect_column_values_to_be_in_set", {"column": "organisation_not_a_trust", "value_set": [True]},
            {"input_column": "organisation", "shown": "given_organisation"}),
    }


@pytest.mark.parametrize(("text", "message"), [
    ("rules: []", f"{WAVES}: names suite None; the file of suite 'waves' says `suite: waves`"),
    (HEAD.replace("facts: validation.waves_facts", "facts: waves_facts"),
     f"{WAVES}: `facts` names the model the rules read, as validation.<name>"),
    (HEAD + "  - {name: label_given, column: label, check: label IS NOT NULL}",
     f"{WAVES}: rule 'label_given' needs its message (the sentence a person sees when it fails)"),
    (HEAD + "  - {name: label_given, column: label, check: label IS NOT NULL, mesage: a value is required}",
     f"{WAVES}: rule 'label_given': the rule has unknown key(s) mesage; known: check, column, message, name, "
     "shown, when"),
    (HEAD + "  - {name: Label given, column: label, check: label IS NOT NULL, message: m}",
     f"{WAVES}: rule 1 needs a name in lower_snake_case, not starting given_ or source_ (it is the rule's column "
     "in the check view): 'Label given'"),
    (HEAD + "  - {name: title_given, column: title, check: title IS NOT NULL, message: m}",
     f"{WAVES}: rule 'title_given': unknown input column 'title'; the columns: wave_id, label, fieldwork_start, "
     "fieldwork_end, planned_interviews"),
    (HEAD + "  - {name: in_order, column: fieldwork_end, check: fieldwork_end >= , message: m}",
     f"{WAVES}: rule 'in_order': DuckDB cannot parse its check `fieldwork_end >=`: syntax error at or near \")\""),
    (HEAD + "  - {name: in_order, column: fieldwork_end, check: 'true) FROM raw.waves; --', message: m}",
     f"{WAVES}: rule 'in_order': its check `true) FROM raw.waves; --` is not one condition"),
    (HEAD + "  - {name: in_order, column: fieldwork_end, when: 'declared AND', check: 'true', message: m}",
     f"{WAVES}: rule 'in_order': DuckDB cannot parse its when `declared AND`: syntax error at or near \")\""),
    (HEAD + "  - {name: folder_declared, check: declared, message: m}",
     f"{WAVES}: rule 'folder_declared' names no input column, so it needs `shown`: the given_* fact its message "
     "shows"),
    (HEAD + "  - {name: a, column: label, check: 'true', message: m}\n  - {name: a, column: label, check: 'true', "
     "message: n}", f"{WAVES}: rule 'a' is listed twice; each rule has its own name"),
])
def test_a_malformed_rules_file_is_refused_naming_the_file_and_the_rule(text, message):
    with duckdb.connect() as con, pytest.raises(rules.RulesError) as refused:
        rules.parse(WAVES, text, con)
    assert str(refused.value) == message


@pytest.mark.parametrize(("rule", "message"), [
    ("{name: start_known, column: fieldwork_start, check: start_date IS NOT NULL, message: m}",
     f"{WAVES}: rule 'start_known': DuckDB refuses its check on validation.waves_facts: Binder Error: Referenced "
     "column \"start_date\" not found in FROM clause!"),
    ("{name: label_length, column: label, check: length(label), message: m}",
     f"{WAVES}: rule 'label_length': its check gives BIGINT, not true or false"),
    ("{name: label_short, column: label, check: label BETWEEN 1 AND 80, message: m}",
     f"{WAVES}: rule 'label_short': its check compares a VARCHAR with numbers; compare a number, "
     "e.g. try_cast(… AS DOUBLE)"),
    ("{name: label_given, column: label, check: label IS NOT NULL, message: m, shown: given_title}",
     f"{WAVES}: rule 'label_given' shows given_title, which validation.waves_facts does not have; it has "
     "given_fieldwork_end, given_fieldwork_start, given_label, given_planned_interviews, given_wave_id, "
     "given_wave_id_invisible, given_wave_id_lookalike"),
])
def test_a_check_on_facts_the_model_does_not_have_is_refused_before_any_input_is_read(rule, message):
    with duckdb.connect() as con:
        suite = rules.parse(WAVES, HEAD + "  - {name: wave_id_given, column: wave_id, check: wave_id IS NOT NULL, "
                            "message: a value is required}\n  - " + rule, con)
    with pytest.raises(rules.RulesError) as refused:
        rules.verify(graph.load(), {"waves": suite})
    assert str(refused.value) == message


@pytest.mark.e2e
def test_a_bad_rule_stops_the_run_with_its_message_and_no_traceback(tmp_path, monkeypatch):
    suites = tmp_path / "expectations"
    shutil.copytree(rules.SUITES_DIR, suites)
    with (suites / "responses.yml").open("a", encoding="utf-8") as rules_file:
        rules_file.write("  - {name: excerpt_short, column: excerpt, check: length(excerpt_text) < 500, message: m}\n")
    monkeypatch.setattr(rules, "SUITES_DIR", suites)
    write_tiny_study(tmp_path / "study")
    status, _, err = run(tmp_path)
    assert status == 1
    assert ("expectations/responses.yml: rule 'excerpt_short': DuckDB refuses its check on "
            "validation.responses_facts: Binder Error: Referenced column \"excerpt_text\" not found in FROM clause!"
            ) in err
    assert "Traceback" not in err
    assert not (tmp_path / "processed" / "current").exists()


def test_the_rules_page_is_generated_from_the_current_rules_files():
    written = (REPO / "docs" / "validation-rules.md").read_text(encoding="utf-8")
    assert written == rules.rules_doc(rules.load()), (
        "docs/validation-rules.md is stale: run `python -m wavecompare.rules --write docs/validation-rules.md`")
    assert ("| `duration_in_range` | `duration_minutes` | `duration_minutes BETWEEN 1 AND 600` "
            "| the duration must be between 1 and 600 minutes |") in written
