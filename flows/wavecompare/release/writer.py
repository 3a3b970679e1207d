"""Write every release file for report writers into one fresh folder.

The pipeline hands over the finished release tables and quote bank; this only
lays them out. It writes into the folder it is given (the pipeline stages it
and swaps it in), so a failed write never leaves a half-updated release.

For a large release the CSV files and charts are written by a child process
while this one writes the workbook: both are CPU-bound Python (matplotlib's text
drawing, XlsxWriter), which threads would only take turns at under the GIL. A
small release is written here from start to end: its workbook takes less time
than starting the child (a new interpreter importing pandas and matplotlib,
about 2 s).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from .charts import write_charts
from .csvfiles import write_csv_files
from .model import ReleaseTable
from .report import write_reports
from .runinfo import RunInfo
from .workbook import write_workbook

WORKBOOK = "wave_comparison.xlsx"
CHARTS_FOLDER = "charts"
CHILD_FROM_CELLS = 100_000
"""Table cells from which the CSV files and charts are written by a child process: XlsxWriter writes about
100,000 cells a second here, so below this the workbook is done before a child could start."""


def write_release(tables: list[ReleaseTable], quotes: pd.DataFrame, folder: Path, *, run: RunInfo,
                  quote_notes: tuple[str, ...] = (), child_from_cells: int = CHILD_FROM_CELLS) -> list[Path]:
    """Write the workbook (the quote bank's notes under its sheet), CSV files, charts (PNG and SVG) and report
    (HTML and Markdown) into `folder`.

    Returns the files written. `folder` must be new or empty: nothing is removed from it.

    With `child_from_cells` table cells or more, the CSV files and charts are written by a child process,
    started by spawn, not fork, as this process runs Prefect's and DuckDB's threads; so a script that calls this
    needs an `if __name__ == "__main__":` guard. The child is joined before this returns or raises (an error here
    waits for the child to finish), and its errors are raised here.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise FileExistsError(f"release folder is not empty: {folder}")
    if sum(table.values.size for table in tables) < child_from_cells:
        workbook = write_workbook(tables, quotes, folder / WORKBOOK, run, quote_notes)
        csv_files, charts = _csv_and_charts(tables, quotes, folder, run)
    else:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as child:
            drawing = child.submit(_csv_and_charts, tables, quotes, folder, run)
            workbook = write_workbook(tables, quotes, folder / WORKBOOK, run, quote_notes)
            csv_files, charts = drawing.result()
    return [workbook, *csv_files, *charts, *write_reports(tables, charts, folder, run)]


def _csv_and_charts(tables: list[ReleaseTable], quotes: pd.DataFrame, folder: Path,
                    run: RunInfo) -> tuple[list[Path], list[Path]]:
    """The CSV files and the charts: the child's share, about as long as the workbook for a large release."""
    return write_csv_files(tables, quotes, folder), write_charts(tables, folder / CHARTS_FOLDER, run)
