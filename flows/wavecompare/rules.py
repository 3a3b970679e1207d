"""The validation rules, each written once, in `expectations/<suite>.yml`.

A rules file names its suite, says what the suite checks, names the facts model
its rules read (`sql/models/validation/<suite>_facts.sql`, built in the model
graph) and lists the rules. A rule is a DuckDB condition on the facts (`check`,
true when the row is fine, and optionally `when`, where the rule applies), the
input column a failure names (`column`), the sentence a person sees (`message`)
and, optionally, the `given_*` fact shown as the value (`shown`).

Both halves of validation come from that one file at run time, so they cannot
disagree: the check view `validation.chk_<suite>` (sql/validation/check_view.sql.j2),
one column per rule, and the Great Expectations suite asserting each column. A
check of the form `<column> BETWEEN a AND b`, `<column> >= a`, `<column> <= b`,
`<column> IN (…)` or `<column> NOT IN (…)` becomes GX's own range or set
expectation on that value, so the report shows the offending values; any other
check is asserted true. `docs/validation-rules.md` is written from the same files
(`python -m wavecompare.rules --write docs/validation-rules.md`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import jinja2
import yaml

from wavecompare import contract, generated, graph, identifiers, resources, sqlfiles
from wavecompare.generated import table_cell
from wavecompare.warehouse import create_layers

SUITES_DIR = resources.folder("expectations")
INPUT_SUITES = ("waves", "codebook", "redact", "crosswalk", "interviews", "responses")  # in the order the flow validates them
PUBLISHED_SUITE = "published_tables"
SUITE_KEYS = {"suite", "description", "facts", "rules"}
RULE_KEYS = {"name", "column", "when", "check", "message", "shown"}
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_FACTS = re.compile(r"validation\.[a-z][a-z0-9_]*")
_NUMERIC = re.compile(r"(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\))")
_ALIAS = "rule_check"  # the alias a check is parsed under, to tell one expression from a smuggled clause
_TEMPLATE = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
DOC_HEADER = (
    "# The validation rules",
    "",
    "<!-- Generated from expectations/*.yml by `python -m wavecompare.rules --write docs/validation-rules.md`; "
    "do not edit by hand. -->",
    "",
    "Every rule is written once, in the rules file of its suite, `expectations/<suite>.yml`. The flow "
    "generates both the check SQL (the view `validation.chk_<suite>`, one column per rule) and the Great "
    "Expectations suite (the gate, whose Data Docs are the validation report) from that file at run time, so "
    "the two cannot disagree. A row that breaks a rule is quarantined with the rule's message, and the run "
    "publishes nothing.",
    "",
    "To add a rule, add an entry under `rules:` in the suite's file:",
    "",
    "```yaml",
    "  - name: duration_at_least_5        # lower_snake_case, unique in the suite: the rule's column",
    "    column: duration_minutes         # the input column a failure names",
    "    when: duration_text IS NOT NULL  # optional: where the rule applies (elsewhere it is not checked)",
    "    check: duration_minutes >= 5     # DuckDB SQL, true when the row is fine",
    "    message: an interview lasts at least 5 minutes  # the sentence a person sees",
    "```",
    "",
    "A check reads the columns of the suite's facts model (`sql/models/validation/<suite>_facts.sql`: one row "
    "per input row, typed values from the staging models, `*_text` for a cell as given and trimmed, and "
    "`given_*` for the values as given); add a fact there when a rule needs one. `shown` (optional) names "
    "the `given_*` fact a message shows as the value, by default `given_<column>`. A check of the form "
    "`<fact> BETWEEN a AND b`, `<fact> >= a`, `<fact> <= b`, `<fact> IN (…)` or `<fact> NOT IN (…)` becomes "
    "Great Expectations' own range or set expectation, so the report lists the offending values; any other "
    "check is asserted true. A rules file that lacks a message, names an input column the file does not "
    "have, holds a check DuckDB cannot parse or reads a fact the facts model does not have stops the run "
    "before any input is read, with an error naming the file and the rule. Regenerate this page with the "
    "command above (a test fails while it is stale).",
)


class RulesError(ValueError):
    """A rules file that does not say what a rule must, or a check DuckDB refuses."""


@dataclass(frozen=True)
class Rule:
    """One rule: the check column it becomes (`column_sql`) and the expectation GX asserts on it."""

    name: str
    column: str | None
    when: str | None
    check: str
    message: str
    shown: str
    column_sql: str
    expectation: str
    kwargs: dict

    @property
    def asserts_true(self) -> bool:
        """Whether GX asserts the check itself is true (else it checks the value of a range or set)."""
        return self.kwargs.get("value_set") == [True]


@dataclass(frozen=True)
class Suite:
    name: str
    origin: str
    description: str
    facts: str
    rules: tuple[Rule, ...]

    @property
    def check_table(self) -> str:
        return f"validation.chk_{self.name}"


def parse(origin: str, text: str, con: duckdb.DuckDBPyConnection) -> Suite:
    """Read one rules file; `origin` names it in every error, and a rule's error names the rule."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RulesError(f"{origin}: not YAML: {error}") from None
    if not isinstance(document, dict):
        raise RulesError(f"{origin}: a rules file holds suite, description, facts and rules")
    _known(origin, document, SUITE_KEYS, "the file")
    name = Path(origin).stem
    if document.get("suite") != name:
        raise RulesError(f"{origin}: names suite {document.get('suite')!r}; the file of suite {name!r} says `suite: {name}`")
    if not document.get("description"):
        raise RulesError(f"{origin}: the suite needs a description (what its rows are)")
    facts = document.get("facts")
    if not isinstance(facts, str) or not _FACTS.fullmatch(facts):
        raise RulesError(f"{origin}: `facts` names the model the rules read, as validation.<name>")
    entries = document.get("rules")
    if not isinstance(entries, list) or not entries:
        raise RulesError(f"{origin}: the suite needs its rules, a list under `rules:`")
    rules: list[Rule] = []
    for number, entry in enumerate(entries, 1):
        rule = _rule(origin, number, entry, con)
        if rule.name in {r.name for r in rules}:
            raise RulesError(f"{origin}: rule {rule.name!r} is listed twice; each rule has its own name")
        rules.append(rule)
    return Suite(name, origin, " ".join(str(document["description"]).split()), facts, tuple(rules))


