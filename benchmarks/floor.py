"""Run the DuckDB floor (floor.sql) on a study: python benchmarks/floor.py STUDY_DIR OUT_DIR

An in-memory DuckDB, the study and output folders passed in as SQL variables,
and nothing else: the baseline that the pipeline's overhead is measured against.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import duckdb

SQL = Path(__file__).with_name("floor.sql")


def run_floor(study: Path, out_dir: Path) -> None:
    """Compute the five tables of `study` into `out_dir` as CSV."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        for name, path in (("study", study), ("out", out_dir)):
            con.execute(f"SET VARIABLE {name} = ?", [str(path.resolve())]).complete()
        con.execute(SQL.read_text()).complete()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.splitlines()[0])
    started = time.perf_counter()
    run_floor(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"floor: {time.perf_counter() - started:.2f} s")
