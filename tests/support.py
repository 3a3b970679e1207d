"""What the tests share: small studies written as offices deliver them, running the command line and the flow
as users do, looking at what a run published, headless Chromium, and the ranges a reader can work out for withheld
cells. The one helper module: test modules import from here, never from each other."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
from scipy.optimize import linprog

from wavecompare.cli import main

# Studies

HEADERS = {
    "waves": ["wave_id", "label", "fieldwork_start", "fieldwork_end", "planned_interviews"],
    "codebook": ["code_id", "theme", "label", "kind", "levels"],
    "interviews": [
        "interview_id", "interview_date", "stakeholder_group", "organisation_type",
        "organisation", "mode", "duration_minutes",
    ],
    "responses": ["interview_id", "code_id", "value", "excerpt"],
}


def write_csv(path: Path, header: list[str], rows: list[list[object]], *, encoding: str = "utf-8",
              newline: str = "\n", trailing: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        handle.write(trailing)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]], *, blank_rows: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for _ in range(blank_rows):
        sheet.append([None] * len(header))
    workbook.save(path)
    return path


# A three-wave study small enough to count by hand. Wave 2021 has no Charity
# interview; A1 mentions risk_a twice; B2 and C4 leave the level code `aware`
# uncoded; waves.csv lists the waves out of fieldwork order.
WAVES = [
    ["2022", "Wave C", "2022-03-01", "2022-03-31", 4],
    ["2020", "Wave A", "2020-03-01", "2020-03-31", 3],
    ["2021", "Wave B", "2021-03-01", "2021-03-31", 2],
]
CODEBOOK = [
    ["aware", "Awareness", "Aware of the policy", "level", "low|high"],
    ["conf", "confidence", "Confident it works", "level", "no|yes"],
    ["risk_a", "RISK", "Risk A", "mention", None],
    ["risk_b", "risk", "Risk B", "mention", None],
    ["benefit_x", "benefit", "Benefit X", "mention", None],
]
INTERVIEWS = {
    "2020": [
        ["A1", "2020-03-02", "Council", "Local authority", "Town Council", "F2F", 30],
        ["A2", "2020-03-03", "Council", "Local authority", "City Council", "Phone", 40],
        ["A3", "2020-03-04", "Charity", "Third sector", "Café Trust", "Video call", 50],
    ],
    "2021": [
        ["B1", "2021-03-02", "Council", "Local authority", "Town Council", "telephone", 20],
        ["B2", "2021-03-31", "Council", "Local authority", "City Council", "Teams", 25],
    ],
    "2022": [
        ["C1", "2022-03-01", "Charity", "Third sector", "Café Trust", "face to face", 60],
        ["C2", "2022-03-02", "Council", "Local authority", "Town Council", "phone", 45],
        ["C3", "2022-03-03", "Council", "Local authority", "City Council", "carrier pigeon", 35],
        ["C4", "2022-03-04", "Charity", "Third sector", "Youth Trust", "Phone", 15],
    ],
}
RESPONSES = {
    "2020": [
        ["A1", "aware", "high", None],
        ["A1", "risk_a", None, "first mention"],
        ["A1", "risk_a", "2", "second mention, counted once"],
        ["A1", "conf", "yes", None],
        ["A2", "aware", "low", None],
        ["A2", "risk_b", None, None],
        ["A3", "aware", "High", None],
        ["A3", "risk_a", None, None],
        ["A3", "benefit_x", None, None],
    ],
    "2021": [
        ["B1", "aware", "low", None],
        ["B2", "risk_a", None, None],
    ],
    "2022": [
        ["C1", "aware", "high", None],
        ["C1", "risk_a", None, None],
        ["C1", "risk_b", None, None],
        ["C2", "aware", "low", None],
        ["C3", "aware", "high", None],
        ["C3", "conf", "no", None],
        ["C4", "risk_b", None, None],
    ],
}


def write_tiny_study(root: Path) -> Path:
    """The three-wave study above as plain UTF-8 CSV."""
    write_csv(root / "waves.csv", HEADERS["waves"], WAVES)
    write_csv(root / "codebook.csv", HEADERS["codebook"], CODEBOOK)
    for wave_id in INTERVIEWS:
        write_csv(root / wave_id / "interviews.csv", HEADERS["interviews"], INTERVIEWS[wave_id])
        write_csv(root / wave_id / "responses.csv", HEADERS["responses"], RESPONSES[wave_id])
    return root


def as_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# Runs and what they published

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "data" / "raw"
WAVECOMPARE = Path(sys.executable).with_name("wavecompare")


def needs_prefect() -> None:
    """Fail a test that runs a flow without the session's Prefect harness: mark it (or its module) `e2e`."""
    from prefect.settings import PREFECT_API_URL

    assert PREFECT_API_URL.value(), "this test runs a flow: mark it e2e, so conftest starts the Prefect harness"


