"""The layer rules of the release (issue 16): its queries read only the documented layers, the marts and the
private schema, never staging; and the private schema, which holds unredacted text, is never exported to the
published files or listed among the published tables."""

from __future__ import annotations

import re

import duckdb

from support import REPO
from wavecompare import graph

RELEASE_SQL = sorted((REPO / "sql" / "release").glob("*.sql"))
# What the private schema holds, written out by hand: a new table there must be added here knowingly.
PRIVATE_TABLES = {"listed_terms", "quote_candidates", "redaction_terms"}
# The tables a run exports as CSV and Parquet and lists in lineage.published_tables.
PUBLISHED = {"stakeholder_mix", "interview_duration", "awareness", "confidence", "risk_mentions"}


def test_the_release_queries_read_no_staging_raw_or_validation_relation():
    assert [path.name for path in RELEASE_SQL] == [
        "code_counts.sql", "durations.sql", "group_merges.sql", "level_definitions.sql", "listed_terms.sql",
        "merged_groups.sql", "mix_counts.sql", "organisations.sql", "quotes.sql", "redaction_terms.sql", "size.sql",
        "term_candidates.sql", "waves.sql"]
    internal = {path.name: sorted(set(re.findall(r"\b(?:staging|raw|validation|lineage)\.\w+", path.read_text())))
                for path in RELEASE_SQL}
    assert {name: found for name, found in internal.items() if found} == {}


def test_every_relation_the_release_names_is_a_mart_or_a_private_model():
    models = graph.load().models
    named = {match for path in RELEASE_SQL for match in re.findall(r"\b(?:marts|private)\.\w+", path.read_text())}
    assert named - models.keys() == {"marts.pct"}  # the marts' percentage (sql/macros/staging.sql), not a table
    assert {name for name in named if name.startswith("private.")} == {f"private.{t}" for t in PRIVATE_TABLES}


def test_the_private_schema_is_never_exported_or_listed(example_published):
    with duckdb.connect(str(example_published / "warehouse.duckdb"), read_only=True) as con:
        private = dict(con.execute(
            "SELECT table_name, list(column_name ORDER BY ordinal_position) FROM information_schema.columns "
            "WHERE table_schema = 'private' GROUP BY table_name").fetchall())
        listed = {name for (name,) in con.execute("SELECT table_name FROM lineage.published_tables").fetchall()}
    assert set(private) == PRIVATE_TABLES
    assert listed == PUBLISHED
    exported = [path for path in (example_published / "processed").rglob("*")
                if path.is_file() and not path.name.endswith((".duckdb", ".lock"))]
    assert {path.name for path in exported} >= {"quote_bank.csv", "stakeholder_mix.parquet", "report.html"}
    named = sorted(str(path) for path in exported if any(table in path.name for table in PRIVATE_TABLES))
    assert named == []
    for path in exported:
        if path.suffix in (".csv", ".parquet"):
            with duckdb.connect() as con:
                columns = {column[0] for column in
                           con.execute("SELECT * FROM query_table($1) LIMIT 0", [str(path)]).description}
            assert not any(set(table_columns) <= columns for table_columns in private.values()), path
        if path.suffix in (".csv", ".html", ".md", ".json"):
            assert "private." not in path.read_text(encoding="utf-8", errors="replace"), path
