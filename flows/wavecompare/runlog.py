"""Every run's log also goes to a file under the output folder, for runs nobody
watched (scheduled ones) and for attaching to a support question."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")
FORMAT = "%(asctime)s | %(levelname)-7s | %(run_name)s | %(message)s"


class _RunFormatter(logging.Formatter):
    """Names the task run (or the flow run) each record came from, as Prefect's console does."""

    def format(self, record: logging.LogRecord) -> str:
        task, flow = getattr(record, "task_run_name", None), getattr(record, "flow_run_name", None)
        record.run_name = f"Task run '{task}'" if task else f"Flow run '{flow}'" if flow else record.name
        return super().format(record)


@contextmanager
def log_to_file(path: Path) -> Iterator[Path]:
    """Copy the flow's and tasks' log records to `path` while the block runs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(_RunFormatter(FORMAT))
    loggers = [logging.getLogger(name) for name in RUN_LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield path
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
        handler.close()
