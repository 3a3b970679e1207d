"""Validation: DuckDB computes the checks, Great Expectations asserts the suites.

The rules are written once, in `expectations/<suite>.yml` (see `rules.py`). For
each suite a model in `sql/models/validation/` gathers the facts its rules read,
one row per input row, set-based in DuckDB (joins for orphans, window counts for
duplicates); the check view generated from the rules adds one column per rule.
Each check view is reduced to its distinct combinations of file and check
values (`sql/validation/profile.sql`), and the GX suite generated from the same
rules is validated on that small pandas batch, one per suite. GX 1.x has no
working DuckDB engine, and this keeps its work proportional to the variety of
the data, not its size. The
rows behind a failing combination are then fetched by DuckDB into the
quarantine, so every rejected row is listed with its reason.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import duckdb
import pandas as pd

from wavecompare import graph, identifiers, rules, sqlfiles
from wavecompare.problems import Problem
from wavecompare.report_assets import make_offline

RESULT_FORMAT = {"result_format": "COMPLETE", "include_unexpected_rows": False}

# GX logs at INFO while it renders Data Docs; what matters is reported by the flow.
logging.getLogger("great_expectations").setLevel(logging.WARNING)


class Validator:
    """One ephemeral GX context per run, holding the suites (built from the rules files, as `rules.load`
    reads them) and the run's results, and writing the run's Data Docs to `docs_dir`."""

    def __init__(self, docs_dir: Path, suites: dict[str, rules.Suite]):
        import great_expectations as gx
        from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

        self._gx = gx
        self.docs_dir = docs_dir
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = {"globally": False}
        self.context.add_data_docs_site(
            site_name="run",
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir.resolve()),
                },
                # Offline: the index's lists as plain tables, and no buttons leading to GX's online docs.
                "site_index_builder": {
                    "class_name": "DefaultSiteIndexBuilder",
                    "renderer": {
                        "module_name": "wavecompare.report_index",
                        "class_name": "StaticSiteIndexPageRenderer",
                    },
                },
                "show_how_to_buttons": False,
            },
        )
        self.source = self.context.data_sources.add_pandas("study")
        self.rules = suites
        self.suites = {}
        for name, spec in self.rules.items():
            suite = gx.ExpectationSuite(name=name, notes=spec.description, meta={"rules": spec.origin})
            for rule in spec.rules:
                suite.add_expectation_configuration(ExpectationConfiguration(
                    type=rule.expectation, kwargs=rule.kwargs, description=rule.message,
                    meta={"input_column": rule.column, "shown": rule.shown},
                    notes=[f"Rule `{rule.name}` of {spec.origin}: `{rule.check}`"
                           + (f", where `{rule.when}`" if rule.when else "")],
                ))
            self.suites[name] = self.context.suites.add(suite)

    def validate(self, con: duckdb.DuckDBPyConnection, suite_name: str) -> None:
        """Validate a suite's check view (every file of its kind in one batch), created here from its rules
        on the built facts; failing rows go to validation.quarantine."""
        check_table = self.rules[suite_name].check_table
        rules.create_check_view(con, self.rules[suite_name])
        frame = con.execute(sqlfiles.text("validation/profile.sql"), {"check_table": check_table}).df()
        asset = self.source.add_dataframe_asset(suite_name)
        definition = self._gx.ValidationDefinition(
            name=suite_name,
            data=asset.add_batch_definition_whole_dataframe("distinct check values per file"),
            suite=self.suites[suite_name],
        )
        definition = self.context.validation_definitions.add(definition)
        outcome = definition.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT)
        for result in outcome.results:
            self._record(con, suite_name, check_table, frame, result)

    def _record(self, con, suite_name: str, check_table: str, frame: pd.DataFrame, result) -> None:
        config = result.expectation_config
        meta = config.meta or {}
        column = meta.get("input_column")
        failing = frame.loc[result.result.get("unexpected_index_list") or [], :] if not result.success else frame[:0]
        per_file = failing.groupby("source_file")["rows_in_file"].sum()
        sqlfiles.run(
            con,
            "validation/record_result.sql",
            suite=suite_name,
            files=sorted(frame["source_file"].unique()),
            expectation=config.type,
            column_name=column,
            rule=config.description,
            failing_files=list(per_file.index),
            failing_rows=[int(n) for n in per_file],
        )
        if len(failing):
            sqlfiles.run(
                con,
                "validation/quarantine_rows.sql",
                check_table=check_table,
                column_name=column,
                shown_column="^" + re.escape(meta["shown"]) + "$",
                rule=config.description,
                expectation=config.type,
                combinations=[int(c) for c in failing["combination"]],
            )

    def build_docs(self) -> Path:
        """Render the run's Data Docs, readable offline; returns the index page."""
        self.context.build_data_docs(site_names=["run"])
        make_offline(self.docs_dir)
        return self.docs_dir / "index.html"


def validate_inputs(con: duckdb.DuckDBPyConnection, validator: Validator, models: graph.Graph) -> None:
    """Build the facts and validate every input file against its kind's suite;
    then tell which defined identifier a look-alike reference resembles, and build
    what reports on the quarantine."""
    identifiers.register(con)
    graph.build(con, "input_checks", models)
    for suite in rules.INPUT_SUITES:
        validator.validate(con, suite)
    sqlfiles.run(con, "validation/lookalike_references.sql")
    graph.build(con, "quarantine_reports", models)


def validate_published(con: duckdb.DuckDBPyConnection, validator: Validator, models: graph.Graph) -> None:
    """Check the built tables' internal consistency before they are published."""
    graph.build(con, "published_checks", models)
    validator.validate(con, rules.PUBLISHED_SUITE)


def quarantine_problems(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    """The quarantine, summarised per file, rule and column."""
    return [
        Problem(file, rule, column, rows, tuple((e["row"], e["value"], e["record"]) for e in examples))
        for file, rule, column, rows, examples in con.execute(sqlfiles.text("validation/summary.sql")).fetchall()
    ]
