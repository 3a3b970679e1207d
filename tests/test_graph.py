"""The model graph read from the SQL: every model file is in it, built after what it reads, and a file that
is not one model, a reference to nothing, or a cycle stops it with a message naming the file."""

from __future__ import annotations

import duckdb
import pytest

from wavecompare import graph, sqlfiles


def test_every_model_file_is_in_the_graph_in_its_stage():
    models = graph.load()
    files = sqlfiles.names(graph.MODELS, ".sql")
    assert sorted(model.origin for model in models.models.values() if model.origin.startswith("sql/models/")) == [
        f"sql/{name}" for name in files]
    assert [model.name for model in models.stage("marts")] == [
        "private.listed_terms", "marts.interview_duration", "marts.stakeholder_mix", "marts.waves",
        "private.redaction_terms", "marts.codebook", "private.quote_candidates", "marts.service_area_levels",
        "marts.code_levels", "marts.risk_mentions", "marts.awareness", "marts.confidence", "marts.split_counts"]
    assert [model.name for model in models.stage("quarantine_reports")] == ["validation.reconciliation"]
    assert [model.name for model in models.stage("published_checks")] == ["validation.published_facts"]


def test_a_model_is_built_after_every_model_it_reads():
    models = graph.load()
    position = {model.name: i for i, model in enumerate(models.order())}
    assert models.models["marts.awareness"].reads == {"marts.code_levels"}
    for model in models.models.values():
        for read in model.reads - models.sources:
            assert position[read] < position[model.name], (model.name, read)


def _parse(sql):
    with duckdb.connect() as con:
        return graph.parse("sql/models/marts/x.sql", sql, con)


def test_reads_come_from_duckdbs_parser_not_from_ctes_or_comments():
    model = _parse("-- reads staging.not_this\nCREATE OR REPLACE VIEW marts.x AS\n"
                   "WITH a AS (SELECT * FROM staging.stg_waves), b AS (SELECT * FROM a JOIN raw.waves USING (wave_id))\n"
                   "SELECT * FROM b WHERE wave_id IN (SELECT wave_id FROM staging.stg_interviews);")
    assert (model.name, model.reads) == ("marts.x", {"staging.stg_waves", "raw.waves", "staging.stg_interviews"})


@pytest.mark.parametrize(("sql", "message"), [
    ("SELECT 1;", "sql/models/marts/x.sql: a model is one statement, CREATE OR REPLACE TABLE|VIEW <schema>.<name> AS …"),
    ("CREATE OR REPLACE TABLE marts.x AS SELECT * FROM stg_waves;",
     "sql/models/marts/x.sql: reads 'stg_waves' without a schema; name models as <schema>.<name>"),
    ("CREATE OR REPLACE TABLE marts.x AS SELECT * FROM staging.stg_waves; DROP TABLE raw.waves;",
     "sql/models/marts/x.sql: DuckDB cannot parse the query: "),
])
def test_a_file_that_is_not_one_model_is_refused(sql, message):
    with pytest.raises(graph.GraphError) as refused:
        _parse(sql)
    assert str(refused.value).startswith(message)


def test_a_reference_to_nothing_and_a_cycle_are_refused_before_anything_runs():
    with pytest.raises(graph.GraphError) as unknown:
        graph.load(extra=[("test", "CREATE OR REPLACE TABLE marts.x AS SELECT * FROM staging.stg_wave;")])
    assert str(unknown.value) == "test: reads staging.stg_wave, which no model builds and no source declares"
    cycle = [("a", "CREATE OR REPLACE TABLE marts.a AS SELECT * FROM marts.b;"),
             ("b", "CREATE OR REPLACE TABLE marts.b AS SELECT * FROM marts.a;")]
    with pytest.raises(graph.GraphError) as looped:
        graph.load(extra=cycle)
    assert str(looped.value) in ("the models read each other in a cycle: marts.a → marts.b → marts.a",
                                 "the models read each other in a cycle: marts.b → marts.a → marts.b")


def test_a_model_twice_or_in_the_wrong_file_is_refused():
    with pytest.raises(graph.GraphError) as twice:
        graph.load(extra=[("test", "CREATE OR REPLACE TABLE marts.awareness AS SELECT 1 AS x;")])
    assert str(twice.value) == "test: marts.awareness is already built by sql/models/marts/awareness.sql"
    with pytest.raises(graph.GraphError) as misplaced:
        graph.load(extra=[("sql/models/staging/y.sql", "CREATE OR REPLACE TABLE marts.y AS SELECT 1 AS x;")])
    assert str(misplaced.value) == "sql/models/staging/y.sql: builds marts.y, so it belongs at sql/models/marts/y.sql"