def run(work: Path, *extra: str, study: Path | None = None, command: str = "run") -> tuple[int, str, str]:
    """The command line, in-process, on `work`'s study (or another): (exit status, stdout, stderr)."""
    needs_prefect()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([command, "--raw-dir", str(study or work / "study"), "--warehouse",
                       str(work / "warehouse.duckdb"), "--out-dir", str(work / "processed"), *extra])
    return status, out.getvalue(), err.getvalue()


def run_pipeline(raw_dir: Path, work: Path):
    """Run the flow in-process on `raw_dir`, publishing under `work`; returns the final state."""
    from wavecompare.pipeline import wavecompare_flow

    needs_prefect()
    return wavecompare_flow(raw_dir, work / "warehouse.duckdb", work / "processed", return_state=True)


def check(study: Path, work: Path) -> list[str]:
    """Check a study as a run does, without Prefect: the lines a refused run prints about its problems and
    rows (none when it would publish)."""
    from wavecompare import graph, rules, studycheck
    from wavecompare.discover import discover
    from wavecompare.problems import describe
    from wavecompare.validation import Validator

    build_db, models, found = work / "check.duckdb", graph.load(), discover(study)
    suites = rules.checked(models)
    problems = list(found.problems) + studycheck.load(found, build_db, "check", logging.getLogger("check"))
    if problems:
        return describe(problems).splitlines()
    validator = Validator(work / "report", suites)
    problems = (studycheck.stage_and_validate(build_db, validator, models)
                or studycheck.build_marts(build_db, validator, models))
    rows = studycheck.reconcile(build_db)
    return (describe(problems).splitlines() if problems else []) + ([studycheck.reconciliation_line(rows)] if rows else [])


def query(work: Path, sql: str) -> list[tuple]:
    """Rows of a query against the published warehouse, read-only."""
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


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


def add_wave(study: Path, year: int = 2014) -> None:
    """Another wave (by default the third, 2014): a copy of 2013 with new interview ids."""
    number = year - 2011
    for name in ("interviews.csv", "responses.csv"):
        text = (study / "2013" / name).read_text(encoding="utf-8").replace("W2-", f"W{number}-")
        (study / str(year)).mkdir(exist_ok=True)
        (study / str(year) / name).write_text(text.replace("2013-", f"{year}-"), encoding="utf-8")
    with (study / "waves.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{year},Wave {number} (October-November {year}),{year}-10-08,{year}-11-29,15\n")


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


# Headless Chromium (Debian's chromium; `make test` installs it)

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium(tmp_path, *args: str) -> str:
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


# Withheld cells

def ranges(published: dict, equations: list) -> dict:
    """For every cell published as None: (smallest, largest) whole number ≥ 0 it can
    take given the published cells and `equations` [(total, parts)]; largest is inf
    when unbounded."""
    hidden = [key for key, value in published.items() if value is None]
    column = {key: i for i, key in enumerate(hidden)}
    rows, rhs = [], []
    for total, parts in equations:
        coefficients = np.zeros(len(hidden))
        constant = 0.0
        for key, sign in [(total, -1.0)] + [(part, 1.0) for part in parts]:
            if key in column:
                coefficients[column[key]] += sign
            else:
                constant -= sign * published[key]
        if coefficients.any():
            rows.append(coefficients)
            rhs.append(constant)
    spans = {}
    for key, i in column.items():
        objective = np.zeros(len(hidden))
        objective[i] = 1.0
        ends = []
        for sense in (1.0, -1.0):
            result = linprog(sense * objective, A_eq=np.array(rows) if rows else None, b_eq=rhs or None,
                             bounds=(0, None), integrality=np.ones(len(hidden)), method="highs")
            assert result.status == 0 or sense < 0, f"the released cells contradict the equations at {key}"
            ends.append(round(sense * result.fun) if result.status == 0 else float("inf"))
        spans[key] = tuple(ends)
    return spans
