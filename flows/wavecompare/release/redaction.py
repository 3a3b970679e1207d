"""Redaction of the quote bank's excerpts: what is matched, and on which form of the text.

Matching runs on a folded copy of each excerpt, so that a detail written with other
characters than the pattern's is still found: every space character (no-break, thin,
ideographic, tab, line break) becomes a space, every dash (Unicode's dash punctuation,
the minus sign) a hyphen-minus, letters their case-folded form, the text NFKC form
(full-width and compatibility letters, ligatures), and invisible format characters
(zero-width space, soft hyphen) are dropped. The text kept is the original with the
matched spans replaced, so every position of the folded text must lead back to the
original. Folding is therefore done piece by piece: the space, dash and case mappings
replace one character by one (a character whose case folding is longer, such as ß, keeps
its lower-case form), which leaves positions as they are; only an excerpt that is then not
already NFKC, or holds invisible characters, is rebuilt a character at a time (with its
combining marks), recording for each folded character the original characters it came
from. A match then replaces the whole of the original characters it touches, so it can
only take out more, never less. Composition across characters (conjoining Hangul jamo) is
not attempted.

Redacted, as [kind]: e-mail addresses (also written `name [at] host [dot] org`, `(at)`,
and `name.surname at host.org`), phone numbers (10 to 15 digits, starting with +, 0, (0
or the UK's 44), UK postcodes, and literal terms, each with its label: the study's
interview ids, organisations and the terms of its redact.csv, as whole words ignoring
case. The terms are one compiled regex alternation, built once for a whole bank from the
terms whose every word occurs in some excerpt of it (a large study has hundreds of
thousands of interview ids, a bank a few thousand excerpts; DuckDB sifts the ASCII terms
by their words, sql/release/term_candidates.sql). It is tried at every word start, so
overlapping terms ("Jane Doe" and "Doe Ltd" in "Jane Doe Ltd") are both taken out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import duckdb
import pandas as pd

from wavecompare import sqlfiles
from wavecompare.identifiers import is_dash
from wavecompare.tabular import registered

_DOT = r"(?:\.|\s*[\[(]\s*dot\s*[\])]\s*|\s+dot\s+)"
_PART = r"[\w+-]{1,64}"
_DOTTED = rf"{_PART}(?:{_DOT}{_PART}){{1,8}}"  # bounded repeats: no quadratic backtracking on hostile text
EMAIL = re.compile(
    rf"(?<![\w.+-])(?:{_PART}(?:{_DOT}{_PART}){{0,8}}\s*(?:@|[\[(]\s*at\s*[\])])\s*|{_DOTTED}\s+at\s+)"
    rf"{_DOTTED}(?![\w-])"
)
PHONE = re.compile(r"(?<![\w+])(?:\+|\(?0|44)[\d\s().-]{8,}\d(?!\w)")
POSTCODE = re.compile(r"\b(?:gir ?0aa|[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2})\b")
PATTERNS = (
    ("e-mail", EMAIL, re.compile(r"@|\sat\s|[\[(]"), lambda found: True),
    ("phone", PHONE, re.compile(r"\d"), lambda found: 10 <= sum(c.isdigit() for c in found) <= 15),
    ("postcode", POSTCODE, re.compile(r"\d"), lambda found: True),
)
"""Each kind, its pattern, what any match of it holds (a quick search that spares most texts the pattern's
slower scan: no "@", " at ", "(" or "[", no e-mail address; no digit, no phone number or postcode), and
whether a match counts."""
WORD = re.compile(r"\w+")


class _Folds(dict):
    """The one-for-one mapping (spaces, dashes, case) of each code point `str.translate` meets, worked out the
    first time: a bank holds a few hundred distinct characters of Unicode's 1.1 million, and working out all of
    them took most of a second per process."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = char.casefold() if len(char.casefold()) == 1 else char.lower() if len(char.lower()) == 1 else char
        if char.isspace():
            folded = " "
        elif is_dash(char):
            folded = "-"
        self[code] = folded
        return folded


_FOLDS = _Folds()


