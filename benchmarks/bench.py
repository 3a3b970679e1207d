"""`make bench`: time the pipeline against the DuckDB floor and the pandas script.

Every contender runs as a whole process on the same generated study, one after
the other in one session, so ratios are taken on the same machine and load. Wall
time and peak memory (max RSS, from wait4) are of the whole process; the
pipeline's own work (flow start to tables published) and the floor's query time
are what each prints. Medians are taken over --repeat runs. The figures, ratios
and where the largest run's time went go to benchmarks/results/.

    python benchmarks/bench.py --sizes 10k,100k,1m,10m --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
TABLES = ("stakeholder_mix", "interview_duration", "awareness", "confidence", "risk_mentions")
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


OWN_API = "trivial Prefect flow, ephemeral API started as `wavecompare run` starts it"
WORK_LINE = re.compile(r"(?:Run's own work|floor): (\d+(?:\.\d+)?) s")


@dataclass
class Timing:
    seconds: float
    peak_mb: float
    work: float | None = None  # the seconds the process itself reports as its work, if it does


def measure(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> Timing:
    """Run a whole process; its wall time, its own peak resident memory (wait4) and the work it reports."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        printed = out.read().decode()
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{err.read().decode()[-3000:]}")
    work = WORK_LINE.search(printed)
    return Timing(seconds, usage.ru_maxrss / 1024, float(work.group(1)) if work else None)


def median(timings: list[Timing]) -> Timing:
    works = [t.work for t in timings if t.work is not None]
    return Timing(statistics.median(t.seconds for t in timings), max(t.peak_mb for t in timings),
                  statistics.median(works) if works else None)


def same_tables(left: Path, right: Path) -> bool:
    return all(filecmp.cmp(left / f"{t}.csv", right / f"{t}.csv", shallow=False) for t in TABLES)


def phases(log: Path) -> dict[str, float]:
    """Seconds per task of a run, from its log: tasks run one after another, so each
    lasts from the previous task's end (or the run's first line) to its own end."""
    stamps = []
    for line in log.read_text(encoding="utf-8").splitlines():
        when, _, who, message = (part.strip() for part in line.split(" | ", 3))
        stamps.append((dt.datetime.strptime(when, "%Y-%m-%d %H:%M:%S,%f"), who, message))
    durations: dict[str, float] = {}
    previous = stamps[0][0]
    for when, who, message in stamps:
        if who.startswith("Task run") and message.startswith("Finished in state"):
            task = who.split("'")[1].rsplit("-", 1)[0]
            durations[task] = durations.get(task, 0.0) + (when - previous).total_seconds()
            previous = when
    return durations


def bench_size(label: str, responses: int, repeat: int, served: bool = False) -> dict:
    from generate import generate

    folder = WORK / label
    shutil.rmtree(folder, ignore_errors=True)
    study = folder / "study"
    made = generate(study, responses=responses)
    pipeline = [str(BIN / "wavecompare"), "run", "--raw-dir", "study", "--warehouse", "w.duckdb", "--out-dir", "out"]
    runs: dict[str, list[Timing]] = {"pipeline": [], "rerun": [], "floor": [], "pandas": []}
    for _ in range(repeat):
        _unbuilt(folder)
        runs["pipeline"].append(measure(pipeline, cwd=folder))
        runs["rerun"].append(measure(pipeline, cwd=folder))
        runs["floor"].append(measure([sys.executable, str(HERE / "floor.py"), "study", "floor_out"], cwd=folder))
        runs["pandas"].append(
            measure([sys.executable, str(HERE / "pandas_baseline.py"), "study", "pandas_out"], cwd=folder)
        )
    result: dict = {name: median(timings) for name, timings in runs.items()}
    result["study"] = made
    result["equal"] = same_tables(folder / "out" / "current", folder / "floor_out") and same_tables(
        folder / "out" / "current", folder / "pandas_out"
    )
    result["phases"] = phases(min((folder / "out" / "logs").glob("*.log")))
    if served:
        result["served"] = _served(pipeline, folder, repeat)
    return result


def _unbuilt(folder: Path) -> None:
    """Remove the study's warehouse and outputs, so that the next run is a full build."""
    for path in (folder / "w.duckdb", folder / "out"):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _served(pipeline: list[str], folder: Path, repeat: int) -> Timing:
    """The pipeline's full build against a running Prefect server (how scheduled runs go), as a whole process."""
    from wavecompare.prefect_server import free_port, local_server

    timings = []
    with local_server(home=folder / "prefect", port=free_port()) as api:
        for _ in range(repeat):
            _unbuilt(folder)
            timings.append(measure(pipeline, cwd=folder, env={**os.environ, "PREFECT_API_URL": api}))
    return median(timings)


