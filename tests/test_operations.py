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

from support import (
    add_wave,
    consistent,
    published,
    risk_rows,
    run,
    snapshot,
    start_run,
    wait_for_line,
)
from wavecompare.cli import EXIT_BUSY, main
from wavecompare.runlock import run_lock

pytestmark = pytest.mark.e2e

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
    assert after["current/risk_mentions.csv"] != before["current/risk_mentions.csv"]
    manifest = json.loads(published(work, "run_manifest.json").read_text())
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
        assert after[f"current/{table}.csv"] == before[f"current/{table}.csv"], table
    assert after["warehouse.duckdb"] != before["warehouse.duckdb"]  # a new build, with a new run id


# --- lineage and logs --------------------------------------------------------------------------------


def test_manifest_and_lineage_trace_the_tables_to_their_run(work):
    manifest = json.loads(published(work, "run_manifest.json").read_text())
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
        published(work, "risk_mentions.csv").read_bytes()).hexdigest()
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        [(run_id, status, failed)] = con.execute(
            "SELECT run_id, status, rules_failed FROM lineage.run_manifest").fetchall()
        tables = dict(con.execute("SELECT table_name, row_count FROM lineage.published_tables").fetchall())
        [(parquet_run,)] = con.execute(
            "SELECT value::VARCHAR FROM parquet_kv_metadata(?) WHERE key::VARCHAR = 'run_id'",
            [str(published(work, "awareness.parquet"))]).fetchall()
    assert (run_id, status, failed) == (manifest["run_id"], "published", 0)
    assert tables["awareness"] == 84
    assert parquet_run == manifest["run_id"]


def test_every_run_logs_to_a_file_under_the_output_folder(work):
    assert run(work)[0] == 0
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
    logs = sorted((work / "processed" / "logs").iterdir())
    with run_lock(work / "warehouse.duckdb", "the-other-run"):
        status, _, err = run(work)
    assert status == EXIT_BUSY
    assert "another run is in progress on" in err and "run the-other-run, process" in err
    assert "nothing was changed" in err
    assert snapshot(work) == before
    assert sorted((work / "processed" / "logs").iterdir()) == logs  # a busy run writes no log file


def test_the_lock_dies_with_its_holder(work):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from wavecompare.runlock import run_lock\n"
         f"with run_lock(Path({str(work / 'warehouse.duckdb')!r}), 'doomed'):\n"
         "    print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(Exception, match="another run is in progress"), run_lock(work / "warehouse.duckdb", "me"):
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
    assert not [p.name for p in (work / "processed" / "runs").glob(".*")]
    assert not [p.name for p in (work / "processed").glob(".*")]


# A real run that stops for a minute just before one system call, so that a test can kill it there: Python's
# audit hooks see each call with its paths before it is made.
PAUSED_RUN = """
import os, sys, time
from wavecompare.cli import main
event, part, flag, *argv = sys.argv[1:]
def pause(name, args):
    if name == event and any(isinstance(a, (str, os.PathLike)) and part in os.fspath(a) for a in args[:2]):
        open(flag, "w").close()
        time.sleep(60)
sys.addaudithook(pause)
sys.exit(main(argv))
"""


@pytest.mark.parametrize("moment, event, part", [
    ("renamed", "os.symlink", "processed/.current.new-"),  # the run folder is in place, no link made yet
    ("linked", "os.rename", "processed/.current.new-"),    # the new link is made, not yet renamed over `current`
    ("swapped", "open", "current/release/report.md"),      # just after the swap
])
def test_a_run_killed_while_publishing_leaves_one_whole_state(work, moment, event, part):
    """Readers see the old run or the new one, never a mix, and the next run tidies up and completes."""
    from prefect.settings import PREFECT_API_URL

    old = consistent(work)
    add_wave(work / "study")
    flag = work / "paused"
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    argv = ["run", "--raw-dir", "study", "--warehouse", "warehouse.duckdb", "--out-dir", "processed"]
    process = subprocess.Popen([sys.executable, "-c", PAUSED_RUN, event, part, str(flag), *argv],
                               cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not flag.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert flag.exists(), "the run never reached the moment"
    seen = consistent(work)
    assert (seen != old) == (moment == "swapped")
    assert risk_rows(work) == (54 if moment == "swapped" else 36)
    assert run(work)[0] == 0
    assert risk_rows(work) == 54 and consistent(work) != old
    assert not [p.name for p in (work / "processed" / "runs").iterdir() if p.name.startswith(".")]
    assert not [p.name for p in (work / "processed").glob(".*")]
    assert len(list((work / "processed" / "runs").iterdir())) == 2  # the template's run and the new one


def test_older_runs_are_kept_for_the_set_number_of_runs_and_prune_removes_them(work):
    first = consistent(work)
    for _ in range(3):
        assert run(work, "--full-refresh", "--keep-runs", "2")[0] == 0
    runs = sorted(p.name for p in (work / "processed" / "runs").iterdir())
    assert len(runs) == 2 and os.readlink(work / "processed" / "current") == f"runs/{runs[-1]}"
    assert first[:8] not in "".join(runs)
    (work / "warehouse.rejected.duckdb").write_bytes(b"a rejected build")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["prune", "--warehouse", str(work / "warehouse.duckdb"), "--out-dir", str(work / "processed")])
    assert status == 0
    assert f"the current run in {work / 'processed' / 'current'}/ stays" in out.getvalue()
    assert [p.name for p in (work / "processed" / "runs").iterdir()] == [runs[-1]]
    assert [p.name for p in (work / "processed" / "validation").iterdir()] == [runs[-1]]
    assert [p.name for p in (work / "processed" / "logs").iterdir()] == [runs[-1] + ".log"]
    assert not (work / "warehouse.rejected.duckdb").exists()
    assert risk_rows(work) == 36 and consistent(work)


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


