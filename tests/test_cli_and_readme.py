"""The `wavecompare` command as a user runs it, on the bundled example study, and every command the
documentation shows (README.md, docs/*.md, benchmarks/README.md) against what it really does.

A shell, Python or SQL block in those pages is run here in a copy of a published checkout, and its output
compared with the `<!-- output: name -->` block after it, unless the line before it is a marker:
`<!-- run-by: test_name -->` (a test of this module runs it, in the state it needs) or
`<!-- not-runnable: reason -->` (it cannot run here: a server that runs until stopped, the test suite
itself, other machines). Relative links in the pages must point to files and headings that exist."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import REPO
from wavecompare import contracts

BIN = Path(sys.executable).parent
README = REPO / "README.md"
DOCUMENTS = [README, *sorted((REPO / "docs").glob("*.md")), REPO / "benchmarks" / "README.md"]
RUNNABLE = {
    "sh": ["bash", "-euo", "pipefail", "-c"],
    "python": [str(BIN / "python"), "-c"],
    "sql": [str(BIN / "duckdb"), "-readonly", "data/warehouse.duckdb", "-c"],  # SQL runs on the warehouse
}
MARKER = re.compile(r"<!--\s*(not-runnable|run-by|output)\s*:?(.*?)-->")
FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
README_LIMIT = 10 * 1024


@dataclass(frozen=True)
class Block:
    """A fenced block of a page: where it starts, its language and text (unindented), and the
    marker on the line before it (kind, text), if any."""

    where: str
    language: str
    text: str
    marker: tuple[str, str] | None


def parse_blocks(text: str, name: str, tests: set[str] = frozenset()) -> tuple[list[Block], list[str]]:
    """The fenced blocks of a page, and what is wrong with its markers: a marker that no block
    follows, a not-runnable marker without a reason, a run-by marker naming none of `tests`."""
    blocks, problems = [], []
    lines = text.splitlines()
    marker, marker_line, number = None, 0, 0
    while number < len(lines):
        line = lines[number]
        number += 1
        found = MARKER.search(line)
        fence = FENCE.match(line)
        if marker and (found or fence is None) and line.strip():
            problems.append(f"{name}:{marker_line}: the {marker[0]} marker is not on the line before a code block")
            marker = None
        if found:
            marker, marker_line = (found.group(1), found.group(2).strip()), number
            if marker[0] == "not-runnable" and not marker[1]:
                problems.append(f"{name}:{number}: a not-runnable marker needs a reason")
            if marker[0] == "run-by" and marker[1] not in tests:
                problems.append(f"{name}:{number}: run-by names {marker[1]!r}, which is not a test of this module")
            continue
        if fence is None:
            continue
        indent, language, start = fence.group(1), fence.group(2), number
        body = []
        while number < len(lines) and lines[number].strip() != "```":
            body.append(lines[number].removeprefix(indent))
            number += 1
        number += 1  # the closing fence
        blocks.append(Block(f"{name}:{start}", language, "\n".join(body) + "\n", marker))
        marker = None
    if marker:
        problems.append(f"{name}:{marker_line}: the {marker[0]} marker is not on the line before a code block")
    return blocks, problems


def _page(path: Path, tests: set[str] = frozenset()) -> tuple[list[Block], list[str]]:
    return parse_blocks(path.read_text(encoding="utf-8"), path.relative_to(REPO).as_posix(), tests)


PAGES = {path: _page(path) for path in DOCUMENTS}
BLOCKS = [block for blocks, _ in PAGES.values() for block in blocks]


def outputs() -> dict[str, str]:
    """Each `<!-- output: name -->` block of the pages, by name."""
    return {block.marker[1]: block.text for block in BLOCKS if block.marker and block.marker[0] == "output"}


def command_blocks() -> list[tuple[Block, str | None]]:
    """Every runnable block, with the name of the output block right after it, if any."""
    found = []
    for blocks, _ in PAGES.values():
        for block, after in zip(blocks, [*blocks[1:], None]):
            if block.language in RUNNABLE:
                shown = after.marker[1] if after and after.marker and after.marker[0] == "output" else None
                found.append((block, shown))
    return found


def run_by(test_name: str) -> list[Block]:
    """The blocks whose marker says this test runs them."""
    blocks = [block for block in BLOCKS if block.marker == ("run-by", test_name)]
    assert blocks, f"no block is marked as run by {test_name}"
    return blocks


def normalised(text: str) -> str:
    """Run ids and report folders differ from run to run."""
    text = re.sub(r"\(run id [0-9a-f-]+\)", "(run id <a new id each run>)", text)
    text = re.sub(r"Run's own work: \d+\.\d s\.", "Run's own work: <seconds> s.", text)
    return re.sub(r"validation/\d{8}T\d{6}Z-[0-9a-f]{8}/", "validation/<time>-<run>/", text)


def wavecompare(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "wavecompare"), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def run_block(block: Block, cwd: Path) -> subprocess.CompletedProcess:
    """Run a block as a user would paste it, in `cwd`; help is wrapped as on an 80-column terminal."""
    return subprocess.run([*RUNNABLE[block.language], block.text], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "COLUMNS": "80"})


IGNORED = shutil.ignore_patterns(".git", ".venv", "data", "build", "*.egg-info", "__pycache__", ".pytest_cache",
                                 ".wavecompare", ".work")


def not_copied(folder: str, names: list[str]) -> set[str]:
    """The checkout's own data/ and build clutter; tests/data (the QDA samples the docs use) is copied."""
    ignored = IGNORED(folder, names)
    return ignored - {"data"} if Path(folder).name == "tests" else ignored


