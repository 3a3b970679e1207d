"""The quote bank: excerpts attributed by role only and redacted.

It keeps the first few excerpts (`ReleaseSettings.quotes_per_group`, in the
study's files' order) of each code, wave and stakeholder group, and its note
says how many of the study's excerpts that is.

Attribution follows the seed report ("a civil servant said", "one regulator
commented"), derived from the stakeholder group's name by one rule that works
for any name: split it at commas and "and"; make each plural part singular
(-ies → -y; -sses, -ches, -shes, -xes → drop -es; other -s → drop -s, but not
-ss); join the parts with "or"; if the last part was not a plural noun (e.g.
"third sector") it is hyphenated and followed by "interviewee"; then "a"/"an".
"Senior civil servants" → "a senior civil servant"; "Regulators, inspectorates
and third sector" → "a regulator, inspectorate or third-sector interviewee".
A group with fewer interviews than the minimum cell size in that wave is not
named: "an interviewee".

Redacted inside the excerpt (see `redaction`): e-mail addresses, phone numbers, UK
postcodes, the study's interview ids and organisation names, and the terms of its
redact.csv, each as [kind]. The column "Redacted" lists the kinds taken out ("none" if
nothing). Interview ids and organisations are never columns.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from wavecompare.release import counts
from wavecompare.release.model import ReleaseTable
from wavecompare.release.redaction import redact_all
from wavecompare.release.settings import ReleaseSettings

QUOTE_COLUMNS = ("Wave", "Theme", "Code", "Label", "Attribution", "Excerpt", "Redacted")
ANONYMOUS = "an interviewee"


def build_quotes(con: duckdb.DuckDBPyConnection, settings: ReleaseSettings = ReleaseSettings()) -> ReleaseTable:
    """The quote bank as a ReleaseTable with no wave columns (row_columns = QUOTE_COLUMNS)."""
    rows = counts.quotes(con, per_group=settings.quotes_per_group)
    terms = counts.redaction_terms(con)
    redacted = redact_all(rows.excerpt.tolist(), zip(terms.term, terms.kind))
    frame = pd.DataFrame({
        "Wave": rows.wave,
        "Theme": rows.theme,
        "Code": rows.code_id,
        "Label": rows.code_label,
        "Attribution": _attributions(rows.stakeholder_group, rows.group_interviews, settings.min_cell),
        "Excerpt": [text for text, _ in redacted],
        "Redacted": [", ".join(kinds) or "none" for _, kinds in redacted],
    }, columns=list(QUOTE_COLUMNS))
    in_study = int(rows.excerpts_in_study.iloc[0]) if len(rows) else 0
    notes = (
        _kept(len(rows), in_study, settings.quotes_per_group),
        "One row per excerpt, attributed by the interviewee's stakeholder group only; a group with fewer "
        f"than {settings.min_cell} interviews in the wave is attributed as '{ANONYMOUS}'.",
        "Redacted in the excerpts: e-mail addresses [e-mail], phone numbers [phone], UK postcodes [postcode], the "
        "names of the organisations interviewed [organisation], interview ids [interview id] and the study's own "
        "list of names, handles and abbreviations (each as its label, e.g. [name]), in any case or spacing.",
    )
    return ReleaseTable("quote_bank", "Quote bank", QUOTE_COLUMNS, (), frame, notes)


def _kept(kept: int, in_study: int, per_group: int) -> str:
    """What share of the study's excerpts the bank holds, and by which rule."""
    rule = f"at most {per_group} per code, wave and stakeholder group, the first in the study's files"
    if kept == in_study:
        return f"All of the study's excerpts ({in_study:,}); the bank keeps {rule}."
    return f"{kept:,} of the study's {in_study:,} excerpts: {rule}."


def _attributions(groups: pd.Series, interviews: pd.Series, min_cell: int) -> list[str]:
    """Each row's attribution, worked out once per group and size: a bank has few of those and many rows."""
    pairs = list(zip(groups, interviews))
    words = {pair: attribution(*pair, min_cell) for pair in set(pairs)}
    return [words[pair] for pair in pairs]


def attribution(group: str, interviews: int, min_cell: int) -> str:
    """'a senior civil servant' for 'Senior civil servants' (see the module docstring)."""
    if interviews < min_cell or not group or not group.strip():
        return ANONYMOUS
    parts = [part.strip() for part in re.split(r",|\band\b|&", group) if part.strip()]
    singular = [_singular(part) for part in parts]
    last_is_noun = singular[-1] != parts[-1]
    if not last_is_noun:
        singular[-1] = singular[-1].replace(" ", "-") + " interviewee"
    words = singular[0] if len(singular) == 1 else ", ".join(singular[:-1]) + " or " + singular[-1]
    words = words if words[:2].isupper() else words[0].lower() + words[1:]
    return ("an " if _vowel_sound(words) else "a ") + words


def _singular(phrase: str) -> str:
    head, _, last = phrase.rpartition(" ")
    lower = last.lower()
    if lower.endswith("ies"):
        last = last[:-3] + "y"
    elif lower.endswith(("sses", "ches", "shes", "xes")):
        last = last[:-2]
    elif lower.endswith("s") and not lower.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}" if head else last


def _vowel_sound(words: str) -> bool:
    first = words.split(" ", 1)[0]
    if first[:2].isupper():  # an acronym read letter by letter: an NHS trust, a DfE official
        return first[0] in "AEFHILMNORSX"
    return first[0].lower() in "aeiou"
