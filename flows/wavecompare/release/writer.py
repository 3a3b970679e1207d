"""Write every release file for report writers into one fresh folder.

The pipeline hands over the finished release tables and quote bank; this only
lays them out. It writes into the folder it is given (the pipeline stages it
and swaps it in), so a failed write never leaves a half-updated release.

A large release has its charts drawn and its CSV files written by two child
processes (`Drawing`) while this one writes the workbook and report: all are CPU-bound Python
(matplotlib's text drawing, XlsxWriter), which threads would only take turns at
under the GIL. The children are started before the tables are built, so that
their start (a new interpreter importing pandas and matplotlib, about a second)
overlaps that work, and they draw while this process builds the quote bank. A
small release is written here from start to end: it takes less time than
starting a child.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

import pandas as pd

from .charts import charts_of, write_charts
from .csvfiles import write_csv_files
from .model import ReleaseTable
from .report import write_reports
from .runinfo import RunInfo
from .workbook import write_workbook

WORKBOOK = "wave_comparison.xlsx"
CHARTS_FOLDER = "charts"
CHILDREN = 2
T = TypeVar("T")


class Drawing:
    """Two child processes that draw a release's charts (`draw`) and write its files that need nothing more from
    this one (`run`). Started and warmed up on entering, joined on leaving, errors or not. They are spawned, not
    forked, as this process runs Prefect's and DuckDB's threads; so a script that uses this needs an
    `if __name__ == "__main__":` guard."""

    def __init__(self) -> None:
        self._children = ProcessPoolExecutor(max_workers=CHILDREN, mp_context=multiprocessing.get_context("spawn"))
        self._shares: list[Future] = []
        self.tables: list[ReleaseTable] = []

    def __enter__(self) -> Drawing:
        for _ in range(CHILDREN):  # a child per task: each imports charts.py now
            self._children.submit(charts_of, [])
        return self

    def __exit__(self, *exc) -> None:
        self._children.shutdown(wait=True, cancel_futures=True)

    def draw(self, tables: list[ReleaseTable], folder: Path, run: RunInfo) -> None:
        """Start drawing the charts of `tables` into `folder`'s charts folder, which must be new or empty."""
        _fresh(folder)
        self.tables = tables
        self._shares = [self._children.submit(write_charts, tables, folder / CHARTS_FOLDER, run, (i, CHILDREN))
                        for i in range(CHILDREN)]

    def run(self, task: Callable[..., T], *args) -> Future[T]:
        """Run `task(*args)` in a child once it is free: a part of the release that needs nothing more from
        this process (its arguments are pickled to the child)."""
        return self._children.submit(task, *args)

    def charts(self) -> list[Path]:
        """The files drawn, PNG before SVG, in `charts_of` order, once both children are done; their errors are
        raised here."""
        stems = [stem for stem, _, _ in charts_of(self.tables)]
        drawn = [path for share in self._shares for path in share.result()]
        return sorted(drawn, key=lambda path: (stems.index(path.stem), path.suffix != ".png"))


def _fresh(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise FileExistsError(f"release folder is not empty: {folder}")


def write_release(tables: list[ReleaseTable], quotes: pd.DataFrame, folder: Path, *, run: RunInfo,
                  quote_notes: tuple[str, ...] = (), drawing: Drawing | None = None) -> list[Path]:
    """Write the workbook (the quote bank's notes under its sheet), CSV files, charts (PNG and SVG) and report
    (HTML and Markdown) into `folder`, the charts and CSV files by `drawing` when given (its charts started here
    unless already drawing these tables into `folder`).

    Returns the files written. `folder` must be new or empty: nothing is removed from it.
    """
    if drawing is None:
        _fresh(folder)
    elif drawing.tables is not tables:
        drawing.draw(tables, folder, run)
    writing = drawing.run(write_csv_files, tables, quotes, folder) if drawing else None
    workbook = write_workbook(tables, quotes, folder / WORKBOOK, run, quote_notes)
    csv_files = writing.result() if writing else write_csv_files(tables, quotes, folder)
    charts = drawing.charts() if drawing else write_charts(tables, folder / CHARTS_FOLDER, run)
    return [workbook, *csv_files, *charts, *write_reports(tables, charts, folder, run)]