@pytest.fixture(scope="module")
def project(tmp_path_factory, prefect_harness):
    """A copy of the checkout (its .venv linked) where `wavecompare run` was run with its defaults (the harness
    marks its tests e2e; the command itself starts and stops its own Prefect API, as a user's does)."""
    root = tmp_path_factory.mktemp("project") / "checkout"
    shutil.copytree(REPO, root, ignore=not_copied)
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    (root / "data" / "processed").mkdir()
    (root / ".venv").symlink_to(BIN.parent, target_is_directory=True)
    result = wavecompare("run", cwd=root)
    assert result.returncode == 0, result.stderr
    return root, result


@pytest.fixture
def published(project, tmp_path) -> Path:
    """A copy of the published project for one test to change."""
    root, _ = project
    copy = tmp_path / "checkout"
    shutil.copytree(root, copy, symlinks=True)
    return copy


def test_run_prints_what_the_readme_shows(project):
    _, result = project
    assert normalised(result.stdout.strip() + "\n") == outputs()["make run"]


def test_make_run_is_the_command_this_module_runs():
    """The README's `make run` block is not run here (it installs into .venv); its output is that of
    `wavecompare run`, so the Makefile's recipe must be just that."""
    assert re.search(r"^run: \$\(STAMP\)\n\t\$\(BIN\)/wavecompare run\n", (REPO / "Makefile").read_text(), re.M)


def test_run_announces_the_prefect_api_it_starts_and_stops_it(project):
    _, result = project
    match = re.search(r"wavecompare: started a temporary Prefect API for this run at http://127\.0\.0\.1:(\d+)/api "
                      r"\(stopped when the run ends", result.stderr)
    assert match, result.stderr
    assert "Starting temporary server" not in result.stderr  # Prefect did not start a second one
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(match.group(1)))) != 0


UNMARKED = [(block, shown) for block, shown in command_blocks() if block.marker is None]


@pytest.mark.parametrize(("block", "shown"), UNMARKED, ids=[block.where for block, _ in UNMARKED])
def test_every_documented_command_runs_and_prints_what_the_page_shows(published, block, shown):
    result = run_block(block, published)
    assert result.returncode == 0, f"{block.where}: {block.text}{result.stderr}"
    assert "Traceback" not in result.stderr
    if shown:
        assert normalised(result.stdout.strip() + "\n") == outputs()[shown]


def test_every_command_block_is_run_or_marked_with_a_reason():
    tests = {name for name in globals() if name.startswith("test_")}
    problems = [problem for path in DOCUMENTS for problem in _page(path, tests)[1]]
    unknown = [block.where for block in BLOCKS if block.language in {"", "bash", "shell", "console", "py"}]
    assert problems == [] and unknown == [], (problems, f"give these fences a language, sh for commands: {unknown}")
    for path, (blocks, _) in PAGES.items():  # every fence was read as a block, none skipped
        fences = sum(bool(FENCE.match(line)) for line in path.read_text(encoding="utf-8").splitlines())
        assert fences == 2 * len(blocks), path
    names = [block.marker[1] for block in BLOCKS if block.marker and block.marker[0] == "output"]
    assert len(names) == len(set(names)), f"output blocks share a name: {names}"


