"""Model contracts (sql/models/<schema>/<name>.yml) against the models' real outputs: every staging model
and mart has one, the published example warehouse meets every one (columns, types, tests), a broken table
fails with the contract's own messages, a model added by a file alone is built in order and checked, and
docs/warehouse.md is what the contracts say."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from support import REPO
from wavecompare import contracts, graph, sqlfiles


def failures(con: duckdb.DuckDBPyConnection, contract: contracts.Contract) -> list[str]:
    """What the relation `contract.name` breaks of its contract: its columns and types, its kind, and each
    test as '<message> (<n> rows)'."""
    schema, table = contract.name.split(".")
    found = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        "ORDER BY ordinal_position", [schema, table]).fetchall()
    promised = [(c.name, c.data_type) for c in contract.columns]
    problems = [] if found == promised else [f"columns {found} are not the contract's {promised}"]
    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                       [schema, table]).fetchone()[0]
    if kind != {"table": "BASE TABLE", "view": "VIEW"}[contract.materialized]:
        problems.append(f"it is a {kind}, not a {contract.materialized}")
    for test in contract.tests:
        rows = con.execute(f"SELECT count(*) FROM ({_failing_rows(contract.name, test)})").fetchone()[0]
        if rows:
            problems.append(f"{test.message} ({rows} rows)")
    return problems


def _failing_rows(relation: str, test: contracts.DataTest) -> str:
    """A query of the rows that fail one test, as dbt writes its generic tests."""
    column = f'"{test.column}"' if test.column else None
    if test.kind == "not_null":
        return f"SELECT * FROM {relation} WHERE {column} IS NULL"
    if test.kind == "unique":
        return f"SELECT {column} FROM {relation} WHERE {column} IS NOT NULL GROUP BY ALL HAVING count(*) > 1"
    if test.kind == "unique_combination_of_columns":
        columns = ", ".join(f'"{c}"' for c in test.args["combination_of_columns"])
        return f"SELECT {columns} FROM {relation} GROUP BY ALL HAVING count(*) > 1"
    if test.kind == "accepted_values":
        values = ", ".join("'" + str(v).replace("'", "''") + "'" for v in test.args["values"])
        return f"SELECT * FROM {relation} WHERE {column} NOT IN ({values})"
    if test.kind == "expression_is_true":
        return f"SELECT * FROM {relation} WHERE NOT ({test.args['expression']})"
    assert test.kind == "relationships", test.kind
    mine = test.args.get("columns") or [test.column]
    theirs = test.args.get("fields") or ([test.args["field"]] if "field" in test.args else mine)
    match = " AND ".join(f'parent."{t}" = child."{m}"' for m, t in zip(mine, theirs))
    given = " AND ".join(f'child."{m}" IS NOT NULL' for m in mine)
    return (f"SELECT * FROM {relation} AS child WHERE {given} "
            f"AND NOT EXISTS (SELECT 1 FROM {test.args['to']} AS parent WHERE {match})")


def test_every_staging_model_and_mart_has_a_contract_and_every_contract_a_model():
    models = graph.load()
    built = {name for name, model in models.models.items() if model.schema in contracts.CONTRACT_SCHEMAS}
    assert set(contracts.load()) == built
    assert len(built) == 30  # 17 staging models, 10 marts, 3 private models


def test_the_published_example_meets_every_contract(example_published):
    with duckdb.connect(str(example_published / "warehouse.duckdb"), read_only=True) as con:
        broken = {name: failures(con, contract) for name, contract in contracts.load().items()}
    assert {name: problems for name, problems in broken.items() if problems} == {}


def test_a_table_that_breaks_its_contract_fails_with_the_contracts_messages(example_published, tmp_path):
    shutil.copy(example_published / "warehouse.duckdb", tmp_path / "broken.duckdb")
    with duckdb.connect(str(tmp_path / "broken.duckdb")) as con:
        # One row repeated, one count above its base, one kind that is neither 'level' nor 'mention'
        # (the 6 rows of one mention code: 2 waves × All and 2 groups).
        con.execute("""
            INSERT INTO marts.code_levels SELECT * FROM marts.code_levels LIMIT 1;
            UPDATE marts.code_levels SET n = base + 1 WHERE code_id = 'aware_theory' AND level = 'not coded'
                AND stakeholder_group = 'All' AND wave_id = '2012';
            UPDATE marts.code_levels SET kind = 'Level' WHERE code_id = 'risk_transparency';
        """).complete()
        assert failures(con, contracts.load()["marts.code_levels"]) == [
            "each wave, group, code and level appears once (1 rows)",
            "a count lies between 0 and its base (1 rows)",
            "a code is a level code or a mention code (6 rows)",
        ]


def test_a_new_model_file_is_built_in_order_and_its_contract_checked(example_published, tmp_path, monkeypatch):
    sql = tmp_path / "sql"
    shutil.copytree(sqlfiles.SQL_DIR, sql)
    (sql / "models/marts/risk_share.sql").write_text(
        "-- The share of each wave's interviews that raised any risk of the codebook.\n"
        "CREATE OR REPLACE TABLE marts.risk_share AS\n"
        "WITH risks AS (SELECT wave_id, max(n) AS most FROM marts.risk_mentions WHERE stakeholder_group = 'All'"
        " GROUP BY wave_id)\n"
        "SELECT waves.wave_id, risks.most FROM staging.stg_waves AS waves JOIN risks USING (wave_id)"
        " ORDER BY waves.wave_order;\n", encoding="utf-8")
    contract = (
        "models:\n  - name: marts.risk_share\n    description: The most interviews any one risk reached.\n"
        "    materialized: table\n    columns:\n"
        "      - {name: wave_id, data_type: VARCHAR, description: The wave.,"
        " data_tests: [{unique: {message: a wave has one row}}]}\n"
        "      - {name: most, data_type: BIGINT, description: Interviews.,"
        " data_tests: [{expression_is_true: {expression: most <= 15, message: no wave had more than 15}}]}\n")
    (sql / "models/marts/risk_share.yml").write_text(contract, encoding="utf-8")
    monkeypatch.setattr(sqlfiles, "SQL_DIR", sql)

    models = graph.load()
    marts = [model.name for model in models.stage("marts")]
    assert marts.index("marts.risk_share") > marts.index("marts.risk_mentions")
    shutil.copy(example_published / "warehouse.duckdb", tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        graph.build(con, "marts", models)
        assert con.execute("SELECT * FROM marts.risk_share").fetchall() == [("2012", 7), ("2013", 10)]  # poor performers: 7 of 10, 10 of 15
        assert failures(con, contracts.load()["marts.risk_share"]) == []
        (sql / "models/marts/risk_share.yml").write_text(
            contract.replace("BIGINT", "INTEGER").replace("most <= 15", "most <= 9"), encoding="utf-8")
        assert failures(con, contracts.load()["marts.risk_share"]) == [
            "columns [('wave_id', 'VARCHAR'), ('most', 'BIGINT')] are not the contract's "
            "[('wave_id', 'VARCHAR'), ('most', 'INTEGER')]",
            "no wave had more than 15 (1 rows)",
        ]


@pytest.mark.parametrize(("text", "message"), [
    ("models: []", "x.yml: a contract file describes one model under `models:`"),
    ("models:\n  - {name: marts.x, description: d, materialized: table, colums: []}",
     "x.yml: model has unknown key(s) colums; known: columns, data_tests, description, materialized, name"),
    ("models:\n  - name: marts.x\n    description: d\n    materialized: table\n    columns:\n"
     "      - {name: n, data_type: BIGINT, description: d, data_tests: [not_null]}",
     "x.yml: a test is one `kind: {message: …}` entry, not 'not_null'"),
    ("models:\n  - name: marts.x\n    description: d\n    materialized: table\n    columns:\n"
     "      - {name: n, data_type: BIGINT, description: d, data_tests: [{not_null: {}}]}",
     "x.yml: the not_null test on n needs the message a user sees when it fails"),
    ("models:\n  - name: marts.x\n    description: d\n    materialized: table\n"
     "    data_tests: [{expression_is_true: {check: n > 0, message: m}}]",
     "x.yml: the expression_is_true test on the model takes expression"),
    ("models:\n  - name: marts.x\n    description: d\n    materialized: table\n"
     "    data_tests: [{is_positive: {message: m}}]",
     "x.yml: unknown test 'is_positive'; known: not_null, unique, accepted_values, relationships, "
     "expression_is_true, unique_combination_of_columns"),
])
def test_a_malformed_contract_is_refused_with_what_is_wrong(text, message):
    with pytest.raises(contracts.ContractError) as refused:
        contracts.parse("x.yml", text)
    assert str(refused.value) == message


def test_the_data_dictionary_is_generated_from_the_current_contracts():
    written = (REPO / "docs" / "warehouse.md").read_text(encoding="utf-8")
    assert written == contracts.warehouse_doc(contracts.load(), graph.load()), (
        "docs/warehouse.md is stale: run `python -m wavecompare.contracts --write docs/warehouse.md`")
    assert "| `pct` | DECIMAL(4,1) | 100 × n / base, to one decimal; NULL where the base is 0. |" in written
