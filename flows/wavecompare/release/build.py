"""The release, from a built warehouse to the folder report writers receive.

Builders (tables, statistics, suppression, quotes) read the warehouse; writers
lay the result out. This joins the two for the pipeline, and states the run's
conventions once so that every file says the same.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

import duckdb

from . import counts
from .changes import caveats
from .csvfiles import write_cells_file
from .disclosure import read_cells
from .listed import check_unlisted
from .model import ReleaseTable, TextTable
from .quantifiers import scale_sentences
from .quotes import build_quotes, quote_bank_from, quote_source_files
from .readme import fieldwork_rows, readme_sections
from .runinfo import RunInfo
from .settings import ReleaseSettings
from .study import StudyText
from .tables import build_tables, disclosure_note
from .writer import Drawing, Task, write_release


def fieldwork(waves) -> str:
    """'Fieldwork: Wave 1 from 2012-06-01 to 2012-07-31, 10 interviews; …' for the Read me and the report."""
    return "Fieldwork: " + "; ".join(f"{label} from {dates}" for label, dates in fieldwork_rows(waves)) + "."


def conventions(settings: ReleaseSettings) -> tuple[str, ...]:
    """This run's thresholds and methods, as sentences for the Read me and the report's caveats."""
    sentences = (
        f"Small bases: a wave or group of fewer than {settings.small_base} interviews is flagged; read its "
        "percentages as indicative.",
        disclosure_note(settings),
        f"Change tests: Fisher's exact test of two proportions, only where both bases are at least "
        f"{settings.min_test_base}; p-values adjusted by Holm's method within each table and compared pair of "
        "waves (the latest against the previous; the first against the latest), each its own family; significant "
        f"below {settings.alpha:g}. Intervals: Wilson, {100 * (1 - settings.alpha):g}%.",
        "Quotes are attributed by stakeholder group only; contact details, postcodes, interview ids, the "
        "organisations taking part and the study's own list of names and handles are redacted.",
    )
    return sentences + (scale_sentences() if settings.quantifiers else ())


DRAW_APART_FROM = 2_000
"""Waves × codes from which the release shares its work with a child process (`writer.Drawing`): 20 waves of
300 codes (6,000) take about 4.5 s of CPU to draw; the example study (2 waves of 21 codes) is drawn here, where
a child's start (its imports, about a second and a half of CPU the first time) would cost more than it saves."""
HANDOVER = ".release-handover"
"""Beside the release, while it is made: the files a large release hands to its child (`writer.Drawing.folder`)."""
PUBLISHED_CELLS = "published_cells.csv"
BASELINE = "disclosure_baseline.csv"
"""Beside the release, in the run's folder: the cells the next release is compared with (`protection.baseline`);
published counts only, but not a file for report writers."""


def _previous(published: Path | None):
    """The cells to compare with: the published run's baseline, or its release's cells (a run of a version
    without baselines); None before the first release."""
    for path in ((published.parent / BASELINE, published / PUBLISHED_CELLS) if published else ()):
        if path.exists():
            return read_cells(path)
    return None


def _bank_apart(con: duckdb.DuckDBPyConnection, settings: ReleaseSettings, member: str,
                drawing: Drawing) -> Future[Task[TextTable]]:
    """The quote bank of a large release, made while this thread builds the tables: its sources written to files
    by a thread on a cursor of its own (DuckDB's work, which leaves the GIL), then read, redacted and attributed by
    the child."""
    def bank(cursor: duckdb.DuckDBPyConnection) -> Task[TextTable]:
        with cursor:
            return drawing.run(quote_bank_from, quote_source_files(cursor, settings, drawing.folder), settings, member)

    reading = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wavecompare-quotes")
    try:
        return reading.submit(bank, con.cursor())
    finally:
        reading.shutdown(wait=False)  # the thread ends with its one task


def make_release(con: duckdb.DuckDBPyConnection, folder: Path, *, run_id: str, time: dt.datetime,
                 sources: list[str], settings: ReleaseSettings, previous: Path | None = None,
                 study: StudyText = StudyText()) -> list[ReleaseTable]:
    """Build the release tables and quote bank from the warehouse and write every release file into `folder`,
    with `published_cells.csv`, audited against `previous` (the published release folder) too, in the words of
    `study` (study.toml). ReleaseRefused if no protection passes the audit, before anything is written;
    ListedTermReleased if any of it would show a term of the redact file, before anything but a large release's
    charts (drawn meanwhile) is written: the pipeline discards the staged folder of a failed release."""
    large = counts.wave_codes(con) >= DRAW_APART_FROM
    with Drawing(folder.parent / HANDOVER) if large else nullcontext() as drawing:
        banking = _bank_apart(con, settings, study.member, drawing) if drawing else None
        built = build_tables(con, settings, _previous(previous))
        run = RunInfo(run_id, time, tuple(sources), conventions(settings), title=study.title,
                      caveats=caveats(built.tables, settings.small_base), study=(fieldwork(counts.waves(con)),),
                      readme=readme_sections(con, settings, study))
        if drawing:
            drawing.draw(built.tables, folder, run)  # while this process checks the quote bank, writes the workbook
        quotes = banking.result().result() if banking else build_quotes(con, settings, study.member)
        check_unlisted(con, built.tables, quotes, run)
        cells = [(built.cells, folder / PUBLISHED_CELLS), (built.baseline, folder.parent / BASELINE)]
        writing = [drawing.run(write_cells_file, *args) for args in cells] if drawing else []  # by the child or, if not started, here
        write_release(built.tables, quotes.frame, folder, run=run, quote_notes=quotes.notes, drawing=drawing)
        for args in () if drawing else cells:  # here, after the release files (written into an empty folder)
            write_cells_file(*args)
        for written in writing:
            written.result()
    return built.tables
