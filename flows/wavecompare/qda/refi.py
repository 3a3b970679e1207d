"""Reading a REFI-QDA project (`.qdpx`): `project.qde` in namespace `urn:QDA-XML:project:1.0` and its sources.

Codes are `CodeBook/Codes/Code`, nested; a coding is a `Coding/CodeRef` inside a `PlainTextSelection` of a
`TextSource`, whose `startPosition` and `endPosition` (end exclusive) locate the coded text in the source's
plain text. The standard counts positions in Unicode code points; NVivo counts UTF-16 code units (a character
above U+FFFF, such as an emoji, is two; CRLF is two as in any convention that keeps it). The convention is chosen
by the project's `origin` attribute (a name with "NVivo" in it: UTF-16), else code points. A source's text is
read as it is stored: UTF-8, a BOM stripped, line ends untouched, since every position counts them.

A document (an interview) is a source: its `name`, or without one the stem of its `plainTextPath`. The path
reads `internal://<file>` (or, as qc writes it, a bare file name), meaning `sources/<file>` in the archive; a
source outside the archive (`absolute://`, `relative://`, `..`) is refused. The XML is parsed by defusedxml
with DTDs and entities refused. Where a selection's name is its text (as some tools write it), the text must be
what its positions give (`_check_named`).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import ParseError, fromstring

from .archive import Archive, Refused
from .export import Export, code_path, codings_frame

NS = "{urn:QDA-XML:project:1.0}"
PROJECT_MEMBER = "project.qde"
INTERNAL = "internal://"
UTF16_ORIGINS = ("nvivo",)
UTF16, CODE_POINTS = "utf-16", "code points"
MIN_NAMED = 4
"""A selection name shorter than this is not compared with its text."""
BOM = "\ufeff"


def read_project(path: Path) -> Export:
    """The project's documents, codes and codings (see the module docstring)."""
    with Archive(path) as archive:
        member = archive.find(PROJECT_MEMBER)
        if member is None:
            raise Refused(f"the archive holds no {PROJECT_MEMBER} (a REFI-QDA project has one at its top)")
        root = _parse(archive.read(member))
        origin = root.get("origin", "")
        units = UTF16 if any(name in origin.casefold() for name in UTF16_ORIGINS) else CODE_POINTS
        paths = _code_paths(root)
        documents, rows = [], []
        for source in root.iterfind(f"{NS}Sources/*"):
            document = _document(source)
            documents.append(document)
            if source.tag != f"{NS}TextSource":
                if source.find(f".//{NS}Coding") is not None:
                    raise Refused(f"the source {document!r} is a {source.tag.removeprefix(NS)} with codings; only "
                                  "codings of text sources are read")
                continue
            selections = source.findall(f"{NS}PlainTextSelection")
            text = _text(archive, source, document) if selections else _Text("")
            for selection in selections:
                rows += _codings(selection, document, text, units, paths)
    kind = f"REFI-QDA project ({origin or 'origin not stated'}; positions in {units})"
    return Export(kind, tuple(documents), tuple(paths.values()), codings_frame(rows))


def _parse(data: bytes):
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as error:
        raise Refused(f"{PROJECT_MEMBER} declares a DTD or entities, which are refused (an XML attack's way in): "
                      f"{type(error).__name__}") from error
    except ParseError as error:
        raise Refused(f"{PROJECT_MEMBER} is not well-formed XML ({error})") from error
    if root.tag != f"{NS}Project":
        raise Refused(f"{PROJECT_MEMBER} is not a REFI-QDA project: its root is {root.tag!r}, not Project in "
                      f"namespace {NS[1:-1]}")
    return root


def _code_paths(root) -> dict[str, str]:
    """guid → path of every code of the codebook, parents before children."""
    paths: dict[str, str] = {}

    def walk(code, above: tuple[str, ...]) -> None:
        names = (*above, code.get("name", "").strip())
        paths[code.get("guid", "")] = code_path(names)
        for child in code.iterfind(f"{NS}Code"):
            walk(child, names)

    for top in root.iterfind(f"{NS}CodeBook/{NS}Codes/{NS}Code"):
        walk(top, ())
    return paths


