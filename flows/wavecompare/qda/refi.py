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
with DTDs and entities refused.
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
BOM = "\ufeff"


def read_project(path: Path) -> Export:
    """The project's documents, codes and codings (see the module docstring)."""
    with Archive(path) as archive:
        member = archive.find(PROJECT_MEMBER)
        if member is None:
            raise Refused(f"the archive holds no {PROJECT_MEMBER} (a REFI-QDA project has one at its top)")
        root = _parse(archive.read(member))
        origin = root.get("origin", "")
        units = "utf-16" if any(name in origin.casefold() for name in UTF16_ORIGINS) else "code points"
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
            text = _text(archive, source, document) if selections else ""
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


def _text(archive: Archive, source, document: str) -> str:
    location = _location(source.get("plainTextPath") or "")
    member = archive.find(location)
    if member is None:
        raise Refused(f"the source {document!r} names {location!r}, which the archive does not hold")
    try:
        return archive.read(member).decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError as error:
        raise Refused(f"the source {document!r} ({member}) is not UTF-8 text") from error


def _codings(selection, document: str, text: str, units: str, paths: dict[str, str]) -> list[tuple]:
    guid = selection.get("guid", "")
    try:
        start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
    except ValueError as error:
        raise Refused(f"the selection {guid} in {document!r} has no whole-number positions") from error
    excerpt = _slice(text, start, end, units, f"the selection {guid} in {document!r}")
    rows = []
    for coding in selection.iterfind(f"{NS}Coding"):
        for ref in coding.iterfind(f"{NS}CodeRef"):
            target = ref.get("targetGUID", "")
            if target not in paths:
                raise Refused(f"the selection {guid} in {document!r} is coded with {target!r}, which the "
                              "codebook does not hold")
            rows.append((document, paths[target], guid, start, end, excerpt, 1))
    return rows


def _slice(text: str, start: int, end: int, units: str, what: str) -> str:
    """text[start:end] in the project's units."""
    if units == "code points":
        length, excerpt = len(text), text[start:end]
    else:
        encoded = text.encode("utf-16-le")
        length = len(encoded) // 2
        try:
            excerpt = encoded[2 * start:2 * end].decode("utf-16-le")
        except UnicodeDecodeError as error:
            raise Refused(f"{what} starts or ends inside a character (between the halves of a UTF-16 surrogate "
                          "pair)") from error
    if not 0 <= start <= end <= length:
        raise Refused(f"{what} runs from {start} to {end}, outside its text of {length} {units}")
    return excerpt
