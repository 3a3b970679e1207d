"""Time the release alone on one built warehouse, alternating two checkouts' code.

    python benchmarks/release_ab.py WAREHOUSE FLOWS_A FLOWS_B [--rounds N]

How the release's changes are measured (benchmarks/README.md): `make bench` times it
inside whole runs, whose other phases, and this shared machine's speed from hour to
hour, move it by more than most changes save. Each round makes the release once with
each checkout's `flows/` folder (say an earlier commit's worktree and this one), each
in a fresh interpreter that imports only that code, into a temporary folder, from the
warehouse opened read-only; then it prints each run's seconds and the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

RELEASE = """
import datetime as dt, sys, tempfile, time
from pathlib import Path
import duckdb
from wavecompare.release.build import make_release
from wavecompare.release.settings import ReleaseSettings
with tempfile.TemporaryDirectory() as out, duckdb.connect(sys.argv[1], read_only=True) as con:
    start = time.perf_counter()
    make_release(con, Path(out) / "runs" / "release", run_id="release-ab", time=dt.datetime(2026, 1, 1),
                 sources=[], settings=ReleaseSettings())
    print(time.perf_counter() - start)
"""
"""One release, timed from the open connection to the last file written; run with `-c`, so that the drawing
child (`writer.Drawing`) has no script to import again."""


def release_seconds(warehouse: Path, flows: Path) -> float:
    """The wall time of one release made by the code in `flows` (first on the child's path, too)."""
    env = {**os.environ, "PYTHONPATH": str(flows.resolve())}
    done = subprocess.run([sys.executable, "-c", RELEASE, str(warehouse)], env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"release_ab: the release of {flows} failed:\n{done.stderr}")
    return float(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path, help="a built warehouse, e.g. a run's OUT_DIR/current/warehouse.duckdb")
    parser.add_argument("flows", type=Path, nargs=2, metavar="FLOWS", help="two checkouts' flows/ folders")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    seconds: dict[Path, list[float]] = {flows: [] for flows in args.flows}
    for round_ in range(1, args.rounds + 1):
        for flows in args.flows:
            seconds[flows].append(release_seconds(args.warehouse, flows))
        print(f"round {round_}: " + ", ".join(f"{flows} {s[-1]:.2f} s" for flows, s in seconds.items()), flush=True)
    a, b = (statistics.median(s) for s in seconds.values())
    print(f"medians: {args.flows[0]} {a:.2f} s, {args.flows[1]} {b:.2f} s ({b / a:.2f}×)")


if __name__ == "__main__":
    main()
