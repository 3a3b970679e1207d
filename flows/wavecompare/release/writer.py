"""Write every release file for report writers into one fresh folder.

The pipeline hands over the finished release tables and quote bank; this only
lays them out. It writes into the folder it is given (the pipeline stages it
and swaps it in), so a failed write never leaves a half-updated release.

A large release shares its work with a child process (`Drawing`): the child draws
the charts, one task each, while this process writes the workbook; then this one
takes whatever the child has not started yet (the CSV files, the last charts),
from the end of the queue. All of it is CPU-bound Python (matplotlib's text
drawing, XlsxWriter), which threads would only take turns at under the GIL, and
one child keeps both cores of a small machine busy without three processes taking
turns at two. The child is forked from a fork server that imports the chart and
CSV modules once, when the first drawing starts (before the tables are built, so
that the import overlaps that work). A small release is written here from start
to end: it takes less time than starting a child.
"""

from __future__ import annotations

import multiprocessing
import shutil
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Generic, TypeVar

import pandas as pd

from . import charts, csvfiles, quotes
from .charts import charts_of, write_charts
from .csvfiles import write_csv_files
from .model import ReleaseTable
from .report import write_reports
from .runinfo import RunInfo
from .workbook import write_workbook

WORKBOOK = "wave_comparison.xlsx"
CHARTS_FOLDER = "charts"
CHILD_MODULES = [charts.__name__, csvfiles.__name__, quotes.__name__]
"""What the child runs (`Drawing`), imported by the fork server once: not the builders, which import SciPy."""
T = TypeVar("T")


class Task(Generic[T]):
    """A part of the release queued for the child (`Drawing.run`), done by whichever process takes it first: the
    child from the front of the queue, this one from the back (`result`, `Drawing.charts`)."""

    def __init__(self, drawing: Drawing, task: Callable[..., T], args: tuple) -> None:
        self._drawing, self._task, self._args = drawing, task, args
        self._done: Future[T] = Future()

    def result(self) -> T:
        """The task's result (or its error), done here if the child has not taken it yet: this process has
        finished its own part by then, and would otherwise wait."""
        if self._drawing.claim(self):
            self.run_here()
        return self._done.result()

    def run_here(self) -> None:
        try:
            self._done.set_result(self._task(*self._args))
        except BaseException as error:  # raised to whoever asks for the result
            self._done.set_exception(error)

    def run_in(self, child: ProcessPoolExecutor) -> None:
        """Do the task in the child and wait for it (the child is handed one task at a time)."""
        try:
            self._done.set_result(child.submit(self._task, *self._args).result())
        except BaseException as error:
            self._done.set_exception(error)

    def drop(self) -> None:
        self._done.cancel()


class Drawing:
    """A child process that draws a release's charts (`draw`) and does the parts of it that need nothing more
    from this one (`run`), each a `Task`: it takes them from the front of the queue, one at a time, and this
    process, once its own part is done, from the back. Started on entering, in a thread, so that this process
    goes on meanwhile; on leaving, the queue is dropped and the child joined, errors or not.

    The child is forked from multiprocessing's fork server, not from this process, which runs Prefect's and
    DuckDB's threads (a fork would copy their locks mid-use); the server is a fresh interpreter that has imported
    only CHILD_MODULES, so the child starts at once, and exits without tearing its interpreter down. The child
    sees the environment of this process when the server started. A script that uses this needs an
    `if __name__ == "__main__":` guard, as with spawned children, and keeps its own imports under it: the child
    runs the script's top level again.

    `folder`: the files handed to the child, in a folder of its own (mode 0700, new) that is removed on leaving; a
    release puts it in the run's staged folder, which the next run removes if this one is killed."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(mode=0o700, parents=True)  # first: a folder that exists already stops the release here
        self.folder = folder
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(CHILD_MODULES)  # once the server runs, its imports stay as they were
        self._child = ProcessPoolExecutor(max_workers=1, mp_context=context)
        self._queue: deque[Task] = deque()
        self._changed = threading.Condition()
        self._closed = False
        self._feeder = threading.Thread(target=self._feed, name="wavecompare-drawing")
        self._tasks: list[Task] = []
        self._charts: list[Task[list[Path]]] = []
        self.tables: list[ReleaseTable] = []

    def __enter__(self) -> Drawing:
        self._feeder.start()
        return self

    def __exit__(self, *exc) -> None:
        with self._changed:
            self._closed = True
            for task in self._queue:
                task.drop()
            self._queue.clear()
            self._changed.notify()
        self._feeder.join()
        self._child.shutdown(wait=True)
        shutil.rmtree(self.folder)

    def _feed(self) -> None:
        """Start the child (the fork server's first start imports CHILD_MODULES, about a second and a half of CPU), then hand
        it the front task whenever it is free, until the queue is closed."""
        self._child.submit(charts_of, []).result()
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._queue or self._closed)
                if self._closed:
                    return
                task = self._queue.popleft()
            task.run_in(self._child)

    def claim(self, task: Task) -> bool:
        """Take `task` out of the queue for this process to do; False if the child has it already."""
        with self._changed:
            if task in self._queue:
                self._queue.remove(task)
                return True
            return False

    def draw(self, tables: list[ReleaseTable], folder: Path, run: RunInfo) -> None:
        """Queue the charts of `tables` for drawing into `folder`'s charts folder, which must be new or empty: a
        task per chart, with its table only, in `charts_of` order."""
        _fresh(folder)
        self.tables = tables
        self._charts = [self.run(write_charts, [table], folder / CHARTS_FOLDER, run) for _, table, _ in
                        charts_of(tables)]

    def run(self, task: Callable[..., T], *args) -> Task[T]:
        """Queue `task(*args)`: a part of the release that needs nothing more from this process (its arguments
        are pickled if the child takes it)."""
        queued = Task(self, task, args)
        with self._changed:
            self._queue.append(queued)
            self._tasks.append(queued)
            self._changed.notify()
        return queued

    def charts(self) -> list[Path]:
        """The files drawn, PNG before SVG, in `charts_of` order, once every queued task is done: this process
        does those the child has not started, from the back. Errors are raised here."""
        for task in reversed(self._tasks):
            task.result()
        return [path for chart in self._charts for path in chart.result()]


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
