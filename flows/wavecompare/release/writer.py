"""Write every release file for report writers into one fresh folder.

The pipeline hands over the finished release tables and quote bank; this only
lays them out. It writes into the folder it is given (the pipeline stages it
and swaps it in), so a failed write never leaves a half-updated release.

A large release has its charts drawn and its CSV files written by two child
processes (`Drawing`) while this one writes the workbook and report: all are
CPU-bound Python (matplotlib's text drawing, XlsxWriter), which threads would only
take turns at under the GIL. The children are forked from a fork server that
imports the chart and CSV modules once, when the first drawing starts (before the
tables are built, so that the import overlaps that work); each chart is a task of
its own, so that the two children stay busy until the last. A small release is
written here from start to end: it takes less time than starting a child.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Generic, TypeVar

import pandas as pd

from . import charts, csvfiles
from .charts import charts_of, write_charts
from .csvfiles import write_csv_files
from .model import ReleaseTable
from .report import write_reports
from .runinfo import RunInfo
from .workbook import write_workbook

WORKBOOK = "wave_comparison.xlsx"
CHARTS_FOLDER = "charts"
CHILDREN = 2
CHILD_MODULES = [charts.__name__, csvfiles.__name__]
"""What the children run (`Drawing`), imported by the fork server once: not the builders, which import SciPy."""
T = TypeVar("T")


class Task(Generic[T]):
    """A part of the release handed to a child (`Drawing.run`). Its `result` runs it in this process instead
    when no child has taken it yet: this one has finished its own part by then, and would otherwise wait."""

    def __init__(self, children: ProcessPoolExecutor, task: Callable[..., T], args: tuple) -> None:
        self._future, self._task, self._args = children.submit(task, *args), task, args

    def result(self) -> T:
        if self._future.cancel():  # not started: done here, once (a cancelled future stays cancelled)
            self._future = Future()
            self._future.set_result(self._task(*self._args))
        return self._future.result()


class Drawing:
    """Two child processes that draw a release's charts (`draw`) and write its files that need nothing more from
    this one (`run`). Started on entering, in a thread, so that this process goes on meanwhile; joined on
    leaving, errors or not.

    They are forked from multiprocessing's fork server, not from this process, which runs Prefect's and
    DuckDB's threads (a fork would copy their locks mid-use); the server is a fresh interpreter that has
    imported only CHILD_MODULES, so a child starts at once, and exits without tearing its interpreter down.
    Its children see the environment and working folder of this process when the server started. A script
    that uses this needs an `if __name__ == "__main__":` guard, as with spawned children."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(CHILD_MODULES)  # once the server runs, its imports stay as they were
        self._children = ProcessPoolExecutor(max_workers=CHILDREN, mp_context=context)
        self._starting = threading.Thread(target=self._start, name="wavecompare-drawing-start")
        self._charts: list[Task[list[Path]]] = []
        self.tables: list[ReleaseTable] = []

    def _start(self) -> None:
        """Start the server (the first one of this process imports CHILD_MODULES, about half a second, until
        which a submit waits) and both children."""
        for _ in range(CHILDREN):
            self._children.submit(charts_of, [])

    def __enter__(self) -> Drawing:
        self._starting.start()
        return self

    def __exit__(self, *exc) -> None:
        self._starting.join()
        self._children.shutdown(wait=True, cancel_futures=True)

    def draw(self, tables: list[ReleaseTable], folder: Path, run: RunInfo) -> None:
        """Start drawing the charts of `tables` into `folder`'s charts folder, which must be new or empty: a
        task per chart, with its table only, so that both children stay busy until the last."""
        _fresh(folder)
        self.tables = tables
        self._charts = [self.run(write_charts, [table], folder / CHARTS_FOLDER, run) for _, table, _ in
                        charts_of(tables)]

    def run(self, task: Callable[..., T], *args) -> Task[T]:
        """Run `task(*args)` in a child once one is free: a part of the release that needs nothing more from
        this process (its arguments are pickled to the child)."""
        return Task(self._children, task, args)

    def charts(self) -> list[Path]:
        """The files drawn, PNG before SVG, in `charts_of` order, once drawn; the last charts no child has
        started are drawn here. Their errors are raised here."""
        drawn = [chart.result() for chart in reversed(self._charts)]
        return [path for paths in reversed(drawn) for path in paths]


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