def _known(origin: str, entry: dict, keys: set[str], what: str) -> None:
    unknown = sorted(set(entry) - keys)
    if unknown:
        raise RulesError(f"{origin}: {what} has unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(keys))}")


def _rule(origin: str, number: int, entry: object, con: duckdb.DuckDBPyConnection) -> Rule:
    if not isinstance(entry, dict):
        raise RulesError(f"{origin}: rule {number} is not a name, check and message: {entry!r}")
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name) or name.startswith(("given_", "source_")):
        raise RulesError(f"{origin}: rule {number} needs a name in lower_snake_case, not starting given_ or "
                         f"source_ (it is the rule's column in the check view): {name!r}")
    where = f"{origin}: rule {name!r}"
    _known(where, entry, RULE_KEYS, "the rule")
    for key in ("check", "message"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise RulesError(f"{where} needs its {key}" + (" (the sentence a person sees when it fails)"
                                                          if key == "message" else " (a condition on the facts)"))
    column, shown = entry.get("column"), entry.get("shown")
    kind = next((k for k in contract.ALL_KINDS if k.name == Path(origin).stem), None)
    if column is not None and (kind is None or column not in kind.columns):
        known = ", ".join(kind.columns) if kind else "none: these rows are not an input file's"
        raise RulesError(f"{where}: unknown input column {column!r}; the columns: {known}")
    if shown is None and column is None:
        raise RulesError(f"{where} names no input column, so it needs `shown`: the given_* fact its message shows")
    if shown is not None and not (isinstance(shown, str) and shown.startswith("given_")):
        raise RulesError(f"{where}: `shown` names a given_* fact of the facts model, not {shown!r}")
    when = None if entry.get("when") is None else str(entry["when"]).strip()
    if when is not None:
        _expression(where, "when", when, con)
    check = entry["check"].strip()
    expectation, kwargs, value = _expectation(_expression(where, "check", check, con))
    return Rule(name, column, when, check, entry["message"].strip(), shown or f"given_{column}",
                value or f"({check})", expectation, {"column": name, **kwargs})


def _expression(where: str, key: str, sql: str, con: duckdb.DuckDBPyConnection) -> dict:
    """The parse tree of one condition, refused unless DuckDB reads it as one expression."""
    parsed = json.loads(con.execute(sqlfiles.text("validation/parse_condition.sql"),
                                    {"query": f"SELECT ({sql}) AS {_ALIAS}"}).fetchone()[0])
    if parsed.get("error"):
        raise RulesError(f"{where}: DuckDB cannot parse its {key} `{sql}`: {parsed.get('error_message')}")
    [statement, *more] = parsed["statements"]
    node = statement["node"]
    items = node.get("select_list") or []
    if more or len(items) != 1 or items[0].get("alias") != _ALIAS or node["from_table"]["type"] != "EMPTY":
        raise RulesError(f"{where}: its {key} `{sql}` is not one condition")
    return items[0]


def _expectation(tree: dict) -> tuple[str, dict, str | None]:
    """The GX expectation a check becomes: a range or set on a plain column's value where the check
    is one, with the value as the rule's column; otherwise the check itself, asserted true."""
    kind = tree.get("type")
    if kind == "COMPARE_BETWEEN" and _column(tree["input"]):
        low, high = _number(tree["lower"]), _number(tree["upper"])
        if low is not None and high is not None:
            return "expect_column_values_to_be_between", {"min_value": low, "max_value": high}, _column(tree["input"])
    bounds = {"COMPARE_GREATERTHANOREQUALTO": "min_value", "COMPARE_LESSTHANOREQUALTO": "max_value"}
    if kind in bounds and _column(tree["left"]) and _number(tree["right"]) is not None:
        return "expect_column_values_to_be_between", {bounds[kind]: _number(tree["right"])}, _column(tree["left"])
    negated = kind == "OPERATOR_NOT" and tree["children"][0].get("type") == "COMPARE_IN"
    listed = tree["children"][0] if negated else tree
    if listed.get("type") == "COMPARE_IN" and _column(listed["children"][0]):
        values = [_constant(child) for child in listed["children"][1:]]
        if None not in values:
            expectation = "expect_column_values_to_not_be_in_set" if negated else "expect_column_values_to_be_in_set"
            return expectation, {"value_set": values}, _column(listed["children"][0])
    return "expect_column_values_to_be_in_set", {"value_set": [True]}, None


def _column(node: dict) -> str | None:
    names = node.get("column_names") if node.get("type") == "COLUMN_REF" else None
    return f'"{names[0]}"' if names and len(names) == 1 else None


def _constant(node: dict) -> str | int | float | None:
    literal = node.get("literal") if node.get("type") == "VALUE_CONSTANT" else None
    if literal is None:
        return None
    return literal["text"] if literal["kind"] == "STRING" else _number(node)


def _number(node: dict) -> int | float | None:
    literal = node.get("literal") if node.get("type") == "VALUE_CONSTANT" else None
    if literal is None or literal["kind"] not in ("INTEGER", "BIGINT", "HUGEINT", "NUMERIC", "DECIMAL", "DOUBLE"):
        return None
    number = float(literal["text"])
    return int(number) if number.is_integer() and literal["kind"] in ("INTEGER", "BIGINT", "HUGEINT") else number


def load(names: tuple[str, ...] = (*INPUT_SUITES, PUBLISHED_SUITE)) -> dict[str, Suite]:
    """The suites' rules files, in validation order."""
    with duckdb.connect() as con:
        return {name: parse(f"{SUITES_DIR.name}/{name}.yml", (SUITES_DIR / f"{name}.yml").read_text(encoding="utf-8"),
                            con) for name in names}


def check_view_sql(suite: Suite, rules: tuple[Rule, ...] | None = None) -> str:
    """The statement creating the suite's check view, with one column per rule (of `rules`, else all)."""
    return _TEMPLATE.from_string(sqlfiles.text("validation/check_view.sql.j2")).render(
        check_table=suite.check_table, facts=suite.facts, rules=suite.rules if rules is None else rules)


def create_check_view(con: duckdb.DuckDBPyConnection, suite: Suite) -> None:
    """Create the suite's check view on its built facts. A check DuckDB refuses (a fact that does not
    exist, a wrong type), one that is not true or false, or a `shown` fact that does not exist is an
    error naming the file and the rule."""
    try:
        con.execute(check_view_sql(suite)).complete()
    except duckdb.Error:
        for rule in suite.rules:  # which rule: bind each alone
            try:
                con.execute(check_view_sql(suite, (rule,))).complete()
            except duckdb.Error as error:
                raise RulesError(f"{suite.origin}: rule {rule.name!r}: DuckDB refuses its check on "
                                 f"{suite.facts}: {str(error).splitlines()[0]}") from None
        raise
    types = dict(con.execute(sqlfiles.text("validation/check_columns.sql"), {"relation": suite.check_table}).fetchall())
    for rule in suite.rules:
        if rule.asserts_true and types[rule.name] != "BOOLEAN":
            raise RulesError(f"{suite.origin}: rule {rule.name!r}: its check gives {types[rule.name]}, "
                             f"not true or false")
        if rule.expectation.endswith("_between") and not _NUMERIC.fullmatch(types[rule.name]):
            raise RulesError(f"{suite.origin}: rule {rule.name!r}: its check compares a {types[rule.name]} "
                             f"with numbers; compare a number, e.g. try_cast(… AS DOUBLE)")
        if rule.shown not in types:
            given = ", ".join(sorted(c for c in types if c.startswith("given_")))
            raise RulesError(f"{suite.origin}: rule {rule.name!r} shows {rule.shown}, which {suite.facts} "
                             f"does not have; it has {given}")


def verify(models: graph.Graph, suites: dict[str, Suite]) -> None:
    """Create every suite's check view on an empty warehouse, so that a check on a fact the facts
    model does not have stops the run before any input is read."""
    with duckdb.connect() as con:
        create_layers(con, [])
        identifiers.register(con)
        for stage in graph.STAGES:
            graph.build(con, stage, models)
        for suite in suites.values():
            create_check_view(con, suite)


def checked(models: graph.Graph) -> dict[str, Suite]:
    """Every rules file, read and verified on an empty warehouse: what a run and a study check start with."""
    suites = load()
    verify(models, suites)
    return suites


def rules_doc(suites: dict[str, Suite]) -> str:
    """docs/validation-rules.md: how the rules are written, then every suite's rules."""
    lines = list(DOC_HEADER)
    for suite in suites.values():
        lines += ["", f"## {suite.name}", "", f"{suite.description} Written in `{suite.origin}`; the checks read "
                  f"`{suite.facts}` (`sql/models/{suite.facts.replace('.', '/')}.sql`).", "",
                  "| rule | input column | check | message |", "|---|---|---|---|"]
        for rule in suite.rules:
            check = f"`{rule.check}`" + (f" where `{rule.when}`" if rule.when else "")
            lines.append(f"| `{rule.name}` | {f'`{rule.column}`' if rule.column else '—'} | {table_cell(check)} "
                         f"| {table_cell(rule.message)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return generated.main(argv, "rules", __doc__.splitlines()[0], "docs/validation-rules.md",
                          lambda: rules_doc(load()))


if __name__ == "__main__":
    raise SystemExit(main())
