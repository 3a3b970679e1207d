"""Other processes' sessions on a published warehouse.

DuckDB allows one read-write process or many read-only ones on a file, and
takes a lock on the file to enforce it. An analyst's read-write session on the
published warehouse would lose its writes if a run moved the pointer away from
under it, so a run looks for one first (by asking for a read-only lock, which a
writer's lock refuses, even before it has written anything) and then holds that
read-only lock across the swap, so that no writer can open the file until the
pointer has moved on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from wavecompare.publish import companions

LOCK_HELD = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
ADVICE = ("Open the warehouse read-only (duckdb -readonly, read_only=True or `wavecompare query`); keep your own "
          "tables in a separate database that ATTACHes the warehouse read-only (see docs/operations.md, "
          "Querying while runs happen). Run again when that session has closed.")


class WarehouseInUse(RuntimeError):
    """Another process has the published warehouse open read-write; nothing was changed."""


@contextmanager
def no_writers(database: Path | None) -> Iterator[None]:
    """Hold a read-only lock on `database` (when there is one) for the block; raise WarehouseInUse when another
    process has it open read-write or left writes in its log that no one has checkpointed."""
    if database is None or not database.exists():
        yield
        return
    log = companions(database)[0]
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.IOException as error:
        held = LOCK_HELD.search(str(error))
        if not held:
            raise
        raise WarehouseInUse(
            f"the published warehouse {database} is open read-write in another process ({held['program']}, "
            f"process {held['pid']}); a run never replaces a warehouse someone is writing to, so nothing was "
            f"changed. {ADVICE}"
        ) from None
    try:
        if log.exists():
            raise WarehouseInUse(
                f"the published warehouse {database} has writes that were never checkpointed ({log}): a read-write "
                "session on it ended without closing. Open it read-write once and close it (DuckDB then writes "
                "them into the file), move your tables to a database of your own, and run again; nothing was "
                "changed."
            )
        yield
    finally:
        con.close()