def _visible(text: str) -> str:
    """The text without its invisible format characters (zero-width space, soft hyphen: category Cf)."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def fold(text: str) -> tuple[str, list[tuple[int, int]] | None]:
    """The folded text, and for each of its characters the span of the original it came from
    (None when the two line up character for character)."""
    quick = text.translate(_FOLDS)
    if quick.isascii() or (unicodedata.is_normalized("NFKC", quick) and _visible(quick) == quick):
        return quick, None
    starts = [i for i, char in enumerate(text) if i == 0 or not unicodedata.combining(char)] + [len(text)]
    pieces, origin = [], []
    for start, end in zip(starts, starts[1:]):
        piece = unicodedata.normalize("NFKC", _visible(text[start:end])).translate(_FOLDS)
        pieces.append(piece)
        origin += [(start, end)] * len(piece)
    return "".join(pieces), origin


def term_key(term: str) -> str:
    """A term as it is matched: folded, its words one space apart."""
    return " ".join(fold(term)[0].split())


def _alternation(keys: list[str]) -> str:
    """One alternation of every key, grouped by first character so that a word start tries only the terms that
    begin with its character; longest first within a group, so the longest whole-word term at a position wins.
    Two levels deep whatever the terms, so no term list can nest the pattern beyond what `re` compiles."""
    groups: dict[str, list[str]] = {}
    for key in sorted(keys, key=len, reverse=True):
        groups.setdefault(key[0], []).append(key[1:])
    return "|".join(re.escape(first) + "(?:" + "|".join(map(_literal, rests)) + ")" for first, rests in groups.items())


def _literal(text: str) -> str:
    """Folded text as a pattern in which each space matches any run of spaces."""
    return " +".join(map(re.escape, text.split(" ")))


def redact_all(texts: list[str], terms: Iterable[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """Each text redacted against terms ((term, label) pairs; a term listed twice keeps its first label), with
    the kinds shown in its place, in the order of PATTERNS and then of the text. The terms pattern holds only the terms
    whose every word occurs in some text."""
    folded = [fold(text) for text in texts]
    pattern, labels = _terms_pattern(terms, [text for text, _ in folded])
    return [_redact(text, *pair, pattern, labels) for text, pair in zip(texts, folded, strict=True)]


def terms_found(texts: list[str], terms: Iterable[tuple[str, str]]) -> list[str]:
    """The labels of the terms that occur in the texts (as redaction would find them), in the order listed."""
    folded = [fold(text)[0] for text in texts]
    pattern, labels = _terms_pattern(terms, folded)
    found = {labels[" ".join(match.group(1).split())] for text in folded for match in pattern.finditer(text)} \
        if pattern else set()
    return [label for label in dict.fromkeys(labels.values()) if label in found]


def _terms_pattern(terms: Iterable[tuple[str, str]], folded: list[str]) -> tuple[re.Pattern | None, dict[str, str]]:
    """The pattern of the terms whose every word occurs in some folded text, and each one's label by its key."""
    vocabulary = set(WORD.findall(" ".join(folded)))
    labels: dict[str, str] = {}
    for term, label in _candidates(terms, vocabulary):
        key = term_key(term)
        if key and all(word in vocabulary for word in WORD.findall(key)):
            labels.setdefault(key, label)
    pattern = re.compile(rf"(?<!\w)(?=({_alternation(list(labels))})(?!\w))") if labels else None
    return pattern, labels


def _candidates(terms: Iterable[tuple[str, str]], vocabulary: set[str]) -> list[tuple[str, str]]:
    """The terms, in order, less the ASCII ones with a word the texts lack (sql/release/term_candidates.sql): a
    study's hundreds of thousands of interview ids, sifted by DuckDB rather than one by one."""
    frame = pd.DataFrame(list(terms), columns=["term", "label"]).assign(term_order=lambda f: range(len(f)))
    with duckdb.connect() as con, registered(con, "terms", frame), \
            registered(con, "vocabulary", pd.DataFrame({"word": sorted(vocabulary)}, dtype=object)):
        return con.execute(sqlfiles.text("release/term_candidates.sql")).fetchall()


def redact(text: str, terms: Iterable[tuple[str, str]]) -> tuple[str, list[str]]:
    """One text redacted against terms ((term, label) pairs), and the kinds taken out."""
    return redact_all([text], terms)[0]


def _redact(text: str, folded: str, origin: list[tuple[int, int]] | None, terms: re.Pattern | None,
            labels: dict[str, str]) -> tuple[str, list[str]]:
    spans = [(match.start(), match.end(), kind) for kind, pattern, hint, accept in PATTERNS if hint.search(folded)
             for match in pattern.finditer(folded) if accept(match.group())]
    if terms:
        spans += [(match.start(1), match.end(1), labels[" ".join(match.group(1).split())])
                  for match in terms.finditer(folded)]
    if origin is not None:
        spans = [(origin[start][0], origin[end - 1][1], kind) for start, end, kind in spans]
    merged = _merged(spans)
    shown = {kind for _, _, kind in merged}  # a term inside an e-mail address is not told apart from it
    pieces, done = [], 0
    for start, end, kind in merged:
        pieces += [text[done:start], f"[{kind}]"]
        done = end
    return "".join(pieces) + text[done:], [kind for kind in dict.fromkeys(k for _, _, k in spans) if kind in shown]


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans as one, under the kind of the one that starts first (found first, when at once)."""
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans, key=lambda span: span[0]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), merged[-1][2])
        else:
            merged.append((start, end, kind))
    return merged
