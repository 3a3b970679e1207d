"""The study's own words for its release: `study.toml`, optional, at the study's root beside waves.csv.

    title = "Perceptions audit of sector-led improvement"
    organisation = "Ipsos MORI for the LGA"
    member = "stakeholder"

The title heads the report and the workbook; the organisation (who ran the
study) is stated in the Read me; `member` is the noun for one interviewee
("respondent", "young person"), which attributions use where a group's name
is not a noun for people ("a respondent aged 19–24"). Every key is optional.
A file that is not TOML, or has an unknown key, a value that is not one line
of text, or one too long, refuses the run like any bad input, naming the file,
line, key, value and rule (`read_study`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from wavecompare.problems import Problem

FILE_NAME = "study.toml"
DEFAULT_TITLE = "Wave comparison"
DEFAULT_MEMBER = "interviewee"
LIMITS = {"title": 200, "organisation": 200, "member": 40}
"""Each key and the most characters its value may have: a title or organisation heads a page or a Read me row
and must fit one line; a member noun stands inside a quote's attribution."""
MEMBER_WORD = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+)*")
"""Words of letters, joined by single spaces, hyphens or apostrophes: "respondent", "young person", "member of
staff"."""


@dataclass(frozen=True)
class StudyText:
    """What study.toml says, or the defaults: `organisation` is None when the file does not name one."""

    title: str = DEFAULT_TITLE
    organisation: str | None = None
    member: str = DEFAULT_MEMBER


def read_study(path: Path, name: str = FILE_NAME) -> tuple[StudyText, list[Problem]]:
    """The study's text from `path` (shown to users as `name`), or the defaults and the problems with it."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return StudyText(), [Problem(name, f"the file is not UTF-8 text (byte {error.start + 1} cannot be read)")]
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return StudyText(), [Problem(name, f"the file is not valid TOML: {error}")]
    lines = _key_lines(text)
    problems = [Problem(name, rule, examples=((lines.get(key), _shown(values[key])),))
                for key in values if (rule := _broken_rule(key, values[key]))]
    if problems:
        return StudyText(), problems
    return StudyText(**{key: value.strip() for key, value in values.items()}), []


def _broken_rule(key: str, value: object) -> str | None:
    """The rule `value` breaks as the value of `key`, in plain words, or None."""
    if key not in LIMITS:
        return f"the key {key!r} is not one study.toml knows (it knows {', '.join(LIMITS)})"
    rule = f"{key} must be one line of text of at most {LIMITS[key]} characters, in double quotes"
    if not isinstance(value, str) or not value.strip() or not value.isprintable() or len(value) > LIMITS[key]:
        return rule
    if key == "member" and not MEMBER_WORD.fullmatch(value.strip()):
        return (f"member must be a noun for one interviewee, in words of letters (e.g. \"respondent\", \"young "
                f"person\"), of at most {LIMITS[key]} characters")
    return None


def _key_lines(text: str) -> dict[str, int]:
    """The line (from 1) where each top-level key is set, or its table begins, so a problem can point at it."""
    lines: dict[str, int] = {}
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        table = re.match(r"\s*\[+\s*[\"']?([\w-]+)", line)
        key = table or (None if in_table else re.match(r"\s*[\"']?([\w-]+)[\"']?\s*=", line))
        in_table = in_table or bool(table)
        if key:
            lines.setdefault(key.group(1), number)
    return lines


def _shown(value: object) -> str:
    """A value as the user wrote it, for the problem's example."""
    return value if isinstance(value, str) else repr(value)
