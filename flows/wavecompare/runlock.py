"""One run at a time per warehouse.

An advisory `flock` on a lock file beside the warehouse: the kernel releases it
when its holder exits or is killed, so a crashed run never leaves a stale lock.
A second run does not wait: it stops at once with a clear message (a scheduler
will simply try again at its next tick).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RunInProgress(RuntimeError):
    """Another run holds the warehouse's lock."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.lock")


@contextmanager
def run_lock(warehouse: Path, run_id: str) -> Iterator[None]:
    """Hold the warehouse's run lock for the duration of the block, or raise RunInProgress."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "unknown"
            raise RunInProgress(
                f"another run is in progress on {warehouse} ({holder}); nothing was changed. "
                "Try again when it has finished."
            ) from None
        started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"run {run_id}, process {os.getpid()}, started {started}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock
