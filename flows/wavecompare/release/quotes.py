"""The quote bank: excerpts attributed by role only, with a speaker key, and redacted.

One row per excerpt: the same text of one interview in one wave is one excerpt,
whatever codes it is coded under (its codes, labels and themes joined with
"; "). Each code keeps its first few excerpts (`ReleaseSettings.quotes_per_group`,
in the study's files' order) per wave and attribution, and the bank's note says
how many of the study's excerpts that is (sql/release/quotes.sql does the set work).

Attribution by group, only where it narrows a quote to no fewer than k people
(`ReleaseSettings.min_group`): a reader has every group's size from the
stakeholder mix, so "an interviewee" on one small group's quotes alone would
place them. In a wave where every group has at least k interviews, a quote names
its group; the groups under k are merged and read `MERGED` if together they have
at least k; otherwise no quote of that wave names a group (`ANONYMOUS`).

The words follow the seed report ("a civil servant said", "one regulator
commented"), derived from the stakeholder group's name by one rule that works
for any name: split it at commas and "and"; make each plural part singular
(-ies → -y; -sses, -ches, -shes, -xes → drop -es; other -s → drop -s, but not
-ss; people, men, women, children); join the parts with "or"; then "a"/"an".
The last part may name its members after a word such as "aged", "from", "in"
or "with", or a number: what stands before that word is made singular as above
("Residents aged 65+" → "a resident aged 65+"), and where nothing stands before
it the study's noun for one interviewee does ("Aged 19-24" → "a respondent aged
19–24", with `study.toml`'s member = "respondent"; a range's hyphen reads as a
dash). If what stands before is not a plural noun (e.g. "third sector") it is
hyphenated and followed by the noun. "Senior civil servants" → "a senior civil
servant"; "Regulators, inspectorates and third sector" → "a regulator,
inspectorate or third-sector interviewee".

The column "Speaker" is a key per interview of a wave (R01, R02, …), drawn at
random in SQL for every build, so a writer does not quote one person as two
voices; it follows no file or id order and is not carried across waves or runs.

Redacted inside the excerpt (see `redaction`): e-mail addresses, phone numbers, UK
postcodes, the study's interview ids and organisation names, and the terms of its
redact.csv, each as [kind]. The column "Redacted" lists the kinds taken out ("none" if
nothing). Interview ids and organisations are never columns.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from wavecompare.release import counts
from wavecompare.release.model import TextTable
from wavecompare.release.redaction import redact_all
from wavecompare.release.settings import ReleaseSettings
from wavecompare.release.study import DEFAULT_MEMBER

QUOTE_COLUMNS = ("Wave", "Theme", "Code", "Label", "Attribution", "Speaker", "Excerpt", "Redacted")
MEMBERS_NAMED_AFTER = frozenset(("aged", "from", "in", "with", "without", "under", "over", "of", "at", "on", "who",
                                 "living", "working", "not", "outside", "across", "between"))
"""Words after which a group's name says who its members are ("aged 19-24", "from rural areas"): the noun for
one of them stands before the word."""
IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child"}
PER_SPEAKER_IN_SMALL_GROUP = 2
"""Excerpts the bank keeps of one speaker whose group has fewer than g interviews in the wave (of everyone
sharing that speaker's attribution, so the cap tells no one apart): a speaker's excerpts, linked by the key,
add up to a portrait (topics, turns of phrase) that someone who knows a small group's few members can
recognise; two still give that speaker a voice."""


def build_quotes(con: duckdb.DuckDBPyConnection, settings: ReleaseSettings = ReleaseSettings(),
                 member: str = DEFAULT_MEMBER) -> TextTable:
    """The quote bank (its columns QUOTE_COLUMNS), attributed with `member`, the study's noun for one
    interviewee, where a group's name is not a noun for people."""
    return quote_bank(*quote_sources(con, settings), settings, member)


def _selection(settings: ReleaseSettings) -> dict[str, int]:
    """The parameters of sql/release/quotes.sql: which excerpts the bank keeps."""
    return {"per_group": settings.quotes_per_group, "min_group": settings.min_group,
            "min_unanimous_group": settings.min_unanimous_group, "per_speaker": PER_SPEAKER_IN_SMALL_GROUP}


def quote_sources(con: duckdb.DuckDBPyConnection, settings: ReleaseSettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the bank is made from, read from the warehouse: its excerpts (`counts.quotes`) and the terms
    redacted from them (`counts.redaction_terms`)."""
    return counts.quotes(con, **_selection(settings)), counts.redaction_terms(con)


def quote_source_files(con: duckdb.DuckDBPyConnection, settings: ReleaseSettings, folder: Path) -> tuple[Path, Path]:
    """`quote_sources` as two Parquet files in `folder`, written by DuckDB: how a large release hands them to its
    child process (`quote_bank_from`). Pickled, a tracker's 500,000 terms and 80,000 excerpts cost this process
    about half a second under its GIL, while it builds the tables; the files cost it nothing. They hold
    unredacted text: `folder` is the run's own (`writer.Drawing.folder`), removed when the release is made."""
    return (counts.copy_to_parquet(con, counts.QUOTES, folder / "quotes.parquet", **_selection(settings)),
            counts.copy_to_parquet(con, counts.REDACTION_TERMS, folder / "redaction_terms.parquet"))


def quote_bank_from(files: tuple[Path, Path], settings: ReleaseSettings, member: str) -> TextTable:
    """`quote_bank` of the sources `quote_source_files` wrote."""
    with duckdb.connect() as con:
        rows, terms = (con.read_parquet(str(path)).df() for path in files)
    return quote_bank(rows, terms, settings, member)


def quote_bank(rows: pd.DataFrame, terms: pd.DataFrame, settings: ReleaseSettings = ReleaseSettings(),
               member: str = DEFAULT_MEMBER) -> TextTable:
    """`build_quotes` from its `quote_sources`: the redaction and attribution, which need no warehouse (so a
    large release's child process does them while the tables are built)."""
    redacted = redact_all(rows.excerpt.tolist(), zip(terms.term.tolist(), terms.kind.tolist()))
    frame = pd.DataFrame({
        "Wave": rows.wave,
        "Theme": rows.theme,
        "Code": rows.code_id,
        "Label": rows.code_label,
        "Attribution": _attributions(rows.attributed_as, rows.shown_group, member),
        "Speaker": rows.speaker,
        "Excerpt": [text for text, _ in redacted],
        "Redacted": [", ".join(kinds) or "none" for _, kinds in redacted],
    }, columns=list(QUOTE_COLUMNS))
    in_study = int(rows.excerpts_in_study.iloc[0]) if len(rows) else 0
    k, g = settings.min_group, settings.min_unanimous_group
    notes = (
        _kept(len(rows), in_study, settings.quotes_per_group, g),
        f"Attributed by stakeholder group only, and by group only in a wave where every group has at least {k} "
        f"interviews. In a wave with groups of fewer than {k}, their quotes read '{merged(member)}' if those "
        f"groups together have at least {k} interviews; if not, no quote of that wave names a group: all read "
        f"'{anonymous(member)}'.",
        "Speaker: one key per interview of a wave (R01, R02, …), so that one person is not quoted as two voices. "
        "Keys are drawn at random for every release: the same key in two waves or two releases is not the same "
        "person.",
        "Redacted in the excerpts: e-mail addresses [e-mail], phone numbers [phone], UK postcodes [postcode], the "
        "names of the organisations interviewed [organisation], interview ids [interview id] and the study's own "
        "list of names, handles and abbreviations (each as its label, e.g. [name]), in any case or spacing.",
    )
    return TextTable("quote_bank", "Quote bank", frame, notes)


def _kept(kept: int, in_study: int, per_group: int, min_unanimous_group: int) -> str:
    """What share of the study's excerpts the bank holds, and by which rule."""
    held = f"All of the study's {in_study:,} excerpts" if kept == in_study else (
        f"{kept:,} of the study's {in_study:,} excerpts")
    return (f"{held} (an excerpt is one interview's text in one wave, one row with all the codes it is coded "
            f"under). The bank keeps the first {per_group} excerpts in the study's files of each code, wave and "
            f"attribution, and at most {PER_SPEAKER_IN_SMALL_GROUP} of a speaker whose attribution includes a "
            f"group of fewer than {min_unanimous_group} interviews in the wave.")


def _attributions(attributed_as: pd.Series, shown_group: pd.Series, member: str) -> pd.Series:
    """Each row's attribution, worked out once per group named: a bank has few of those and many rows."""
    named = {group: attribution(group, member) for group in shown_group.dropna().unique()}
    return shown_group.map(named).fillna(attributed_as.map({"merged": merged(member)})).fillna(anonymous(member))


def anonymous(member: str = DEFAULT_MEMBER) -> str:
    """The attribution that names no group: 'an interviewee'."""
    return _with_article(member)


def merged(member: str = DEFAULT_MEMBER) -> str:
    """The attribution of the small groups read alike: 'an interviewee from one of the smaller groups'."""
    return _with_article(member) + " from one of the smaller groups"


def attribution(group: str, member: str = DEFAULT_MEMBER) -> str:
    """'a senior civil servant' for 'Senior civil servants', 'a respondent aged 19–24' for 'Aged 19-24' with
    member 'respondent' (see the module docstring); `anonymous` for a blank name."""
    if not group or not group.strip():
        return anonymous(member)
    parts = [part.strip() for part in re.split(r",|\band\b|&", group) if part.strip()]
    singular = [_singular(part) for part in parts[:-1]] + [_one_member(parts[-1], member)]
    words = singular[0] if len(singular) == 1 else ", ".join(singular[:-1]) + " or " + singular[-1]
    return _with_article(re.sub(r"(?<=\d)-(?=\d)", "–", words))


def _one_member(phrase: str, member: str) -> str:
    """One member of the group `phrase` names: its plural noun made singular, or the member noun with what the
    phrase says of them, before it (hyphenated) or after it."""
    words = phrase.split(" ")
    at = next((i for i, word in enumerate(words) if word.lower() in MEMBERS_NAMED_AFTER or word[:1].isdigit()),
              len(words))
    head, tail = " ".join(words[:at]), " ".join(words[at:])
    if tail and tail.split(" ", 1)[0].lower() in MEMBERS_NAMED_AFTER:
        tail = tail[0].lower() + tail[1:]
    elif tail and not head:
        tail = f"({tail})"  # a bare number: what it counts is not said
    one = _singular(head) if head else member
    if head and one == head:  # not a plural noun: it says what kind of member
        one = head.replace(" ", "-") + " " + member
    return f"{one} {tail}" if tail else one


def _with_article(words: str) -> str:
    words = words if words[:2].isupper() else words[0].lower() + words[1:]
    return ("an " if _vowel_sound(words) else "a ") + words


def _singular(phrase: str) -> str:
    head, _, last = phrase.rpartition(" ")
    lower = last.lower()
    if lower in IRREGULAR:
        last = last[0] + IRREGULAR[lower][1:]
    elif lower.endswith("ies"):
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
