"""The `wavecompare` command as a user runs it, on the bundled example study, and
the README's figures and outputs against what the commands really print."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO

BIN = Path(sys.executable).parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def normalised(text: str) -> str:
    """Run ids and report folders differ from run to run."""
    text = re.sub(r"\(run id [0-9a-f-]+\)", "(run id <a new id each run>)", text)
    text = re.sub(r"Run's own work: \d+\.\d s\.", "Run's own work: <seconds> s.", text)
    return re.sub(r"validation/\d{8}T\d{6}Z-[0-9a-f]{8}/", "validation/<time>-<run>/", text)


def readme_block(name: str) -> str:
    match = re.search(rf"<!-- output: {re.escape(name)} -->\n```text\n(.*?)```", README, re.S)
    assert match, f"README has no output block {name!r}"
    return match.group(1)


def wavecompare(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "wavecompare"), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A folder laid out like the checkout, where `wavecompare run` was run with its defaults."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    result = wavecompare("run", cwd=root)
    assert result.returncode == 0, result.stderr
    return root, result


def test_run_prints_what_the_readme_shows(project):
    _, result = project
    assert normalised(result.stdout.strip() + "\n") == readme_block("make run")


def test_run_announces_the_prefect_api_it_starts_and_stops_it(project):
    _, result = project
    match = re.search(r"wavecompare: started a temporary Prefect API for this run at http://127\.0\.0\.1:(\d+)/api "
                      r"\(stopped when the run ends", result.stderr)
    assert match, result.stderr
    assert "Starting temporary server" not in result.stderr  # Prefect did not start a second one
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(match.group(1)))) != 0


@pytest.mark.parametrize(
    ("block", "sql"),
    [
        (
            "query stakeholder_mix",
            "SELECT wave_id, dimension, category, n, base, pct FROM marts.stakeholder_mix "
            "WHERE dimension IN ('stakeholder_group', 'mode')",
        ),
        ("query interview_duration", "SELECT * FROM marts.interview_duration"),
    ],
)
def test_queries_print_what_the_readme_shows(project, block, sql):
    root, _ = project
    assert f'wavecompare query "{sql}"' in README
    result = wavecompare("query", sql, cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() + "\n" == readme_block(block)


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
    assert f'.venv/bin/duckdb -readonly data/warehouse.duckdb -c "{sql}"' in README
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


def test_an_analysts_own_database_attaches_the_warehouse_as_the_readme_shows(project, tmp_path):
    """The README's pattern for analysts' own tables: their database, the warehouse attached read-only. A run
    publishes while that session is open, and the session's tables survive it."""
    root, _ = project
    block = re.search(r"```sql\n *-- duckdb analysis.duckdb\n(.*?) *```", README, re.S)
    assert block, "README has no ATTACH example"
    session = subprocess.Popen([str(BIN / "duckdb"), str(tmp_path / "analysis.duckdb")], cwd=root, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    session.stdin.write(block.group(1) + ".mode csv\nSELECT 'ready' AS state;\n")
    session.stdin.flush()
    assert [session.stdout.readline().strip() for _ in range(2)] == ["state", "ready"]  # the block ran
    rerun = wavecompare("run", "--full-refresh", cwd=root)
    assert rerun.returncode == 0, rerun.stderr
    out, err = session.communicate(".mode csv\nSELECT count(*) AS kept FROM my_notes;\n", timeout=60)
    assert session.returncode == 0, err
    assert out.splitlines()[-2:] == ["kept", "12"]


def test_bad_input_fails_as_the_readme_shows(project, tmp_path):
    root, _ = project
    shutil.copytree(root / "data", tmp_path / "data", symlinks=True)
    before = (tmp_path / "data" / "processed" / "current" / "risk_mentions.csv").read_bytes()
    interviews = tmp_path / "data" / "raw" / "2013" / "interviews.csv"
    lines = interviews.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = re.sub(r",2013-\d\d-\d\d,", ",31/11/2013,", lines[3], count=1)
    interviews.write_text("".join(lines), encoding="utf-8")
    responses = tmp_path / "data" / "raw" / "2013" / "responses.csv"
    lines = responses.read_text(encoding="utf-8").splitlines(keepends=True)
    interview_id, code_id, rest = lines[11].split(",", 2)
    lines[11] = f"{interview_id},risk_fundng,{rest}"
    responses.write_text("".join(lines), encoding="utf-8")

    result = wavecompare("run", cwd=tmp_path)
    assert result.returncode == 1
    assert readme_block_failure() in normalised(result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert (tmp_path / "data" / "processed" / "current" / "risk_mentions.csv").read_bytes() == before
    sql = "SELECT * FROM validation.quarantine"
    assert f'wavecompare query --warehouse data/warehouse.rejected.duckdb "{sql}"' in README
    quarantine = wavecompare("query", "--warehouse", "data/warehouse.rejected.duckdb", sql, "--csv", cwd=tmp_path)
    assert quarantine.stdout.splitlines() == [
        "source_file,source_row,column_name,value,rule,expectation",
        "2013/interviews.csv,4,interview_date,31/11/2013,not a date: write it as 2013-10-08 or 08/10/2013,"
        "expect_column_values_to_be_in_set",
        "2013/responses.csv,12,code_id,risk_fundng,the code_id is not in the codebook,expect_column_values_to_be_in_set",
    ]


def readme_block_failure() -> str:
    match = re.search(r"```text\n(wavecompare: run failed\..*?)```", README, re.S)
    assert match
    return match.group(1)


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
