"""The Read me's content, as data: headed sections of (what, says) rows, worked out from the study.

A report writer opens the Read me to learn what the study was, when and whom it
asked, what the levels of each code mean and how to read the tables; each of
these is a section here, stated from the warehouse and this run's settings (the
workbook lays them out; the sheet-by-sheet list is the workbook's own). The
counts are design facts the release publishes anyway (fieldwork, interviews per
wave, the stakeholder mix).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from wavecompare.problems import joined
from wavecompare.release import counts
from wavecompare.release.model import compared_pairs
from wavecompare.release.quantifiers import SCALE, scale_sentences
from wavecompare.release.runinfo import ReadmeSection
from wavecompare.release.settings import ReleaseSettings
from wavecompare.release.study import StudyText
from wavecompare.release.tables import disclosure_note

NOT_STATED = "not stated (study.toml names no organisation)"


def readme_sections(con: duckdb.DuckDBPyConnection, settings: ReleaseSettings,
                    study: StudyText) -> tuple[ReadmeSection, ...]:
    """The study, its fieldwork, its sample by group, the level codes' levels and nets, how to read [c], the
    tests and (when the words are shown) the quantifier scale."""
    waves = counts.waves(con)
    sections = (
        ReadmeSection("The study", (("Title", study.title), ("Run by", study.organisation or NOT_STATED))),
        ReadmeSection("Fieldwork", fieldwork_rows(waves)),
        ReadmeSection("Sample by stakeholder group", _sample(counts.mix(con, organisations=False), waves)),
        ReadmeSection("Levels and nets", _levels(counts.level_definitions(con))),
        ReadmeSection("Withheld cells", (("[c]", disclosure_note(settings)),)),
        ReadmeSection("Tests", _tests(settings, tuple(waves.label))),
    )
    if settings.quantifiers:
        sections += (ReadmeSection("Words for proportions", (*SCALE, ("Small bases", scale_sentences()[1]))),)
    return sections


def fieldwork_rows(waves: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """Per wave (`counts.waves`): its label, and '2012-06-01 to 2012-07-31, 10 interviews'."""
    return tuple((label, f"{start:%Y-%m-%d} to {end:%Y-%m-%d}, {n} interview{'s' * (n != 1)}")
                 for label, start, end, n in zip(waves.label, waves.fieldwork_start, waves.fieldwork_end,
                                                 waves.interviews))


def _sample(mix: pd.DataFrame, waves: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """Per wave, each stakeholder group's interviews: 'Councils 2; Charities 1'."""
    groups = mix[(mix.dimension == "stakeholder_group") & (mix.n > 0)]
    said = {wave: "; ".join(f"{group} {n}" for group, n in zip(part.category, part.n))
            for wave, part in groups.groupby("wave_id", sort=False)}
    return tuple((label, said.get(wave, "no interviews")) for wave, label in zip(waves.wave_id, waves.label))


def _levels(codes: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """Per level code: its levels lowest first, and which of them its net adds up."""
    return tuple((label, f"Levels, lowest first: {' | '.join(levels)}. " + _net(net, net_levels, is_default))
                 for label, levels, net, net_levels, is_default
                 in zip(codes.label, codes.levels, codes.net, codes.net_levels, codes.is_default))


def _net(net: str | None, levels, is_default: bool) -> str:
    if not isinstance(net, str):
        return "No net (one level)."
    how = "the default: the levels above the middle" if is_default else "as the codebook gives it"
    quoted = joined([f"'{level}'" for level in levels])
    return f"Net '{net}': the interviews at {quoted} added up ({how})."


def _tests(settings: ReleaseSettings, labels: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The test, its correction, its threshold and the pairs of waves compared, by label."""
    pairs = compared_pairs(labels)
    return (
        ("Test", f"Fisher's exact test of two proportions, where both bases have at least {settings.min_test_base} "
                 "interviews"),
        ("Correction", "Holm's method, within each table and compared pair of waves"),
        ("Significant", f"an adjusted p below {settings.alpha:g}"),
        ("Pairs compared", joined([f"{later} against {earlier}" for earlier, later in pairs]) if pairs else
         "none: the study has one wave"),
    )
