"""Write every release file for report writers into one fresh folder.

The pipeline hands over the finished release tables and quote bank; this only
lays them out. It writes into the folder it is given (the pipeline stages it
and swaps it in), so a failed write never leaves a half-updated release.

For a large release the CSV files and charts are written by two child processes
(the charts shared between them) while this one writes the workbook: all are
CPU-bound Python (matplotlib's text drawing, XlsxWriter), which threads would
only take turns at under the GIL. A
small release is written here from start to end: its workbook takes less time
than starting the child (a new interpreter importing pandas and matplotlib,
about 2 s).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from .charts import charts_of, write_charts
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

    With `child_from_cells` table cells or more, the CSV files and charts are written by two child processes,
    started by spawn, not fork, as this process runs Prefect's and DuckDB's threads; so a script that calls this
    needs an `if __name__ == "__main__":` guard. The children are joined before this returns or raises (an error here
    waits for the children to finish), and their errors are raised here.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise FileExistsError(f"release folder is not empty: {folder}")
    if sum(table.values.size for table in tables) < child_from_cells:
        workbook = write_workbook(tables, quotes, folder / WORKBOOK, run, quote_notes)
        csv_files, charts = _csv_and_charts(tables, quotes, folder, run)
    else:
        with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as children:
            drawing = children.submit(_csv_and_charts, tables, quotes, folder, run, (0, 2))
            more = children.submit(write_charts, tables, folder / CHARTS_FOLDER, run, (1, 2))
            workbook = write_workbook(tables, quotes, folder / WORKBOOK, run, quote_notes)
            csv_files, charts = drawing.result()
            charts = _in_order(tables, charts + more.result())
    return [workbook, *csv_files, *charts, *write_reports(tables, charts, folder, run)]


def _in_order(tables: list[ReleaseTable], charts: list[Path]) -> list[Path]:
    """Chart files drawn by two processes, back in `charts_of` order (PNG before SVG)."""
    stems = [stem for stem, _, _ in charts_of(tables)]
    return sorted(charts, key=lambda path: (stems.index(path.stem), path.suffix != ".png"))


def _csv_and_charts(tables: list[ReleaseTable], quotes: pd.DataFrame, folder: Path, run: RunInfo,
                    share: tuple[int, int] = (0, 1)) -> tuple[list[Path], list[Path]]:
    """The CSV files and the charts (`share` of them, see `write_charts`): a child's work for a large release."""
    return write_csv_files(tables, quotes, folder), write_charts(tables, folder / CHARTS_FOLDER, run, share)
