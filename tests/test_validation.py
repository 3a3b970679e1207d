"""The expectation suites: every rule runs and passes on a good study, the
published-tables suite catches inconsistent tables, and breaking any one file of
the example study stops the run with a message naming that file."""

from __future__ import annotations

import shutil

import duckdb
import pytest
import yaml

from support import EXAMPLE, check, query, run_pipeline, write_tiny_study
from wavecompare import graph, rules, sqlfiles
from wavecompare.validation import Validator, quarantine_problems, validate_published


@pytest.mark.e2e
def test_every_rule_runs_and_passes_on_a_good_study(tmp_path):
    study = write_tiny_study(tmp_path / "study")
    (study / "redact.csv").write_text("term,label\nJo Bloggs,name\n", encoding="utf-8")
    (study / "crosswalk.csv").write_text("wave_id,source_code,code_id,value\n,Risks\\A,risk_a,\n", encoding="utf-8")
    assert run_pipeline(study, tmp_path).is_completed()
    ran = query(tmp_path, "SELECT DISTINCT suite, expectation, column_name, rule FROM validation.results WHERE success")
    failed = query(tmp_path, "SELECT * FROM validation.results WHERE NOT success")
    # The checks GX asserts as a range or a set of values; every other check is asserted true.
    typed = {
        "wave_has_interviews": "expect_column_values_to_be_between",
        "kind_known": "expect_column_values_to_be_in_set",
        "duration_in_range": "expect_column_values_to_be_between",
        "stakeholder_group_not_all": "expect_column_values_to_not_be_in_set",
        "row_not_too_long": "expect_column_values_to_be_between",
        "no_percentage_below_0": "expect_column_values_to_be_between",
        "no_percentage_above_100": "expect_column_values_to_be_between",
    }
    expected = {
        (suite.stem, typed.get(rule["name"], "expect_column_values_to_be_in_set"), rule.get("column"), rule["message"])
        for suite in rules.SUITES_DIR.glob("*.yml")
        for rule in yaml.safe_load(suite.read_text())["rules"]
    }
    assert len(expected) == 75  # 49 before, 2 for redact.csv, 8 for look-alike and invisible identifiers, 4 for nets,
    # 1 for duplicate wave labels, 3 for waves coded in a tool (a code not in the crosswalk, an interview without
    # a document, the coded column), 6 for crosswalk.csv, 2 for a project-wide export
    assert set(ran) == expected
    assert failed == []
    files = query(tmp_path, "SELECT suite, count(DISTINCT source_file) FROM validation.results GROUP BY suite ORDER BY suite")
    assert files == [("codebook", 1), ("crosswalk", 1), ("interviews", 3), ("published_tables", 7), ("redact", 1),
                     ("responses", 3), ("waves", 1)]
    assert query(tmp_path, "SELECT count(*) FROM validation.quarantine") == [(0,)]