def _document(source) -> str:
    name = (source.get("name") or "").strip()
    return name or PurePosixPath(_location(source.get("plainTextPath") or "")).stem


def _location(path: str) -> str:
    """The member a source path names: `internal://x` and a bare `x` are `sources/x`; anything else is refused."""
    inner = path.removeprefix(INTERNAL)
    parts = PurePosixPath(inner.replace("\\", "/")).parts
    if "://" in inner or inner.startswith(("/", "\\")) or ".." in parts or (parts and parts[0].endswith(":")):
        raise Refused(f"a source's text is at {path!r}, outside the archive; only sources inside it are read")
    return f"sources/{inner}"


def _text(archive: Archive, source, document: str) -> _Text:
    location = _location(source.get("plainTextPath") or "")
    member = archive.find(location)
    if member is None:
        raise Refused(f"the source {document!r} names {location!r}, which the archive does not hold")
    try:
        return _Text(archive.read(member).decode("utf-8").removeprefix(BOM))
    except UnicodeDecodeError as error:
        raise Refused(f"the source {document!r} ({member}) is not UTF-8 text") from error


class _Text:
    """A source's text, sliced in either convention (its UTF-16 form made once, when first needed)."""

    def __init__(self, text: str):
        self.text = text
        self._utf16: bytes | None = None

    def _units(self) -> bytes:
        if self._utf16 is None:
            self._utf16 = self.text.encode("utf-16-le")
        return self._utf16

    def length(self, units: str) -> int:
        return len(self.text) if units == CODE_POINTS else len(self._units()) // 2

    def slice(self, start: int, end: int, units: str) -> str | None:
        """text[start:end] in `units`; None where a position falls between the halves of a surrogate pair."""
        if units == CODE_POINTS:
            return self.text[start:end]
        try:
            return self._units()[2 * start:2 * end].decode("utf-16-le")
        except UnicodeDecodeError:
            return None


def _codings(selection, document: str, text: _Text, units: str, paths: dict[str, str]) -> list[tuple]:
    guid = selection.get("guid", "")
    what = f"the selection {guid} in {document!r}"
    try:
        start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
    except ValueError as error:
        raise Refused(f"{what} has no whole-number positions") from error
    if not 0 <= start <= end <= text.length(units):
        raise Refused(f"{what} runs from {start} to {end}, outside its text of {text.length(units)} {units}")
    excerpt = text.slice(start, end, units)
    if excerpt is None:
        raise Refused(f"{what} starts or ends inside a character (between the halves of a UTF-16 surrogate pair)")
    _check_named(selection.get("name") or "", text, start, end, units, what)
    rows = []
    for coding in selection.iterfind(f"{NS}Coding"):
        for ref in coding.iterfind(f"{NS}CodeRef"):
            target = ref.get("targetGUID", "")
            if target not in paths:
                raise Refused(f"{what} is coded with {target!r}, which the codebook does not hold")
            rows.append((document, paths[target], guid, start, end, excerpt, 1))
    return rows


def _check_named(name: str, text: _Text, start: int, end: int, units: str, what: str) -> None:
    """Some tools store the selected text (or its start) as the selection's name. Where the positions give that
    text only in the other convention, the file's units are not those its origin implies: refused, since every
    excerpt would be shifted. A name that matches neither (qc's 'line:6') is a label, not text, and says nothing."""
    named = _words(name).rstrip("…").rstrip(".")
    if len(named) < MIN_NAMED or _words(text.slice(start, end, units) or "").startswith(named):
        return
    other = UTF16 if units == CODE_POINTS else CODE_POINTS
    if end <= text.length(other) and _words(text.slice(start, end, other) or "").startswith(named):
        raise Refused(f"{what} names its text {named[:40]!r}, which its positions give in {other} units, not in "
                      f"the {units} its project's origin implies; export the project again, or report the tool")


def _words(text: str) -> str:
    return " ".join(text.split())
