"""Operations: up-to-date re-runs, one run at a time, crash safety, readers during
a run, lineage and run logs. Runs that must be killed or raced are real
`wavecompare run` processes, pointed at the session's Prefect test server."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from wavecompare.cli import EXIT_BUSY, main
from wavecompare.runlock import run_lock

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"
WAVECOMPARE = Path(sys.executable).with_name("wavecompare")


def run(work: Path, *extra: str) -> tuple[int, str, str]:
    """The command line, in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["run", "--raw-dir", str(work / "study"), "--warehouse", str(work / "warehouse.duckdb"),
                       "--out-dir", str(work / "processed"), *extra])
    return status, out.getvalue(), err.getvalue()


def snapshot(work: Path) -> dict[str, str]:
    """sha256 of every published file: the warehouse and everything under the output folder
    except the per-run logs and the dot-named working files of runs in progress."""
    files = [work / "warehouse.duckdb"] + [
        p for p in (work / "processed").rglob("*")
        if p.is_file() and "logs" not in p.relative_to(work / "processed").parts[:1]
        and not any(part.startswith(".") for part in p.relative_to(work).parts)
    ]
    return {p.relative_to(work).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def add_wave(study: Path) -> None:
    """A third wave, 2014: a copy of 2013 with new interview ids."""
    for name in ("interviews.csv", "responses.csv"):
        text = (study / "2013" / name).read_text(encoding="utf-8").replace("W2-", "W3-")
        (study / "2014").mkdir(exist_ok=True)
        (study / "2014" / name).write_text(text.replace("2013-", "2014-"), encoding="utf-8")
    with (study / "waves.csv").open("a", encoding="utf-8") as handle:
        handle.write("2014,Wave 3 (October-November 2014),2014-10-08,2014-11-29,15\n")


def risk_rows(work: Path) -> int:
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("SELECT count(*) FROM marts.risk_mentions").fetchall()[0][0]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The example study, published once; each test works on a copy."""
    work = tmp_path_factory.mktemp("ops")
    shutil.copytree(EXAMPLE, work / "study")
    assert run(work)[0] == 0
    return work


@pytest.fixture
def work(template, tmp_path):
    shutil.copytree(template, tmp_path / "w")
    return tmp_path / "w"


def start_run(work: Path) -> subprocess.Popen:
    """A real `wavecompare run` process (own process group), using the session's Prefect server."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [str(WAVECOMPARE), "run", "--raw-dir", "study", "--warehouse", "warehouse.duckdb", "--out-dir", "processed"],
        cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


def wait_for_line(process: subprocess.Popen, marker: str, timeout: float = 90) -> list[str]:
    """Read the run's log until a line containing `marker`; the lines read."""
    lines, deadline = [], time.monotonic() + timeout
    for line in process.stdout:
        lines.append(line)
        if marker in line:
            return lines
        assert time.monotonic() < deadline, f"no {marker!r} within {timeout} s:\n{''.join(lines)}"
    raise AssertionError(f"the run ended before {marker!r}:\n{''.join(lines)}")


# --- incremental and idempotent -------------------------------------------------------------------


def test_second_run_on_unchanged_input_is_up_to_date_and_changes_no_file(work):
    before = snapshot(work)
    status, out, _ = run(work)
    assert status == 0
    assert "wavecompare: up to date: the inputs and code are those of run " in out
    assert "nothing was rebuilt" in out
    assert snapshot(work) == before


def test_a_changed_wave_file_is_rebuilt(work):
    path = work / "study" / "2013" / "responses.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("W2-15,risk_transparency,,\n")  # W2-15 did not mention it before
    before = snapshot(work)
    status, out, _ = run(work)
    assert status == 0 and "run completed" in out
    after = snapshot(work)
    assert after["processed/risk_mentions.csv"] != before["processed/risk_mentions.csv"]
    manifest = json.loads((work / "processed" / "run_manifest.json").read_text())
    listed = {i["file"]: i for i in manifest["inputs"]}
    assert listed["2013/responses.csv"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_wave_folder_is_brought_in(work):
    assert risk_rows(work) == 36
    add_wave(work / "study")
    status, out, _ = run(work)
    assert status == 0 and "run completed" in out
    assert risk_rows(work) == 54  # 3 waves x 3 groups (All and two) x 6 risk codes


def test_full_refresh_rebuilds_and_gives_identical_tables(work):
    before = snapshot(work)
    status, out, _ = run(work, "--full-refresh")
    assert status == 0 and "run completed" in out
    after = snapshot(work)
    for table in ("stakeholder_mix", "interview_duration", "awareness", "confidence", "risk_mentions"):
        assert after[f"processed/{table}.csv"] == before[f"processed/{table}.csv"], table
    assert after["warehouse.duckdb"] != before["warehouse.duckdb"]  # a new build, with a new run id


# --- lineage and logs --------------------------------------------------------------------------------


def test_manifest_and_lineage_trace_the_tables_to_their_run(work):
    manifest = json.loads((work / "processed" / "run_manifest.json").read_text())
    assert manifest["status"] == "published"
    assert [i["file"] for i in manifest["inputs"]] == [
        "waves.csv", "codebook.csv", "2012/interviews.csv", "2012/responses.csv",
        "2013/interviews.csv", "2013/responses.csv",
    ]
    assert [i["rows"] for i in manifest["inputs"]] == [2, 21, 10, 85, 15, 173]
    assert manifest["tables"] == {"stakeholder_mix": 48, "interview_duration": 2, "awareness": 84,
                                  "confidence": 60, "risk_mentions": 36}
    assert manifest["validation"]["rules_failed"] == 0 and manifest["validation"]["rows_quarantined"] == 0
    assert manifest["package_version"] == "0.1.0"
    assert manifest["outputs"]["risk_mentions.csv"] == hashlib.sha256(
        (work / "processed" / "risk_mentions.csv").read_bytes()).hexdigest()
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        [(run_id, status, failed)] = con.execute(
            "SELECT run_id, status, rules_failed FROM lineage.run_manifest").fetchall()
        tables = dict(con.execute("SELECT table_name, row_count FROM lineage.published_tables").fetchall())
        [(parquet_run,)] = con.execute(
            "SELECT value::VARCHAR FROM parquet_kv_metadata(?) WHERE key::VARCHAR = 'run_id'",
            [str(work / "processed" / "awareness.parquet")]).fetchall()
    assert (run_id, status, failed) == (manifest["run_id"], "published", 0)
    assert tables["awareness"] == 84
    assert parquet_run == manifest["run_id"]


def test_every_run_logs_to_a_file_under_the_output_folder(work):
    status, out, _ = run(work)
    logs = sorted((work / "processed" / "logs").glob("*.log"))
    assert len(logs) == 2  # the template's run and this one
    first = logs[0].read_text(encoding="utf-8")
    assert "Loaded 2013/responses.csv: 173 rows" in first
    assert "Published the tables to" in first
    assert "Found 6 input files" in logs[1].read_text(encoding="utf-8")


# --- one run at a time -------------------------------------------------------------------------------


def test_a_run_while_another_holds_the_lock_stops_with_a_clear_message(work):
    before = snapshot(work)
    add_wave(work / "study")
    with run_lock(work / "warehouse.duckdb", "the-other-run"):
        status, _, err = run(work)
    assert status == EXIT_BUSY
    assert "another run is in progress on" in err and "run the-other-run, process" in err
    assert "nothing was changed" in err
    assert snapshot(work) == before


def test_the_lock_dies_with_its_holder(work):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from wavecompare.runlock import run_lock\n"
         f"with run_lock(Path({str(work / 'warehouse.duckdb')!r}), 'doomed'):\n"
         "    print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(Exception, match="another run is in progress"):
        with run_lock(work / "warehouse.duckdb", "me"):
            pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    with run_lock(work / "warehouse.duckdb", "me"):
        pass


# --- crash safety ------------------------------------------------------------------------------------


@pytest.mark.parametrize("marker", [
    "Loaded 2012/responses.csv",          # in the middle of loading
    "Validated the study",                # staged and validated
    "Task run 'write_report",             # marts built, report written, not yet published
])
def test_a_run_killed_at_any_point_changes_nothing_and_the_next_run_completes(work, marker):
    before = snapshot(work)
    add_wave(work / "study")
    process = start_run(work)
    try:
        wait_for_line(process, marker)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert snapshot(work) == before
    assert risk_rows(work) == 36
    status, out, _ = run(work)
    assert status == 0 and "run completed" in out
    assert risk_rows(work) == 54
    assert not [p.name for p in work.glob(".warehouse.duckdb.build-*")]
    assert not [p.name for p in (work / "processed").glob(".*")]


def test_a_publish_interrupted_after_its_journal_is_finished_by_the_next_run(work):
    """A kill between the journal's commit and the last rename: the next run rolls forward."""
    from wavecompare.publish import journal_path

    staged = work / "processed" / ".build-interrupted"
    staged.mkdir()
    (staged / "risk_mentions.csv").write_text("the interrupted run's table\n", encoding="utf-8")
    journal_path(work / "processed").write_text(json.dumps(
        {"moves": [[str(staged / "risk_mentions.csv"), str(work / "processed" / "risk_mentions.csv")]]}))
    status, out, _ = run(work)
    assert status == 0
    assert not journal_path(work / "processed").exists() and not staged.exists()
    # The rolled-forward file no longer matches the manifest, so the run rebuilt instead of saying up to date.
    assert "run completed" in out
    assert (work / "processed" / "risk_mentions.csv").read_text(encoding="utf-8").startswith("wave_id,")


# --- readers during a run ------------------------------------------------------------------------------

READER = """
import os, sys, time, duckdb
path, stop = sys.argv[1], sys.argv[2]
print("ready", flush=True)
deadline = time.monotonic() + 120
while not os.path.exists(stop) and time.monotonic() < deadline:
    try:
        with duckdb.connect(path, read_only=True) as con:
            print(con.execute("SELECT count(*) FROM marts.risk_mentions").fetchall()[0][0], flush=True)
    except Exception as error:
        print("ERROR", type(error).__name__, error, flush=True)
"""

HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)   # an analyst's session, open throughout the run
print("open", flush=True)
sys.stdin.readline()
print(con.execute("SELECT count(*) FROM marts.risk_mentions").fetchall()[0][0], flush=True)
"""


def test_readers_during_a_run_see_the_old_or_the_new_state_and_never_fail(work):
    add_wave(work / "study")
    path = str(work / "warehouse.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "open"
    stop = work / "stop-reading"
    reader = subprocess.Popen([sys.executable, "-c", READER, path, str(stop)], stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready"
    status, out, _ = run(work)
    assert status == 0 and "run completed" in out  # the open session did not block the run
    time.sleep(0.5)
    stop.touch()
    seen = reader.communicate(timeout=60)[0].split()
    assert "ERROR" not in seen
    counts = [int(value) for value in seen]
    assert set(counts) == {36, 54}
    assert counts == sorted(counts)  # once the new state appears, the old never comes back
    # The session opened before the run still reads the state it opened, until it reconnects.
    assert holder.communicate("\n", timeout=30)[0].split() == ["36"]
