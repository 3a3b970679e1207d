"""Running the example study as users do, and looking at what it published: shared by the test modules
that run, race and kill real runs (the fixtures `example_published` and `work` are in conftest.py)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from wavecompare.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"
WAVECOMPARE = Path(sys.executable).with_name("wavecompare")


def run(work: Path, *extra: str, study: Path | None = None) -> tuple[int, str, str]:
    """The command line, in-process, on `work`'s study (or another): (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["run", "--raw-dir", str(study or work / "study"), "--warehouse", str(work / "warehouse.duckdb"),
                       "--out-dir", str(work / "processed"), *extra])
    return status, out.getvalue(), err.getvalue()


def snapshot(work: Path) -> dict[str, str]:
    """What readers see, by sha256: the warehouse (through its link), the current run's files (through the
    `current` link, named by where it points) and the validation reports."""
    processed = work / "processed"
    current = processed / "current"
    files = {"warehouse.duckdb": work / "warehouse.duckdb"}
    target = current.resolve()
    files |= {f"current/{p.relative_to(target).as_posix()}": p for p in target.rglob("*") if p.is_file()}
    files |= {p.relative_to(processed).as_posix(): p for p in (processed / "validation").rglob("*") if p.is_file()}
    return {"current ->": os.readlink(current)} | {
        name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()}


def published(work: Path, name: str) -> Path:
    """A file of the current run."""
    return work / "processed" / "current" / name


def consistent(work: Path) -> str:
    """Check that everything readers see belongs to one run, and return its id: the manifest, the warehouse's
    lineage, the Parquet files' metadata and the hashes of the current run's files."""
    manifest = json.loads(published(work, "run_manifest.json").read_text())
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        [(built_by,)] = con.execute("SELECT run_id FROM lineage.run_manifest").fetchall()
        [(parquet_run,)] = con.execute(
            "SELECT value::VARCHAR FROM parquet_kv_metadata(?) WHERE key::VARCHAR = 'run_id'",
            [str(published(work, "awareness.parquet"))]).fetchall()
    assert built_by == parquet_run == manifest["run_id"]
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256(published(work, name).read_bytes()).hexdigest() == digest, name
    return manifest["run_id"]


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


def start_run(work: Path, stdout=subprocess.PIPE) -> subprocess.Popen:
    """A real `wavecompare run` process (own process group), using the session's Prefect server."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [str(WAVECOMPARE), "run", "--raw-dir", "study", "--warehouse", "warehouse.duckdb", "--out-dir", "processed"],
        cwd=work, env=env, stdout=stdout, stderr=subprocess.STDOUT, text=True, start_new_session=True,
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