# --- an analyst's read-write session -------------------------------------------------------------------

WRITER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])   # read-write, as an analyst's session might
if sys.argv[2] != "idle":
    con.execute("CREATE TABLE main.my_notes AS SELECT 42 AS answer")
print("open", flush=True)
sys.stdin.readline()
print(con.execute("SELECT count(*) FROM marts.risk_mentions").fetchall()[0][0], flush=True)
con.close()
"""


@pytest.mark.parametrize("session", ["idle", "wrote"])
def test_a_run_never_replaces_a_warehouse_open_read_write(work, session):
    old = consistent(work)
    add_wave(work / "study")
    holder = subprocess.Popen([sys.executable, "-c", WRITER, str(work / "warehouse.duckdb"), session],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        status, _, err = run(work)
    finally:
        remaining = holder.communicate("\n", timeout=30)[0]
    assert status == EXIT_BUSY
    assert f"the published warehouse {work / 'processed' / 'current' / 'warehouse.duckdb'}".replace(
        "current", os.readlink(work / "processed" / "current")) in err.replace(str(work.resolve()), str(work))
    assert "is open read-write in another process (" in err and f"process {holder.pid})" in err
    assert "nothing was changed" in err
    assert "keep your own tables in a separate database that ATTACHes the warehouse read-only" in err
    assert remaining.strip() == "36"  # the session worked on throughout
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        notes = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'my_notes'").fetchall()
    assert notes == [(0 if session == "idle" else 1,)]  # its writes are there, in the warehouse readers open
    assert consistent(work) == old
    status, out, _ = run(work)  # once the session has closed, the run goes ahead
    assert status == 0 and "run completed" in out and risk_rows(work) == 54


def test_retention_never_removes_a_run_whose_warehouse_an_analyst_wrote_to(work):
    holder = subprocess.Popen([sys.executable, "-c", WRITER, str(work / "warehouse.duckdb"), "wrote"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    assert holder.communicate("\n", timeout=30)[0].strip() == "36"  # closed cleanly: its table is in the file
    written = (work / "processed" / "current").resolve()
    for _ in range(2):
        assert run(work, "--full-refresh", "--keep-runs", "1")[0] == 0
    runs = sorted(p.name for p in (work / "processed" / "runs").iterdir())
    assert len(runs) == 2 and runs[0] == written.name  # kept beyond --keep-runs 1, with the analyst's table
    with duckdb.connect(str(written / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT answer FROM main.my_notes").fetchall() == [(42,)]
    assert main(["prune", "--warehouse", str(work / "warehouse.duckdb"), "--out-dir", str(work / "processed")]) == 0
    assert [p.name for p in (work / "processed" / "runs").iterdir()] == [runs[1]]


def test_a_run_refuses_a_warehouse_whose_writes_were_never_checkpointed(work):
    old = consistent(work)
    add_wave(work / "study")
    holder = subprocess.Popen([sys.executable, "-c", WRITER, str(work / "warehouse.duckdb"), "wrote"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    holder.kill()  # the session dies with its writes in the write-ahead log
    holder.wait(timeout=10)
    wal = work / "processed" / os.readlink(work / "processed" / "current") / "warehouse.duckdb.wal"
    assert wal.exists()
    status, _, err = run(work)
    assert status == EXIT_BUSY
    assert "has writes that were never checkpointed" in err and "warehouse.duckdb.wal" in err
    assert consistent(work) == old and wal.exists()


# --- faults of the machine -------------------------------------------------------------------------------

@contextlib.contextmanager
def small_disk(folder: Path, megabytes: int):
    """A real file system of a few megabytes (tmpfs, mounted as root), removed afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@pytest.mark.parametrize("free_kb", [200, 2_500])  # the disk fills at an earlier or a later step of the run
