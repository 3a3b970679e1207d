"""The warehouse's models and the order they are built in, read from the SQL itself.

A model is one file `sql/models/<schema>/<name>.sql` holding one statement,
`CREATE OR REPLACE TABLE|VIEW <schema>.<name> AS <query>`. The relations a model
reads are found with DuckDB's own parser (`json_serialize_sql`), so a new model
needs no list: it is built after what it reads. The relations the flow loads
itself (the raw tables, the quarantine) are declared in `sql/models/sources.yml`;
a model that reads anything else, or a cycle, is an error before anything runs.

The flow builds the graph in stages, each a set of models picked by what they read
(see `stage_of`), because Great Expectations gates sit between them.
"""

from __future__ import annotations

import graphlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import duckdb
import yaml

from wavecompare import sqlfiles

MODELS = "models"
MACROS = "macros"
SOURCES = "models/sources.yml"
QUARANTINE = "validation.quarantine"
# Stages in build order: the flow validates inputs between the first two stages
# and the published tables after the marts.
STAGES = ("staging", "input_checks", "quarantine_reports", "marts", "published_checks")
# The schema that holds unredacted text for the release alone (quote candidates, redaction terms): never
# exported or listed among the published tables. Its models read staging and are built with the marts.
PRIVATE = "private"
SCHEMA_STAGES = {"staging": "staging", "marts": "marts", PRIVATE: "marts"}

_HEADER = re.compile(
    r"^\s*(?:--[^\n]*\n\s*)*CREATE\s+OR\s+REPLACE\s+(?:TABLE|VIEW)\s+(\w+)\.(\w+)\s+AS\s+(.*?);?\s*$",
    re.IGNORECASE | re.DOTALL,
)


class GraphError(ValueError):
    """A model file that is not one model, an unknown reference, or a cycle."""


@dataclass(frozen=True)
class Model:
    """One relation the warehouse builds: its name, its statement, where it was written, what it reads."""

    name: str
    sql: str
    origin: str
    reads: frozenset[str]

    @property
    def schema(self) -> str:
        return self.name.split(".", 1)[0]


def parse(origin: str, sql: str, con: duckdb.DuckDBPyConnection) -> Model:
    """Read one model's name and the relations its query reads; `origin` names it in errors."""
    header = _HEADER.match(sql)
    if header is None:
        raise GraphError(f"{origin}: a model is one statement, CREATE OR REPLACE TABLE|VIEW <schema>.<name> AS …")
    schema, table, query = header.groups()
    tree = json.loads(con.execute("SELECT json_serialize_sql($1)", [query]).fetchone()[0])
    if tree.get("error"):
        raise GraphError(f"{origin}: DuckDB cannot parse the query: {tree.get('error_message')}")
    ctes = set(_cte_names(tree))
    reads = set()
    for ref_schema, ref_table in _base_tables(tree):
        if ref_schema:
            reads.add(f"{ref_schema}.{ref_table}")
        elif ref_table not in ctes:
            raise GraphError(f"{origin}: reads {ref_table!r} without a schema; name models as <schema>.<name>")
    return Model(f"{schema}.{table}", sql, origin, frozenset(reads))


def _base_tables(node: object) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if node.get("type") == "BASE_TABLE":
            yield node.get("schema_name") or "", node["table_name"]
        for value in node.values():
            yield from _base_tables(value)
    elif isinstance(node, list):
        for value in node:
            yield from _base_tables(value)


def _cte_names(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for entry in node.get("cte_map", {}).get("map", []):
            yield entry["key"]
        for value in node.values():
            yield from _cte_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _cte_names(value)


@dataclass(frozen=True)
class Graph:
    """Every model, keyed by name, and the sources they may read."""

    models: dict[str, Model]
    sources: frozenset[str]

    def order(self) -> list[Model]:
        """Every model after the models it reads; ties in name order, so the order is stable."""
        sorter = graphlib.TopologicalSorter(
            {name: sorted(model.reads - self.sources) for name, model in self.models.items()}
        )
        try:
            sorter.prepare()
        except graphlib.CycleError as error:
            raise GraphError("the models read each other in a cycle: " + " → ".join(error.args[1])) from None
        ordered = []
        while sorter.is_active():
            ready = sorted(sorter.get_ready())
            ordered += ready
            sorter.done(*ready)
        return [self.models[name] for name in ordered]

    def ancestors(self, name: str) -> set[str]:
        """Every relation a model reads, directly or through other models, sources included."""
        seen: set[str] = set()
        pending = [name]
        while pending:
            for read in self.models[pending.pop()].reads:
                if read not in seen:
                    seen.add(read)
                    if read in self.models:
                        pending.append(read)
        return seen

    def stage_of(self, model: Model) -> str:
        """Staging, marts and private by schema (private with the marts); a validation model by
        what it reads: the marts (checked after them), the quarantine (reported once the inputs
        are checked), or neither (an input check, built before the input suites run)."""
        if model.schema in SCHEMA_STAGES:
            return SCHEMA_STAGES[model.schema]
        ancestors = self.ancestors(model.name)
        if any(name.startswith("marts.") for name in ancestors):
            return "published_checks"
        if QUARANTINE in ancestors:
            return "quarantine_reports"
        return "input_checks"

    def stage(self, stage: str) -> list[Model]:
        """The models of one stage, in build order."""
        if stage not in STAGES:
            raise GraphError(f"unknown stage {stage!r}; the stages are {', '.join(STAGES)}")
        return [model for model in self.order() if self.stage_of(model) == stage]


def load(extra: Iterable[tuple[str, str]] = ()) -> Graph:
    """The graph of every model file under `sql/models/`, plus `extra` (origin, statement)
    pairs written elsewhere; checked for unknown references and cycles."""
    con = duckdb.connect()
    found = [(f"sql/{name}", sqlfiles.text(name)) for name in sqlfiles.names(MODELS, ".sql")]
    models: dict[str, Model] = {}
    for origin, sql in [*found, *extra]:
        model = parse(origin, sql, con)
        if model.name in models:
            raise GraphError(f"{origin}: {model.name} is already built by {models[model.name].origin}")
        expected = f"sql/{MODELS}/{model.schema}/{model.name.split('.', 1)[1]}.sql"
        if origin.startswith(f"sql/{MODELS}/") and origin != expected:
            raise GraphError(f"{origin}: builds {model.name}, so it belongs at {expected}")
        models[model.name] = model
    sources = frozenset(yaml.safe_load(sqlfiles.text(SOURCES))["sources"])
    for model in models.values():
        unknown = sorted(model.reads - sources - models.keys())
        if unknown:
            raise GraphError(f"{model.origin}: reads {', '.join(unknown)}, which no model builds and no source declares")
    graph = Graph(models, sources)
    graph.order()
    return graph


def build(con: duckdb.DuckDBPyConnection, stage: str, graph: Graph) -> None:
    """Build the models of one stage, in order, each schema created first; the staging stage first
    defines the macros."""
    if stage == STAGES[0]:
        for name in sqlfiles.names(MACROS, ".sql"):
            con.execute(sqlfiles.text(name)).complete()
    models = graph.stage(stage)
    for schema in sorted({model.schema for model in models}):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}").complete()
    for model in models:
        con.execute(model.sql).complete()
