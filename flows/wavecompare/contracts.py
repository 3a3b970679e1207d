"""The contracts beside the models, and the data dictionary written from them.

Each staging model and mart has a YAML file beside its SQL (`sql/models/<schema>/<name>.yml`,
in the shape of dbt's model properties): its columns with their types and descriptions, the
tests its output must pass, each with the sentence a user sees, and unit tests (given input
rows, the expected output rows). `docs/warehouse.md` is generated from them
(`python -m wavecompare.contracts --write docs/warehouse.md`), so the dictionary cannot drift
from the contracts, and the tests check the contracts against the models' real outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from wavecompare import generated, graph, sqlfiles
from wavecompare.generated import table_cell

CONTRACT_SCHEMAS = ("staging", "marts", graph.PRIVATE)
# What the dictionary says of a schema under its heading, where there is more to say than its models.
SCHEMA_NOTES = {
    "marts": "The comparison tables and what the release reads of the study (waves, codebook, counts by each "
             "split). The five of `PUBLISHED_TABLES` are exported as CSV and Parquet and listed in "
             "`lineage.published_tables`; every mart is checked by the `published_tables` suite or its contract. "
             "`marts.pct(n, base)` is the marts' percentage (100 × n / base to one decimal, NULL for base 0), "
             "for the release's sums of published counts.",
    graph.PRIVATE: "Unredacted text the release alone reads: the quote candidates (excerpts verbatim, with the "
                   "interview they came from) and the redaction terms (redact.csv's terms, organisations, "
                   "interview ids). Never exported to data/processed, never listed among the published tables; "
                   "it stays in the warehouse for the team, like staging (docs/threat-model.md).",
}
# The tests a contract may name, and the arguments each takes besides its message.
TEST_ARGS = {
    "not_null": set(),
    "unique": set(),
    "accepted_values": {"values"},
    "relationships": {"to", "field", "columns", "fields"},
    "expression_is_true": {"expression"},
    "unique_combination_of_columns": {"combination_of_columns"},
}
MODEL_KEYS = {"name", "description", "materialized", "columns", "data_tests"}
COLUMN_KEYS = {"name", "data_type", "description", "data_tests"}


class ContractError(ValueError):
    """A contract file that does not say what a contract must."""


@dataclass(frozen=True)
class DataTest:
    """One test of a model's output: its kind, the column it is on (None for a model-level test),
    its arguments and the sentence a user sees when it fails."""

    kind: str
    column: str | None
    args: dict
    message: str


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    description: str


@dataclass(frozen=True)
class Contract:
    """What a model promises: its columns in order, its tests and its unit tests."""

    name: str
    origin: str
    description: str
    materialized: str
    columns: tuple[Column, ...]
    tests: tuple[DataTest, ...]
    unit_tests: tuple[dict, ...]


def parse(origin: str, text: str) -> Contract:
    """Read one contract file; `origin` names it in errors."""
    document = yaml.safe_load(text) or {}
    models = document.get("models") or []
    if len(models) != 1:
        raise ContractError(f"{origin}: a contract file describes one model under `models:`")
    model = models[0]
    _known(origin, model, MODEL_KEYS, "model")
    if not model.get("description") or model.get("materialized") not in ("table", "view"):
        raise ContractError(f"{origin}: a model needs a description and `materialized: table|view`")
    columns, tests = [], [_test(origin, None, entry) for entry in model.get("data_tests") or []]
    for entry in model.get("columns") or []:
        _known(origin, entry, COLUMN_KEYS, f"column {entry.get('name')!r}")
        if not all(entry.get(key) for key in ("name", "data_type", "description")):
            raise ContractError(f"{origin}: column {entry.get('name')!r} needs a name, a data_type and a description")
        columns.append(Column(entry["name"], str(entry["data_type"]), " ".join(entry["description"].split())))
        tests += [_test(origin, entry["name"], test) for test in entry.get("data_tests") or []]
    return Contract(model["name"], origin, " ".join(model["description"].split()), model["materialized"],
                    tuple(columns), tuple(tests), tuple(document.get("unit_tests") or ()))


def _known(origin: str, entry: dict, keys: set[str], what: str) -> None:
    unknown = sorted(set(entry) - keys)
    if unknown:
        raise ContractError(f"{origin}: {what} has unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(keys))}")


def _test(origin: str, column: str | None, entry: object) -> DataTest:
    if not isinstance(entry, dict) or len(entry) != 1:
        raise ContractError(f"{origin}: a test is one `kind: {{message: …}}` entry, not {entry!r}")
    (kind, args), = entry.items()
    where = f"the {kind} test on {column or 'the model'}"
    if kind not in TEST_ARGS:
        raise ContractError(f"{origin}: unknown test {kind!r}; known: {', '.join(TEST_ARGS)}")
    args = dict(args or {})
    message = args.pop("message", None)
    if not message:
        raise ContractError(f"{origin}: {where} needs the message a user sees when it fails")
    if set(args) - TEST_ARGS[kind]:
        raise ContractError(f"{origin}: {where} takes {', '.join(sorted(TEST_ARGS[kind])) or 'only a message'}")
    return DataTest(kind, column, args, message)


def load() -> dict[str, Contract]:
    """Every contract under `sql/models/`, keyed by model; each must sit beside its model's SQL."""
    contracts = {}
    for name in sqlfiles.names(graph.MODELS, ".yml"):
        if name == graph.SOURCES:
            continue
        contract = parse(f"sql/{name}", sqlfiles.text(name))
        expected = f"{graph.MODELS}/{contract.name.replace('.', '/')}.yml"
        if name != expected:
            raise ContractError(f"sql/{name}: describes {contract.name}, so it belongs at sql/{expected}")
        contracts[contract.name] = contract
    return contracts


