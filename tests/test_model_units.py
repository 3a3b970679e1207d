"""SQL unit tests, model by model, in the style of dbt's `unit_tests`: each contract's `unit_tests` give
input rows for the relations a model reads and the rows it must produce. They run the model's own SQL on
in-memory DuckDB, without Prefect or a flow run. Inputs a test does not list are empty; columns it does not
give are NULL; only the expected columns are compared, in any row order."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from wavecompare import contracts, graph, sqlfiles

CONTRACTS = contracts.load()
MODELS = graph.load()
CASES = [(name, case) for name, contract in CONTRACTS.items() for case in contract.unit_tests]


def test_the_models_with_unit_tests():
    assert sorted({name for name, _ in CASES}) == [
        "marts.code_levels", "marts.codebook", "marts.interview_duration", "marts.risk_mentions",
        "marts.service_area_levels", "marts.split_counts", "marts.stakeholder_mix", "marts.waves",
        "staging.int_code_level_counts", "staging.int_code_reach", "staging.int_code_rows",
        "staging.int_coded_interviews",
        "staging.int_interview_groups", "staging.int_theme_reach", "staging.int_wave_groups",
        "staging.stg_code_levels", "staging.stg_code_nets", "staging.stg_codebook", "staging.stg_interviews",
        "staging.stg_waves",
    ]


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{name}:{case['name']}" for name, case in CASES])
def test_model_unit(name, case):
    model = MODELS.models[name]
    given = {entry["input"]: entry["rows"] for entry in case["given"]}
    assert set(given) <= model.reads, f"{case['name']} gives rows for relations {name} does not read"
    with duckdb.connect() as con:
        sqlfiles.run(con, "raw/create_tables.sql")  # the schemas and the raw tables
        for macros in sqlfiles.names(graph.MACROS, ".sql"):
            sqlfiles.run(con, macros)
        for relation in sorted(model.reads - MODELS.sources):
            columns = ", ".join(f'"{c.name}" {c.data_type}' for c in CONTRACTS[relation].columns)
            con.execute(f"CREATE TABLE {relation} ({columns})").complete()
        for relation, rows in given.items():
            frame = pd.DataFrame(rows)  # noqa: F841  (read by DuckDB below)
            con.execute(f"INSERT INTO {relation} BY NAME SELECT * FROM frame").complete()
        con.execute(model.sql).complete()
        expected = case["expect"]["rows"]
        columns = list(expected[0])
        actual = con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in columns)} FROM {name}").fetchall()
    assert _sorted([dict(zip(columns, map(_plain, row))) for row in actual]) == _sorted(expected)


def _plain(value):
    """DuckDB's values as YAML writes them: decimals as floats."""
    return float(value) if isinstance(value, Decimal) else value


def _sorted(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: [(v is None, str(v)) for v in row.values()])


def test_a_unit_test_fails_when_the_model_is_wrong(monkeypatch):
    """The runner can fail: a mart that forgets 'All' does not produce the expected rows."""
    model = MODELS.models["staging.int_interview_groups"]
    broken = graph.Model(model.name, model.sql.replace("'All'", "'Everyone'"), model.origin, model.reads)
    monkeypatch.setitem(MODELS.models, model.name, broken)
    case = CONTRACTS["staging.int_interview_groups"].unit_tests[0]
    with pytest.raises(AssertionError):
        test_model_unit("staging.int_interview_groups", case)

