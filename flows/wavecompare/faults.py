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


def fault_sentence(error: BaseException, where: object) -> str:
    """The fault in one sentence naming the path and the cause; `where` is the folder the run was writing
    to, named when the error names no file (as some writers' errors do not)."""
    if isinstance(error, OSError):
        return f"could not use {error.filename or where}: {error.strerror or error}"
    first = str(error).splitlines()[0]  # DuckDB's errors name the file in their text
    return f"the warehouse could not be written: {first.split(': ', 1)[-1] if ': ' in first else first}"
