"""The release, from a built warehouse to the folder report writers receive.

Builders (tables, statistics, suppression, quotes) read the warehouse; writers
lay the result out. This joins the two for the pipeline, and states the run's
conventions once so that every file says the same.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from .changes import caveats
from .listed import check_unlisted
from .model import ReleaseTable
from .quantifiers import scale_sentences
from .quotes import build_quotes
from .runinfo import RunInfo
from .settings import ReleaseSettings
from .tables import build_tables
from .writer import write_release


def conventions(settings: ReleaseSettings) -> tuple[str, ...]:
    """This run's thresholds and methods, as sentences for the Read me and the report's caveats."""
    sentences = (
        f"Small bases: a wave or group of fewer than {settings.small_base} interviews is flagged; read its "
        "percentages as indicative.",
        f"Disclosure control: no released count below {settings.min_cell} (other than 0), nor equal to a whole "
        "group; further cells are withheld so that none can be worked out from totals.",
        f"Change tests: Fisher's exact test of two proportions, only where both bases are at least "
        f"{settings.min_test_base}; p-values adjusted by Holm's method within each table and compared pair of "
        "waves (the latest against the previous; the first against the latest), each its own family; significant "
        f"below {settings.alpha:g}. Intervals: Wilson, {100 * (1 - settings.alpha):g}%.",
        "Quotes are attributed by stakeholder group only; contact details, postcodes, interview ids, the "
        "organisations taking part and the study's own list of names and handles are redacted.",
    )
    return sentences + (scale_sentences() if settings.quantifiers else ())


def make_release(con: duckdb.DuckDBPyConnection, folder: Path, *, run_id: str, time: dt.datetime,
                 sources: list[str], settings: ReleaseSettings) -> list[ReleaseTable]:
    """Build the release tables and quote bank from the warehouse and write every release file into `folder`;
    ListedTermReleased, before anything is written, if any of it would show a term of the redact file."""
    tables = build_tables(con, settings)
    quotes = build_quotes(con, settings)
    run = RunInfo(run_id, time, tuple(sources), conventions(settings), caveats=caveats(tables, settings.small_base))
    check_unlisted(con, tables, quotes, run)
    write_release(tables, quotes.frame, folder, run=run)
    return tables
