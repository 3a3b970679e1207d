"""`make bench`: time the pipeline against the DuckDB floor and the pandas script.

Every contender runs as a whole process on the same generated study, one after
the other in one session, so ratios are taken on the same machine and load. Wall
time and peak memory (max RSS, from wait4) are of the whole process. Medians are
taken over --repeat runs. The figures and ratios go to benchmarks/results/.

    python benchmarks/bench.py --sizes 10k,100k,1m,10m --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
TABLES = ("stakeholder_mix", "interview_duration", "awareness", "confidence", "risk_mentions")
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


@dataclass
class Timing:
    seconds: float
    peak_mb: float


def measure(command: list[str], *, cwd: Path) -> Timing:
    """Run a whole process; its wall time and its own peak resident memory."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()[-3000:]}")
    return Timing(seconds, usage.ru_maxrss / 1024)


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.seconds for t in timings), max(t.peak_mb for t in timings))


def same_tables(left: Path, right: Path) -> bool:
    return all(filecmp.cmp(left / f"{t}.csv", right / f"{t}.csv", shallow=False) for t in TABLES)


def bench_size(label: str, responses: int, repeat: int) -> dict[str, Timing | bool]:
    from generate import generate

    folder = WORK / label
    shutil.rmtree(folder, ignore_errors=True)
    study = folder / "study"
    generate(study, responses=responses)
    pipeline = [str(BIN / "wavecompare"), "run", "--raw-dir", "study", "--warehouse", "w.duckdb", "--out-dir", "out"]
    runs: dict[str, list[Timing]] = {"pipeline": [], "rerun": [], "floor": [], "pandas": []}
    for _ in range(repeat):
        for path in (folder / "w.duckdb", folder / "out"):
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        runs["pipeline"].append(measure(pipeline, cwd=folder))
        runs["rerun"].append(measure(pipeline, cwd=folder))
        runs["floor"].append(measure([sys.executable, str(HERE / "floor.py"), "study", "floor_out"], cwd=folder))
        runs["pandas"].append(
            measure([sys.executable, str(HERE / "pandas_baseline.py"), "study", "pandas_out"], cwd=folder)
        )
    result: dict[str, Timing | bool] = {name: median(timings) for name, timings in runs.items()}
    result["equal"] = same_tables(folder / "out", folder / "floor_out") and same_tables(
        folder / "out", folder / "pandas_out"
    )
    return result


def fixed_cost(repeat: int) -> dict[str, Timing]:
    """Interpreter, imports and Prefect start-up, and the bundled example study end to end."""
    folder = WORK / "example"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    imports = [sys.executable, "-c", "import wavecompare.pipeline"]
    example = [str(BIN / "wavecompare"), "run", "--raw-dir", str(HERE.parent / "data" / "raw"),
               "--warehouse", "w.duckdb", "--out-dir", "out"]
    return {
        "imports": median([measure(imports, cwd=folder) for _ in range(repeat)]),
        "example study": median([measure(example, cwd=folder) for _ in range(repeat)]),
    }


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


def report(sizes: dict[str, dict], fixed: dict[str, Timing], repeat: int) -> str:
    lines = [
        f"# Benchmark {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {machine()}. Versions: {versions()}. Median of {repeat} run(s); peak memory is the",
        "largest max RSS of the whole process over the runs.",
        "",
        "| responses | pipeline s | re-run s | floor s | pandas s | pipeline / floor | pipeline / pandas "
        "| re-run / pipeline | pipeline peak MB | floor peak MB | pandas peak MB | tables equal |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, r in sizes.items():
        p, re_, f, pd_ = r["pipeline"], r["rerun"], r["floor"], r["pandas"]
        lines.append(
            f"| {label} | {p.seconds:.1f} | {re_.seconds:.1f} | {f.seconds:.1f} | {pd_.seconds:.1f} "
            f"| {p.seconds / f.seconds:.2f} | {p.seconds / pd_.seconds:.2f} | {re_.seconds / p.seconds:.2f} "
            f"| {p.peak_mb:.0f} | {f.peak_mb:.0f} | {pd_.peak_mb:.0f} | {'yes' if r['equal'] else 'NO'} |"
        )
    lines += ["", "| fixed cost | seconds | peak MB |", "|---|---|---|"]
    lines += [f"| {name} | {t.seconds:.1f} | {t.peak_mb:.0f} |" for name, t in fixed.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
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
    sizes = {label: bench_size(label, SIZES[label], args.repeat) for label in labels}
    text = report(sizes, fixed, args.repeat)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.md").write_text(text, encoding="utf-8")
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    print(text)
    if not all(r["equal"] for r in sizes.values()):
        raise SystemExit("the pipeline's tables differ from a baseline's")


if __name__ == "__main__":
    main()