def fixed_cost(repeat: int) -> dict[str, Timing]:
    """Interpreter and imports, a trivial Prefect flow, and the bundled example study end to
    end: on the ephemeral API (as Prefect starts it, and as `wavecompare run` starts it), re-run
    when up to date, and against an already running Prefect server (PREFECT_API_URL)."""
    from wavecompare.prefect_server import free_port, local_server

    folder = WORK / "example"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    imports = [sys.executable, "-c", "import wavecompare.pipeline"]
    trivial = [sys.executable, "-c", "import wavecompare; from prefect import flow; flow(lambda: 1, name='trivial')()"]
    own_api = [sys.executable, "-c", "from wavecompare.prefect_server import TemporaryAPI; api = TemporaryAPI()\n"
               "from prefect import flow\nwith api.serving(): flow(lambda: 1, name='trivial')()"]
    example = [str(BIN / "wavecompare"), "run", "--raw-dir", str(HERE.parent / "data" / "raw"),
               "--warehouse", "w.duckdb", "--out-dir", "out", "--full-refresh"]
    rerun = example[:-1]
    figures = {
        "imports": median([measure(imports, cwd=folder) for _ in range(repeat)]),
        "trivial Prefect flow, ephemeral API": median([measure(trivial, cwd=folder) for _ in range(repeat)]),
        OWN_API: median([measure(own_api, cwd=folder) for _ in range(repeat)]),
        "example study, ephemeral API": median([measure(example, cwd=folder) for _ in range(repeat)]),
        "example study re-run (up to date), ephemeral API": median([measure(rerun, cwd=folder) for _ in range(repeat)]),
    }
    with local_server(home=folder / "prefect", port=free_port()) as api:
        env = {**os.environ, "PREFECT_API_URL": api}
        figures["trivial Prefect flow, running server"] = median(
            [measure(trivial, cwd=folder, env=env) for _ in range(repeat)])
        figures["example study, running server"] = median(
            [measure(example, cwd=folder, env=env) for _ in range(repeat)])
    return figures


def versions() -> str:
    import duckdb
    import great_expectations
    import pandas
    import prefect

    return (f"Python {platform.python_version()}, duckdb {duckdb.__version__}, pandas {pandas.__version__}, "
            f"prefect {prefect.__version__}, great-expectations {great_expectations.__version__}")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.system()} {platform.release()}"


def _ratio(a: float | None, b: float | None) -> str:
    ratio = _ratio_of(a, b)
    return f"{ratio:.2f}" if ratio is not None else "–"