def test_markers_without_a_reason_or_a_block_are_refused():
    page = "\n".join([
        "<!-- not-runnable: serve runs until stopped -->", "```sh", "wavecompare serve --interval 60", "```",
        "<!-- not-runnable: -->", "```sh", "make bench", "```",
        "<!-- run-by: test_nothing_of_that_name -->", "```sh", "true", "```",
        "<!-- not-runnable: a reason, but no block -->", "", "Some text.",
        "  <!-- run-by: test_bad_input_fails_as_documented -->", "  ```sh", "  wavecompare query 'SELECT 1'", "  ```",
    ])
    blocks, problems = parse_blocks(page, "page.md", {"test_bad_input_fails_as_documented"})
    assert problems == [
        "page.md:5: a not-runnable marker needs a reason",
        "page.md:9: run-by names 'test_nothing_of_that_name', which is not a test of this module",
        "page.md:13: the not-runnable marker is not on the line before a code block",
    ]
    assert [(b.where, b.marker, b.text) for b in blocks] == [
        ("page.md:2", ("not-runnable", "serve runs until stopped"), "wavecompare serve --interval 60\n"),
        ("page.md:6", ("not-runnable", ""), "make bench\n"),
        ("page.md:10", ("run-by", "test_nothing_of_that_name"), "true\n"),
        ("page.md:17", ("run-by", "test_bad_input_fails_as_documented"), "wavecompare query 'SELECT 1'\n"),
    ]


def test_the_how_to_contract_example_is_an_excerpt_of_a_real_contract():
    [example] = [block for block in BLOCKS if block.where.startswith("docs/how-to.md:") and block.language == "yaml"
                 and block.text.startswith("models:")]
    shown = contracts.parse("docs/how-to.md", example.text)
    real = contracts.load()[shown.name]
    assert [column.name for column in shown.columns] == ["wave_id", "n"]
    assert shown.materialized == real.materialized
    assert all(column in real.columns for column in shown.columns)
    assert all(test in real.tests for test in shown.tests) and len(shown.tests) == 3


def test_the_readme_stays_short_and_links_every_page_of_docs():
    assert len(README.read_bytes()) <= README_LIMIT
    linked = set(LINK.findall(README.read_text(encoding="utf-8")))
    pages = {path.relative_to(REPO).as_posix() for path in DOCUMENTS if path != README}
    assert pages - linked == set()


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def link_problems(path: Path) -> list[str]:
    """Relative links of a page (outside code blocks) whose file, or heading in a page, does not exist."""
    text = path.read_text(encoding="utf-8")
    prose = re.sub(r"^\s*```.*?^\s*```", "", text, flags=re.M | re.S)
    problems = []
    for target in LINK.findall(prose):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        if not linked.exists():
            problems.append(f"{path.name}: {target}: no such file")
        elif anchor and linked.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", re.sub(r"^\s*```.*?^\s*```", "", linked.read_text(encoding="utf-8"),
                                                        flags=re.M | re.S), re.M)
            if anchor not in {slug(heading) for heading in headings}:
                problems.append(f"{path.name}: {target}: no such heading")
    return problems


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.relative_to(REPO).as_posix() for p in DOCUMENTS])
def test_relative_links_point_to_what_exists(path):
    assert link_problems(path) == []


def test_a_broken_link_or_anchor_is_reported(tmp_path):
    (tmp_path / "other.md").write_text("# Other page\n\n## Retention: earlier runs and `prune`\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("\n".join([
        "# Page", "[fine](other.md#retention-earlier-runs-and-prune) [here](#page) [web](https://example.org/x)",
        "[gone](missing.md) [no heading](other.md#nowhere) [self](#not-here)",
        "```text", "[in a block](not-checked.md)", "```",
    ]), encoding="utf-8")
    assert link_problems(page) == [
        "page.md: missing.md: no such file",
        "page.md: other.md#nowhere: no such heading",
        "page.md: #not-here: no such heading",
    ]


def test_stakeholder_mix_reproduces_the_report(project):
    root, _ = project
    rows = wavecompare(
        "query", "SELECT wave_id, dimension, category, n, base FROM marts.stakeholder_mix WHERE n > 0", "--csv", cwd=root
    ).stdout.splitlines()
    # 2012: 10 interviews, 4 regulators and 6 senior civil servants.
    assert "2012,stakeholder_group,\"Regulators, inspectorates and third sector\",4,10" in rows
    assert "2012,stakeholder_group,Senior civil servants,6,10" in rows
    # 2013: 15 interviews, 10 regulators/inspectorates/third sector, 5 senior civil servants.
    assert "2013,stakeholder_group,\"Regulators, inspectorates and third sector\",10,15" in rows
    assert "2013,stakeholder_group,Senior civil servants,5,15" in rows
    # 2013: 2 face to face, 13 by telephone.
    assert [r for r in rows if r.startswith("2013,mode,")] == ["2013,mode,face_to_face,2,15", "2013,mode,telephone,13,15"]
    # 2013: the civil servants came from DCLG, DfE and DH.
    assert {r for r in rows if r.startswith("2013,organisation,D")} == {
        "2013,organisation,DCLG,2,15",
        "2013,organisation,DfE,2,15",
        "2013,organisation,DH,1,15",
    }