def test_published_tables_suite_catches_inconsistent_tables(tmp_path):
    with duckdb.connect(str(tmp_path / "broken.duckdb")) as con:
        sqlfiles.run(con, "raw/create_tables.sql")
        sqlfiles.run(con, "macros/staging.sql")
        sqlfiles.run(con, "validation/create_tables.sql")
        con.execute(
            """
            CREATE SCHEMA IF NOT EXISTS marts;
            CREATE TABLE marts.code_levels AS SELECT * FROM (VALUES
                ('2020', 'All', 'aware', 'low', 1, 3, 33.3, 'level'),
                ('2020', 'All', 'aware', 'high', 1, 3, 33.3, 'level'),
                ('2020', 'All', 'aware', 'not coded', 0, 3, 0.0, 'level'),
                ('2020', 'Council', 'aware', 'low', 1, 2, 50.0, 'level'),
                ('2020', 'Council', 'aware', 'high', 1, 2, 50.0, 'level'),
                ('2020', 'Council', 'aware', 'not coded', 0, 2, 0.0, 'level')
            ) AS t(wave_id, stakeholder_group, code_id, level, n, base, pct, kind);
            CREATE TABLE marts.stakeholder_mix AS SELECT * FROM (VALUES
                ('2020', 'mode', 'telephone', 3, 3, 100.0)
            ) AS t(wave_id, dimension, category, n, base, pct);
            CREATE TABLE marts.awareness AS SELECT * FROM marts.code_levels;
            CREATE TABLE marts.confidence AS SELECT * FROM marts.code_levels LIMIT 0;
            CREATE TABLE marts.risk_mentions AS SELECT * FROM (VALUES ('2020', 'All', 'risk_a', 4, 3, 133.3))
                AS t(wave_id, stakeholder_group, code_id, n, base, pct);
            CREATE TABLE marts.service_area_levels AS SELECT * FROM (VALUES
                ('2020', 'North', 'awareness', 'aware', 'low', 1, 2, 50.0),
                ('2020', 'North', 'awareness', 'aware', 'high', 0, 2, 0.0),
                ('2020', 'North', 'awareness', 'aware', 'not coded', 0, 2, 0.0)
            ) AS t(wave_id, service_area, theme, code_id, level, n, base, pct);
            CREATE TABLE marts.codebook AS SELECT * FROM (VALUES ('aware', 'awareness', 'level')) AS t(code_id, theme, kind);
            CREATE TABLE marts.split_counts AS SELECT * FROM (VALUES
                ('2020', 'stakeholder_group', 'All', 'aware', 'low', 1, 3, 33.3),
                ('2020', 'stakeholder_group', 'All', 'aware', 'high', 2, 3, 66.7),
                ('2020', 'stakeholder_group', 'All', 'aware', 'net: high', 2, 3, 66.7),
                ('2020', 'stakeholder_group', 'All', 'aware', 'not coded', 0, 3, 0.0),
                ('2020', 'stakeholder_group', 'Council', 'aware', 'low', 1, 2, 50.0),
                ('2020', 'stakeholder_group', 'Council', 'aware', 'high', 0, 2, 0.0),
                ('2020', 'stakeholder_group', 'Council', 'aware', 'not coded', 0, 2, 0.0)
            ) AS t(wave_id, split, category, code_id, level, n, base, pct);
            CREATE TABLE marts.waves AS SELECT * FROM (VALUES ('2020', 4)) AS t(wave_id, interviews);
            """
        ).complete()
        validator = Validator(tmp_path / "docs", rules.load())
        validate_published(con, validator, graph.load())
        problems = quarantine_problems(con)
    # All: 1 + 1 + 0 = 2 of a base of 3; Council's base of 2 is not the All base of 3; risk_a: 133.3%; North:
    # 1 + 0 + 0 = 1 of a base of 2, and its base of 2 (the only area) is not the All base of 3; split_counts:
    # Council's 1 + 0 + 0 of 2 (All's net is no level: 1 + 2 + 0 = 3), Council's base of 2 is not All's 3; waves: 4
    # interviews, not the mix's base of 3. Facts are numbered by table, fact, wave and group: awareness 1,
    # code_levels 2-4, risk_mentions 5, service_area_levels 6-8, split_counts 9-12, stakeholder_mix 13-14, waves 15.
    assert [(p.file, p.rule, p.rows, p.examples) for p in problems] == [
        ("code_levels", "the parts do not add up to the whole", 2, ((2, "2020 All", None), (4, "2020 All", None))),
        ("risk_mentions", "a percentage is above 100", 1, ((5, "percentages lie between 0 and 100", None),)),
        ("service_area_levels", "the parts do not add up to the whole", 2,
         ((6, "2020 North", None), (8, "2020 All", None))),
        ("split_counts", "the parts do not add up to the whole", 2,
         ((10, "2020 stakeholder_group Council", None), (12, "2020 All", None))),
        ("waves", "the parts do not add up to the whole", 1, ((15, "2020 All", None),)),
    ]


EXAMPLE_FILES = ["waves.csv", "codebook.csv", "2012/interviews.csv", "2012/responses.csv",
                 "2013/interviews.csv", "2013/responses.csv"]


@pytest.mark.parametrize("name", EXAMPLE_FILES)
@pytest.mark.parametrize("breakage", ["header lost", "row cut short"])
def test_breaking_any_file_of_the_example_study(tmp_path, name, breakage):
    study = shutil.copytree(EXAMPLE, tmp_path / "study")
    path = study / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if breakage == "header lost":
        lines = lines[1:]
    else:
        lines[2] = lines[2].split(",")[0] + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    rule = ("required column(s) missing from the header row: " if breakage == "header lost"
            else "the row has fewer fields than the header: 1 row(s) affected: row 3 ")
    lines = check(study, tmp_path)
    assert any(line.startswith(f"- {name}: {rule}") for line in lines), lines