def _s(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "–"


def _work_without_release(r: dict) -> float | None:
    """The pipeline's work less its release, which the baselines do not make (None if either is missing)."""
    work, release = r["pipeline"].work, r["phases"].get("build_release")
    return work - release if work is not None and release is not None else None


def targets(sizes: dict[str, dict], fixed: dict[str, Timing]) -> list[str]:
    """Issue #18's targets (and #16's release row), checked on the largest size measured; a target this run
    cannot measure says so and is not met."""
    label = max(sizes, key=lambda name: SIZES[name])
    r = sizes[label]
    p, f, pd_, served = r["pipeline"], r["floor"], r["pandas"], r.get("served")
    study, release = r["study"], r["phases"].get("build_release")
    codes = f"{study['waves']} waves × {study['codes']} codes"
    trivial, served_trivial = fixed[OWN_API].seconds, fixed["trivial Prefect flow, running server"].seconds
    rows = [  # (target, measured or None, limit, at most the limit (else under it))
        (f"1. core work (the work without the release) ≤ 2 × floor query ({label})",
         _ratio_of(_work_without_release(r), f.work), 2.0, True),
        (f"2. release ≤ 5 s ({label}, {codes}), in s", release, 5.0, True),
        (f"#16: release < 10 s ({label}, {codes}), in s", release, 10.0, False),
        (f"3. whole run against a running Prefect server ≤ 2 × pandas process ({label})",
         _ratio_of(served.seconds if served else None, pd_.seconds), 2.0, True),
        (f"3. (stated) whole run on the ephemeral API / pandas process ({label})", p.seconds / pd_.seconds, None,
         True),
        ("4. a 21st wave, or one wave's changed responses, ≤ 25% of a full build's work (not measured: incremental "
         "runs are not built)", None, 0.25, True),
        ("5. example study ≤ trivial flow + 3 s (ephemeral API as `wavecompare run` starts it), in s",
         fixed["example study, ephemeral API"].seconds - trivial, 3.0, True),
        ("5. example study ≤ trivial flow + 3 s (running server), in s",
         fixed["example study, running server"].seconds - served_trivial, 3.0, True),
        (f"6. peak memory < 2 GB ({label}, MB / 2048)", p.peak_mb / 2048, 1.0, False),
        ("6. 50M responses in < 6 × the 10M time (not measured: 50m is not a bench size)", None, 6.0, False),
    ]
    lines = ["| target | measured | limit | met |", "|---|---|---|---|"]
    for name, value, limit, at_most in rows:
        met = "–" if limit is None else "no" if value is None else (
            "yes" if value < limit or (at_most and value == limit) else "no")
        lines.append(f"| {name} | {'–' if value is None else f'{value:.2f}'} | {'–' if limit is None else limit} "
                     f"| {met} |")
    return lines


def _ratio_of(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def report(sizes: dict[str, dict], fixed: dict[str, Timing], repeat: int) -> str:
    lines = [
        f"# Benchmark {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {machine()}. Versions: {versions()}. Median of {repeat} run(s); peak memory is the",
        "largest max RSS of the whole process over the runs. *work* is what the process reports: the",
        "pipeline's flow from start to tables published, the floor's SQL script; *start-up* is the rest of",
        "the pipeline's process (interpreter, imports, Prefect's API, exit); *release* is the part of",
        "the work that writes the files for report writers (tables with tests and disclosure control,",
        "workbook, CSV, charts, report), which the baselines do not produce.",
        "",
        "| responses | pipeline s | pipeline work s | start-up s | of which release s | re-run s | re-run work s | floor s "
        "| floor query s | pandas s | work / floor query | work without release / floor query | pipeline / floor "
        "| pipeline / pandas | re-run work / work | pipeline peak MB | floor peak MB | pandas peak MB | tables equal |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, r in sizes.items():
        p, re_, f, pd_ = r["pipeline"], r["rerun"], r["floor"], r["pandas"]
        release, without = r["phases"].get("build_release"), _work_without_release(r)
        lines.append(
            f"| {label} | {p.seconds:.1f} | {_s(p.work)} | {_s(p.seconds - p.work if p.work else None)} | {_s(release)} | {re_.seconds:.1f} | {_s(re_.work)} "
            f"| {f.seconds:.1f} | {_s(f.work)} | {pd_.seconds:.1f} | {_ratio(p.work, f.work)} "
            f"| {_ratio(without, f.work)} | {_ratio(p.seconds, f.seconds)} "
            f"| {_ratio(p.seconds, pd_.seconds)} | {_ratio(re_.work, p.work)} "
            f"| {p.peak_mb:.0f} | {f.peak_mb:.0f} | {pd_.peak_mb:.0f} | {'yes' if r['equal'] else 'NO'} |"
        )
    lines += ["", "| fixed cost | seconds | peak MB |", "|---|---|---|"]
    lines += [f"| {name} | {t.seconds:.1f} | {t.peak_mb:.0f} |" for name, t in fixed.items()]
    largest = max(sizes, key=lambda name: SIZES[name])
    lines += ["", f"Where the pipeline's work went at {largest} (seconds per task, from the run's log):", "",
              "| task | seconds |", "|---|---|"]
    lines += [f"| {task} | {seconds:.1f} |" for task, seconds in sizes[largest]["phases"].items()]
    if "served" in sizes[largest]:
        served = sizes[largest]["served"]
        lines += ["", f"The {largest} study's full build against a running Prefect server: {served.seconds:.1f} s "
                      f"(whole process), peak {served.peak_mb:.0f} MB."]
    lines += ["", "Targets (issue #18's, numbered as there):", "", *targets(sizes, fixed)]
    return "\n".join(lines) + "\n"


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop like Ctrl+C: the Prefect server goes too
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m,10m", help="comma-separated, from " + ", ".join(SIZES))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    fixed = fixed_cost(args.repeat)
    largest = max(labels, key=SIZES.get)  # also run against a running Prefect server (target 3)
    sizes = {label: bench_size(label, SIZES[label], args.repeat, served=label == largest) for label in labels}
    text = report(sizes, fixed, args.repeat)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.md").write_text(text, encoding="utf-8")
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    print(text)
    if not all(r["equal"] for r in sizes.values()):
        raise SystemExit("the pipeline's tables differ from a baseline's")


if __name__ == "__main__":
    main()