def test_a_full_disk_ends_the_run_with_one_sentence_and_changes_nothing(work, free_kb):
    with small_disk(work / "disk", 64) as disk:
        assert run(disk, study=work / "study")[0] == 0
        before = snapshot(disk)
        stat = os.statvfs(disk)
        with (disk / "filler").open("wb") as filler:
            filler.truncate(0)
            filler.write(b"\0" * (stat.f_bavail * stat.f_frsize - free_kb * 1024))
        add_wave(work / "study")
        status, _, err = run(disk, study=work / "study")
        assert status == 1
        message = err.split("wavecompare: run failed.\n", 1)[1]
        assert "No space left on device" in message and str(disk / "processed") in message
        assert "Nothing published was changed; the details are in the run's log " in message
        assert "Traceback" not in err
        log = Path(message.rsplit("the run's log ", 1)[1].strip().removesuffix("."))
        assert "Traceback (most recent call last)" in log.read_text(encoding="utf-8")
        assert snapshot(disk) == before
        assert not [p for p in (disk / "processed" / "runs").iterdir() if p.name.startswith(".")]


def test_a_read_only_output_folder_ends_the_run_with_one_sentence_and_changes_nothing(work):
    with small_disk(work / "disk", 30) as disk:
        assert run(disk, study=work / "study")[0] == 0
        before = snapshot(disk)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        add_wave(work / "study")
        status, _, err = run(disk, study=work / "study")
        assert status == 1
        assert err.endswith(f"could not use {disk / '.warehouse.duckdb.lock'}: Read-only file system. "
                            "Nothing published was changed.\n")
        assert "Traceback" not in err
        assert snapshot(disk) == before


def test_an_output_folder_that_is_a_file_ends_the_run_with_one_sentence(work):
    before = snapshot(work)
    (work / "a-file").write_text("not a folder\n", encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["run", "--raw-dir", str(work / "study"), "--warehouse", str(work / "warehouse.duckdb"),
                       "--out-dir", str(work / "a-file")])
    assert status == 1
    assert err.getvalue().endswith(f"could not use {work / 'a-file' / 'logs'}: Not a directory. "
                                   "Nothing published was changed.\n")
    assert "Traceback" not in err.getvalue()
    assert snapshot(work) == before


def test_a_study_file_deleted_mid_run_ends_the_run_with_one_sentence_and_changes_nothing(work):
    before = snapshot(work)
    big = work / "study" / "2012" / "responses.csv"  # widen the window: 2012 takes a while to load
    with big.open("a", encoding="utf-8") as handle:
        handle.write("W1-01,risk_transparency,,\n" * 400_000)
    process = start_run(work)
    try:
        wait_for_line(process, "Found 6 input files")
        (work / "study" / "2013" / "responses.csv").unlink()
        output = process.communicate(timeout=120)[0]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 1
    assert "wavecompare: run failed.\ncould not use study/2013/responses.csv: No such file or directory. " \
           "Nothing published was changed; the details are in the run's log processed/logs/" in output
    assert "Traceback" not in output
    assert snapshot(work) == before



def test_the_layout_of_earlier_versions_is_adopted_without_losing_what_it_published(work):
    """Earlier versions kept the warehouse file at the warehouse path and the tables straight in OUT_DIR."""
    processed = work / "processed"
    folder = (processed / "current").resolve()
    run_id = consistent(work)
    (work / "warehouse.duckdb").unlink()
    os.replace(folder / "warehouse.duckdb", work / "warehouse.duckdb")
    for item in folder.iterdir():
        os.replace(item, processed / item.name)
    (processed / "current").unlink()
    shutil.rmtree(processed / "runs")
    # nor did they keep a disclosure baseline beside the release
    (processed / "disclosure_baseline.csv").unlink()
    facts = json.loads((processed / "run_manifest.json").read_text(encoding="utf-8"))
    del facts["outputs"]["disclosure_baseline.csv"]
    (processed / "run_manifest.json").write_text(json.dumps(facts), encoding="utf-8")
    status, out, _ = run(work)
    assert status == 0 and f"up to date: the inputs and code are those of run {run_id}" in out
    assert (work / "warehouse.duckdb").is_symlink()
    assert consistent(work) == run_id and risk_rows(work) == 36
    assert not (processed / "awareness.csv").exists() and not (processed / "release").exists()
