"""Every run's log also goes to a file under the output folder, for runs nobody
watched (scheduled ones) and for attaching to a support question."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wavecompare.faults import is_machine_fault

RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs", "wavecompare.runlog")
# Records only the file gets (not Prefect's console), e.g. the traceback behind a plain message.
FILE_ONLY = logging.getLogger("wavecompare.runlog")
FILE_ONLY.propagate = False
FORMAT = "%(asctime)s | %(levelname)-7s | %(run_name)s | %(message)s"


class _RunFormatter(logging.Formatter):
    """Names the task run (or the flow run) each record came from, as Prefect's console does."""

    def format(self, record: logging.LogRecord) -> str:
        task, flow = getattr(record, "task_run_name", None), getattr(record, "flow_run_name", None)
        record.run_name = f"Task run '{task}'" if task else f"Flow run '{flow}'" if flow else record.name
        return super().format(record)


class _NoFaultTracebacks(logging.Filter):
    """Keeps the traceback of a fault of the machine off the console, where the run ends with one plain
    sentence about it; the run's log file, whose handler comes first, keeps it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and is_machine_fault(record.exc_info[1]):
            record.exc_info, record.exc_text = None, None
        return True


class _QuietFileHandler(logging.FileHandler):
    """On a full disk the log cannot be written either: the run's own message says what failed, so the
    handler does not add logging's traceback to the console."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


@contextmanager
def log_to_file(path: Path) -> Iterator[Path]:
    """Copy the flow's and tasks' log records to `path` while the block runs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = _QuietFileHandler(path, encoding="utf-8")
    handler.setFormatter(_RunFormatter(FORMAT))
    loggers = [logging.getLogger(name) for name in RUN_LOGGERS]
    consoles = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    quiet = _NoFaultTracebacks()
    for logger in loggers:
        logger.addHandler(handler)
    for console in consoles:
        console.addFilter(quiet)
    try:
        yield path
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
        for console in consoles:
            console.removeFilter(quiet)
        handler.close()
