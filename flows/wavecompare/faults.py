"""Faults of the machine rather than of the study: a full disk, a read-only or
missing folder, a file deleted mid-run. They end a run with one plain sentence
naming the path and the cause; the traceback goes to the run's log file only."""

from __future__ import annotations

import re

import duckdb

# DuckDB reports the system's errors inside its own exceptions (a failed commit is a TransactionException).
DUCKDB_FAULT = re.compile(r"No space left on device|Read-only file system|Permission denied|Could not (write|read|"
                          r"open|create|remove|move) (the )?(file|directory)")


def is_machine_fault(error: BaseException | None) -> bool:
    if isinstance(error, OSError):
        return True
    return isinstance(error, duckdb.Error) and bool(DUCKDB_FAULT.search(str(error)))


def fault_sentence(error: BaseException) -> str:
    """The fault in one sentence naming the path and the cause."""
    if isinstance(error, OSError) and error.filename:
        return f"could not use {error.filename}: {error.strerror or error}"
    first = str(error).splitlines()[0]
    return f"the warehouse could not be written: {first.split(': ', 1)[-1] if ': ' in first else first}"
