"""What every release file says about the run that made it and how to read it.

The writers print the same run facts and conventions in the workbook, the
report and the charts' footnotes; keeping them here means a reader sees one
wording everywhere, and the writers never ask the clock (so reruns are equal).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .model import SUPPRESSED

READING_NOTES = (
    f'"{SUPPRESSED}" marks a value withheld to protect interviewees (disclosure control); it may be any count, '
    "zero included.",
    'Counts lead: "4 of 10" means 4 of the 10 interviews in that wave (and group) said so; '
    "percentages of interviews follow, so mentions can add up to more than 100%.",
    "Changes are in percentage points (pp), for the latest wave against the one before and, with three or more "
    "waves, the first against the latest; other differences between waves are not shown as changes.",
    'A test that finds no significant change does not show that nothing changed; "not tested" means '
    "a base was too small to test.",
)
"""How to read any release table, whatever the run's settings."""


@dataclass(frozen=True)
class ReadmeSection:
    """One headed part of the Read me (`readme.readme_sections`): rows of (what, what it says), in reading order.
    Here, with the run that carries it, so that a large release's child, which unpickles the run to draw its
    charts, imports no builder (`readme` imports the tables' module, and so SciPy: a second of its CPU)."""

    heading: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RunInfo:
    """The run behind a release: who made it, when, from what, under which settings.

    `conventions` are whole sentences on this run's settings (small-base
    threshold, minimum cell size, the test and its correction, the quantifier
    scale); they are printed after READING_NOTES, in the workbook's Read me and the report's caveats.
    `caveats` are sentences worked out from this release's data (`changes.caveats`), printed before both.
    `study` are sentences on the study itself (its waves' fieldwork dates and interviews), printed at the top of
    the report and with the sources under every table. `title` is the study's (study.toml) or a plain default.
    `readme` is the Read me's content worked out from the study (`readme.readme_sections`).
    """

    run_id: str
    time: datetime
    sources: tuple[str, ...]
    conventions: tuple[str, ...] = field(default=())
    title: str = "Wave comparison"
    caveats: tuple[str, ...] = field(default=())
    study: tuple[str, ...] = field(default=())
    readme: tuple[ReadmeSection, ...] = field(default=())

    @property
    def stamp(self) -> str:
        """The run as one line: id and time, e.g. 'run 3f2a…, 2026-11-01 10:00 UTC'."""
        return f"run {self.run_id}, {self.time:%Y-%m-%d %H:%M %Z}".rstrip()

    @property
    def provenance(self) -> tuple[str, ...]:
        """The study, the sources and the run, as sentences printed under every table."""
        sources = ", ".join(self.sources) if self.sources else "none recorded"
        return (*self.study, f"Source files: {sources}.", f"Made by {self.stamp}.")

    @property
    def texts(self) -> tuple[str, ...]:
        """Every text the run adds to the release besides its tables: the title, provenance, notes and Read me."""
        return (self.title, *self.provenance, *self.notes,
                *(text for section in self.readme for row in section.rows for text in (section.heading, *row)))

    @property
    def notes(self) -> tuple[str, ...]:
        """How to read the release: the caveats of its data, the reading notes, then this run's conventions."""
        return (*self.caveats, *READING_NOTES, *self.conventions)
