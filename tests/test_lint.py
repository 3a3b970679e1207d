"""`make lint`: what the SQL checks accept and refuse, and that `make test` runs them before the suite; and that
production code holds no function only the tests call."""

from __future__ import annotations

import ast
import subprocess
import sys

from sqlfluff.core import FluffConfig, Linter

from support import REPO


def test_make_test_lints_python_and_sql_before_the_suite():
    planned = subprocess.run(["make", "--no-print-directory", "-n", "-o", ".venv/.installed", "test"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout.splitlines()
    assert planned[-4:] == [".venv/bin/ruff check .", ".venv/bin/python scripts/check_sql_parses.py sql",
                            ".venv/bin/sqlfluff lint sql", ".venv/bin/python -m pytest -n 2"]


def test_duckdb_parser_check_names_each_file_it_refuses(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "good.sql").write_text(
        "CREATE OR REPLACE MACRO m(s) AS trim(s);\nSELECT m(x) FROM t WHERE y = $run_id;\n", encoding="utf-8")
    (tmp_path / "models" / "typo.sql").write_text("SELECT 1\nFORM t;\n", encoding="utf-8")
    (tmp_path / "comment_only.sql").write_text("-- nothing yet\n", encoding="utf-8")
    done = subprocess.run([sys.executable, REPO / "scripts" / "check_sql_parses.py", tmp_path],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout == "1 of 3 SQL files parse with DuckDB 2.0.1's parser\n"
    assert done.stderr.splitlines()[:2] == [
        f"{tmp_path}/comment_only.sql: holds no SQL statement",
        f"{tmp_path}/models/typo.sql: DuckDB's parser refuses it: Parser Error: syntax error at or near \"t\"",
    ]
    assert "LINE 2: FORM t;" in done.stderr


def test_duckdb_parser_check_refuses_an_empty_folder(tmp_path):
    done = subprocess.run([sys.executable, REPO / "scripts" / "check_sql_parses.py", tmp_path],
                          capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (1, f"no .sql file under ['{tmp_path}']\n")


def violations(sql: str) -> list[tuple[str, int]]:
    config = FluffConfig.from_path(str(REPO))
    return [(v.rule_code(), v.line_no) for v in Linter(config=config).lint_string(sql, fname="x.sql").get_violations()]


def test_sqlfluff_reads_named_parameters_and_holds_to_the_projects_cases():
    assert violations("SELECT a, b AS total FROM t AS s WHERE b = $run_id AND c IS NULL;\n") == []
    assert violations(
        "select a FROM t\nWHERE b = $run_id AND c = true AND d <> 1 AND e != 2 AND ifnull(f, 0) = coalesce(g, 0);\n"
    ) == [("CP01", 1), ("CP04", 2), ("CV01", 2), ("CV02", 2)]


def test_sqlfluff_leaves_only_the_macros_to_duckdbs_parser():
    ignored = (REPO / ".sqlfluffignore").read_text(encoding="utf-8").splitlines()
    assert [line for line in ignored if line and not line.startswith("#")] == ["sql/macros/"]


CALLED_BY_FRAMEWORKS = {"handleError", "filter"}  # runlog's logging.Handler and Filter overrides, called by logging


def test_every_function_and_class_in_flows_is_used_by_flows():
    """A helper only tests call belongs in tests/, not in the package."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted((REPO / "flows").rglob("*.py"))}
    used = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                used.add(node.id)
            elif isinstance(node, ast.Attribute):
                used.add(node.attr)
            elif isinstance(node, ast.alias):
                used.add(node.name.rsplit(".", 1)[-1])
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                used.add(node.value)  # a name given as text: a class GX loads, a task by name
    defined = [(f"{path.relative_to(REPO)}:{node.lineno}", node.name)
               for path, tree in trees.items() for top in tree.body
               for node in [top, *(top.body if isinstance(top, ast.ClassDef) else [])]
               if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    assert [(where, name) for where, name in defined
            if name not in used and not name.startswith("__") and name not in CALLED_BY_FRAMEWORKS] == []