def warehouse_doc(contracts: dict[str, Contract], models: graph.Graph) -> str:
    """The data dictionary: every contracted model in build order, what it reads, its columns and tests."""
    lines = ["# The warehouse", "",
             "<!-- Generated from the contracts in sql/models/ by "
             "`python -m wavecompare.contracts --write docs/warehouse.md`; do not edit by hand. -->", "",
             "Each model below is one SQL file in `sql/models/<schema>/` with its contract (`<name>.yml`) "
             "beside it. The tests hold for every published warehouse; a build whose inputs fail the "
             "validation rules ([validation-rules.md](validation-rules.md)) is never published.", "",
             "Sources, loaded by the flow itself: " + ", ".join(f"`{s}`" for s in sorted(models.sources)) + ".", ""]
    for schema in CONTRACT_SCHEMAS:
        lines += [f"## {schema}", ""] + ([SCHEMA_NOTES[schema], ""] if schema in SCHEMA_NOTES else [])
        for model in models.order():
            contract = contracts.get(model.name)
            if model.schema != schema or contract is None:
                continue
            reads = ", ".join(f"`{name}`" for name in sorted(model.reads)) or "nothing"
            lines += [f"### {contract.name}", "",
                      f"{contract.description}", "",
                      f"A {contract.materialized}, built from `{model.origin}`; reads {reads}.", "",
                      "| column | type | description | tests |", "|---|---|---|---|"]
            for column in contract.columns:
                tests = "; ".join(_describe(t) for t in contract.tests if t.column == column.name)
                lines.append(f"| `{column.name}` | {column.data_type} | {table_cell(column.description)} "
                             f"| {table_cell(tests)} |")
            model_tests = [t for t in contract.tests if t.column is None]
            if model_tests:
                lines += ["", "Tests of the whole table:", ""] + [f"- {_describe(t)}" for t in model_tests]
            lines.append("")
    return "\n".join(lines)


def _describe(test: DataTest) -> str:
    """A test as the dictionary lists it: its kind and arguments, then its message."""
    args = ", ".join(f"{key} {value}" for key, value in test.args.items())
    return f"{test.kind}{' (' + args + ')' if args else ''}: {test.message}"


def main(argv: list[str] | None = None) -> int:
    return generated.main(argv, "contracts", __doc__.splitlines()[0], "the data dictionary",
                          lambda: warehouse_doc(load(), graph.load()))


if __name__ == "__main__":
    raise SystemExit(main())
