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

Redacted inside the excerpt: e-mail addresses, phone numbers (10 to 15 digits
starting with 0 or +), UK postcodes, and the study's own organisation names and
interview ids (whole words; organisations ignoring case). The column
"Redacted" lists what was taken out ("none" if nothing). Interview ids and
organisations are never columns.
"""

from __future__ import annotations

import re
from functools import cache

import duckdb
import pandas as pd

from wavecompare.release import counts
from wavecompare.release.model import ReleaseTable
from wavecompare.release.settings import ReleaseSettings

QUOTE_COLUMNS = ("Wave", "Theme", "Code", "Label", "Attribution", "Excerpt", "Redacted")
ANONYMOUS = "an interviewee"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])(?:\+|\(?0)[\d\s().-]{8,}\d(?!\w)")
POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\b", re.IGNORECASE)


def build_quotes(con: duckdb.DuckDBPyConnection, settings: ReleaseSettings = ReleaseSettings()) -> ReleaseTable:
    """The quote bank as a ReleaseTable with no wave columns (row_columns = QUOTE_COLUMNS)."""
    rows = counts.quotes(con, per_group=settings.quotes_per_group)
    terms = counts.redaction_terms(con)
    organisations = terms.term[terms.kind == "organisation"].tolist()
    interview_ids = terms.term[terms.kind == "interview id"].tolist()
    redactor = Redactor(organisations, interview_ids)
    redacted = [redactor(text) for text in rows.excerpt]
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
        "names of the organisations interviewed [organisation] and interview ids [interview id].",
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


def redact(text: str, organisations: list[str], interview_ids: list[str]) -> tuple[str, list[str]]:
    """The excerpt with identifying details replaced, and the kinds replaced."""
    return Redactor(organisations, interview_ids)(text)


class Redactor:
    """Redacts excerpts against a study's names, indexed once for the whole quote bank.

    A large study has tens of thousands of interview ids and organisations; trying each name's
    pattern on each excerpt costs names × excerpts. A name can only match where its first word
    stands as a whole word (the pattern is bounded by non-word characters), so each excerpt tries
    only the names whose first word it contains, in the same longest-first order, with the same
    patterns: the result is the same as trying them all.
    """

    MARKER_WORDS = ("organisation", "interview", "id")
    """Words the replacements themselves write, which a later name could match."""

    def __init__(self, organisations: list[str], interview_ids: list[str]):
        self.kinds = [(kind, _index(names, fold)) for kind, names, fold in (
            ("organisation", organisations, True), ("interview id", interview_ids, False))]

    def __call__(self, text: str) -> tuple[str, list[str]]:
        kinds: list[str] = []

        def replace(pattern: re.Pattern, label: str, text: str, accept=lambda match: True) -> str:
            def one(match: re.Match) -> str:
                if not accept(match):
                    return match.group()
                if label not in kinds:
                    kinds.append(label)
                return f"[{label}]"
            return pattern.sub(one, text)

        text = replace(EMAIL, "e-mail", text)
        text = replace(PHONE, "phone", text, lambda match: 10 <= sum(c.isdigit() for c in match.group()) <= 15)
        text = replace(POSTCODE, "postcode", text)
        words = {*WORD.findall(text), *self.MARKER_WORDS}
        for kind, (by_word, fold, wordless) in self.kinds:
            present = {word.casefold() for word in words} if fold else words
            candidates = sorted({entry for word in present for entry in by_word.get(word, ())} | wordless)
            for _, name in candidates:
                text = replace(_name_pattern(name, re.IGNORECASE if fold else 0), kind, text)
        return text, kinds


WORD = re.compile(r"\w+")


def _index(names: list[str], fold: bool) -> tuple[dict[str, list], bool, set]:
    """Names by their first word (case-folded if `fold`), each as (rank, name) with rank the
    longest-first order; and the names without a word, which every excerpt tries."""
    by_word: dict[str, list] = {}
    wordless = set()
    for rank, name in enumerate(sorted(names, key=len, reverse=True)):
        first = WORD.search(name)
        if first is None:
            wordless.add((rank, name))
        else:
            by_word.setdefault(first.group().casefold() if fold else first.group(), []).append((rank, name))
    return by_word, fold, wordless


@cache
def _name_pattern(name: str, flags: int) -> re.Pattern:
    """A name as a whole-word pattern, any whitespace between its words; compiled once per name
    (`re`'s own cache holds 512 patterns, fewer than a large study's organisations and interview ids)."""
    words = r"\s+".join(map(re.escape, name.split()))
    return re.compile(rf"(?<!\w){words}(?!\w)", flags)