def test_interview_duration_reproduces_the_report(project):
    root, _ = project
    out = wavecompare("query", "SELECT n, min, max FROM marts.interview_duration WHERE wave_id = '2013'", "--csv", cwd=root)
    assert out.stdout.splitlines() == ["n,min,max", "15,20.0,45.0"]


def test_duckdb_command_line_opens_the_published_warehouse(project):
    root, _ = project
    sql = "SELECT wave_id, code_id, n, base, pct FROM marts.risk_mentions WHERE stakeholder_group = 'All'"
    assert any(f'.venv/bin/duckdb -readonly data/warehouse.duckdb -c "{sql}"' in block.text for block in BLOCKS)
    result = subprocess.run(
        [str(BIN / "duckdb"), "-readonly", "-csv", "data/warehouse.duckdb", "-c", sql + " AND code_id = 'risk_poor_performers'"],
        cwd=root, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "wave_id,code_id,n,base,pct",
        "2012,risk_poor_performers,7,10,70.0",
        "2013,risk_poor_performers,10,15,66.7",
    ]


def test_an_analysts_own_database_attaches_the_warehouse_as_documented(published, tmp_path):
    """The pattern for analysts' own tables: their database, the warehouse attached read-only. A run
    publishes (the documented --full-refresh) while that session is open, and the session's tables survive it."""
    [attach] = [block for block in run_by(test_an_analysts_own_database_attaches_the_warehouse_as_documented.__name__)
                if block.language == "sql"]
    [rerun] = [block for block in run_by(test_an_analysts_own_database_attaches_the_warehouse_as_documented.__name__)
               if block.language == "sh"]
    assert attach.text.startswith("-- duckdb analysis.duckdb\n")
    session = subprocess.Popen([str(BIN / "duckdb"), str(tmp_path / "analysis.duckdb")], cwd=published, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    session.stdin.write(attach.text + ".mode csv\nSELECT 'ready' AS state;\n")
    session.stdin.flush()
    assert [session.stdout.readline().strip() for _ in range(2)] == ["state", "ready"]  # the block ran
    result = run_block(rerun, published)
    assert result.returncode == 0, result.stderr
    assert "wavecompare: run completed" in result.stdout
    out, err = session.communicate(".mode csv\nSELECT count(*) AS kept FROM my_notes;\n", timeout=60)
    assert session.returncode == 0, err
    assert out.splitlines()[-2:] == ["kept", "12"]


def test_bad_input_fails_as_documented(published):
    before = (published / "data" / "processed" / "current" / "risk_mentions.csv").read_bytes()
    interviews = published / "data" / "raw" / "2013" / "interviews.csv"
    lines = interviews.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = re.sub(r",2013-\d\d-\d\d,", ",31/11/2013,", lines[3], count=1)
    interviews.write_text("".join(lines), encoding="utf-8")
    responses = published / "data" / "raw" / "2013" / "responses.csv"
    lines = responses.read_text(encoding="utf-8").splitlines(keepends=True)
    interview_id, code_id, rest = lines[11].split(",", 2)
    lines[11] = f"{interview_id},risk_fundng,{rest}"
    responses.write_text("".join(lines), encoding="utf-8")

    result = wavecompare("run", cwd=published)
    assert result.returncode == 1
    [failure] = [block.text for block in BLOCKS if block.text.startswith("wavecompare: run failed.\n")]
    assert failure in normalised(result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert (published / "data" / "processed" / "current" / "risk_mentions.csv").read_bytes() == before
    [query] = run_by(test_bad_input_fails_as_documented.__name__)
    assert query.text == ('.venv/bin/wavecompare query --warehouse data/warehouse.rejected.duckdb '
                          '"SELECT * FROM validation.quarantine"\n')
    quarantine = run_block(Block(query.where, "sh", query.text.rstrip("\n") + " --csv\n", None), published)
    assert quarantine.stdout.splitlines() == [
        "source_file,source_row,column_name,value,rule,expectation",
        "2013/interviews.csv,4,interview_date,31/11/2013,not a date: write it as 2013-10-08 or 08/10/2013,"
        "expect_column_values_to_be_in_set",
        "2013/responses.csv,12,code_id,risk_fundng,the code_id is not in the codebook,expect_column_values_to_be_in_set",
    ]


def test_query_errors_are_one_line_not_a_traceback(project):
    root, _ = project
    result = wavecompare("query", "SELECT * FROM marts.no_such_table", cwd=root)
    assert result.returncode == 1
    assert result.stderr.startswith("wavecompare: the query failed: Catalog Error: Table with name no_such_table")
    assert "Traceback" not in result.stderr


def test_query_without_a_warehouse_says_what_to_do(tmp_path):
    result = wavecompare("query", "SELECT 1", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "wavecompare: no warehouse at data/warehouse.duckdb; run `wavecompare run` first.\n"
