"""Finding a study's files on disk and fingerprinting them.

A study folder holds `waves` and `codebook` files, optionally `redact` and
`crosswalk` files, and one folder per wave with an `interviews` file and its coded
responses, each as .csv or .xlsx: a `responses` file, or one or more exports of a
coding tool (any other .qdpx, .xlsx, .csv, .xls or .zip file in the folder, told
apart by content when it is read: docs/coding-tools.md), or a project-wide
export in a `coding` folder at the root covers the waves; optionally too
`study.toml`, the study's title and words for its release (`release.study`), read
here, since it is no table, and fingerprinted like the rest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from wavecompare.contract import EXTENSIONS, INTERVIEWS, OPTIONAL_STUDY_KINDS, RESPONSES, STUDY_KINDS, FileKind
from wavecompare.problems import Problem
from wavecompare.release.study import FILE_NAME as STUDY_TEXT_FILE
from wavecompare.release.study import StudyText, read_study

HASH_CHUNK = 1 << 20
STUDY_TEXT = "study"
"""The kind of `study.toml` among the study's files: listed and hashed with them, but not loaded as a table."""
EXPORT = "export"
"""The kind of a coding tool's export in a wave folder: loaded by `qda.loading`, not as a table of the contract."""
EXPORT_SUFFIXES = (".qdpx", ".xlsx", ".csv", ".xls", ".zip")
CODING = "coding"
"""The study's folder (any case) for one project-wide export, whose documents are assigned to waves by the
interviews files; it is not a wave folder."""


@dataclass(frozen=True)
class InputFile:
    """One input file: `name` is its path relative to the study, as users see it."""

    kind: str
    path: Path
    name: str
    sha256: str
    wave_id: str | None = None


@dataclass(frozen=True)
class Study:
    """What was found in a study folder, and what was wrong with its layout (or its study.toml)."""

    root: Path
    files: tuple[InputFile, ...]
    wave_folders: tuple[str, ...]
    problems: tuple[Problem, ...]
    text: StudyText = StudyText()

    @property
    def tables(self) -> tuple[InputFile, ...]:
        """The files the loader reads into the raw layer: all but study.toml."""
        return tuple(file for file in self.files if file.kind != STUDY_TEXT)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _inside(root: Path, path: Path) -> bool:
    """Links that lead out of the study folder are not followed."""
    return path.resolve().is_relative_to(root.resolve())


def _find(folder: Path, kind: FileKind, root: Path, problems: list[Problem], optional: bool = False) -> Path | None:
    found = sorted(
        entry
        for entry in folder.iterdir()
        if entry.is_file() and entry.stem.casefold() == kind.name and entry.suffix.casefold() in EXTENSIONS
    )
    shown = folder.relative_to(root).as_posix()
    prefix = "" if shown == "." else shown + "/"
    if not found:
        if optional:
            return None
        problems.append(
            Problem(f"{prefix}{kind.name}.csv", f"the file is missing: expected {kind.name}.csv or {kind.name}.xlsx")
        )
        return None
    if len(found) > 1:
        problems.append(
            Problem(
                f"{prefix}{kind.name}",
                "there is more than one file for this table; keep only one of "
                + ", ".join(entry.name for entry in found),
            )
        )
        return None
    if not _inside(root, found[0]):
        problems.append(Problem(f"{prefix}{found[0].name}", "the file is a link to somewhere outside the study folder"))
        return None
    return found[0]


def _exports(folder: Path, root: Path, problems: list[Problem], known: frozenset = frozenset()) -> list[Path]:
    """The folder's files that could be an export, but those named `known` (a wave's interviews and responses)."""
    found = sorted(entry for entry in folder.iterdir()
                   if entry.is_file() and not entry.name.startswith((".", "~$"))
                   and entry.suffix.casefold() in EXPORT_SUFFIXES and entry.stem.casefold() not in known)
    for entry in found:
        if not _inside(root, entry):
            problems.append(Problem(entry.relative_to(root).as_posix(),
                                    "the file is a link to somewhere outside the study folder"))
    return [entry for entry in found if _inside(root, entry)]


def discover(root: Path) -> Study:
    """List the study's files; layout problems are returned, not raised."""
    root = Path(root)
    if not root.is_dir():
        problem = Problem(str(root), "the study folder does not exist")
        return Study(root, (), (), (problem,))
    problems: list[Problem] = []
    files: list[InputFile] = []

    def add(path: Path | None, kind: FileKind, wave_id: str | None) -> None:
        if path is not None:
            name = path.relative_to(root).as_posix()
            files.append(InputFile(kind.name, path, name, sha256_of(path), wave_id))

    for kind in STUDY_KINDS:
        add(_find(root, kind, root, problems), kind, None)
    for kind in OPTIONAL_STUDY_KINDS:
        add(_find(root, kind, root, problems, optional=True), kind, None)
    coding = next((entry for entry in root.iterdir() if entry.is_dir() and entry.name.casefold() == CODING), None)
    project = _exports(coding, root, problems) if coding is not None and _inside(root, coding) else []
    if len(project) > 1:
        problems.append(Problem(coding.name, "the folder holds more than one export ("
                                + ", ".join(path.name for path in project) + "): keep the one project-wide export"))
    files += [InputFile(EXPORT, path, path.relative_to(root).as_posix(), sha256_of(path)) for path in project]
    wave_folders = sorted(
        entry.name for entry in root.iterdir()
        if entry.is_dir() and not entry.name.startswith((".", "_")) and entry.name.casefold() != CODING
    )
    for wave_id in wave_folders:
        folder = root / wave_id
        if not _inside(root, folder):
            problems.append(Problem(wave_id, "the wave folder is a link to somewhere outside the study folder"))
            continue
        add(_find(folder, INTERVIEWS, root, problems), INTERVIEWS, wave_id)
        exports = _exports(folder, root, problems, frozenset((INTERVIEWS.name, RESPONSES.name)))
        responses = _find(folder, RESPONSES, root, problems, optional=bool(exports or project))
        if responses is not None and exports:
            problems.append(Problem(f"{wave_id}/{responses.name}", "the wave holds a responses file and coding tools' "
                                    f"exports ({', '.join(path.name for path in exports)}): keep one source of its "
                                    "coded responses"))
        add(responses, RESPONSES, wave_id)
        for path in exports:
            files.append(InputFile(EXPORT, path, path.relative_to(root).as_posix(), sha256_of(path), wave_id))
    if not wave_folders:
        problems.append(Problem(root.name or str(root), "the study has no wave folders (one folder per wave_id)"))
    text = _study_text(root, files, problems)
    return Study(root, tuple(files), tuple(wave_folders), tuple(problems), text)


def _study_text(root: Path, files: list[InputFile], problems: list[Problem]) -> StudyText:
    """The study's study.toml (any case), listed among its files, or the defaults when it has none."""
    found = [entry for entry in root.iterdir() if entry.is_file() and entry.name.casefold() == STUDY_TEXT_FILE]
    if not found:
        return StudyText()
    path = found[0]
    name = path.relative_to(root).as_posix()
    if not _inside(root, path):
        problems.append(Problem(name, "the file is a link to somewhere outside the study folder"))
        return StudyText()
    files.append(InputFile(STUDY_TEXT, path, name, sha256_of(path)))
    text, found_problems = read_study(path, name)
    problems.extend(found_problems)
    return text
