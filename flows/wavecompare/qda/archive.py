"""Opening a REFI-QDA project (`.qdpx`, a zip of XML and text files) as the hostile file it may be.

A zip states its members' sizes in its own directory, which an attacker writes: the limits here are checked
against that directory before anything is unpacked, and zipfile unpacks no more than the directory states. Member names are never used as paths on disk (nothing is extracted), but a name
that would climb out of the archive or start at a root is refused all the same: it is how zip-slip attacks
look, and no tool writes one.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200


class Refused(Exception):
    """The file is not read; the message says why in plain words, `file` which file (once known)."""

    def __init__(self, message: str, file: str | None = None):
        super().__init__(message)
        self.file = file


class Archive:
    """A zip's members, readable one at a time within the limits."""

    def __init__(self, path: Path):
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise Refused("the file is not a valid zip archive (a .qdpx project is one)") from error
        try:
            self.names = _checked(self._zip.infolist())
        except Refused:
            self._zip.close()
            raise

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_) -> None:
        self._zip.close()

    def find(self, name: str) -> str | None:
        """The member called `name`, compared without regard to case (tools differ), or None."""
        wanted = name.casefold()
        return next((member for member in self.names if member.casefold() == wanted), None)

    def read(self, member: str) -> bytes:
        """The member's bytes. The limits were checked on the directory's sizes, and zipfile never unpacks more
        than the directory states (a member that holds more fails its CRC check)."""
        try:
            return self._zip.read(self.names[member])
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
            raise Refused(f"the member {member!r} is damaged ({error})") from error


def _checked(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """The members by name, once their names and the directory's sizes pass the limits."""
    if len(infos) > MAX_MEMBERS:
        raise Refused(f"the archive holds {len(infos)} members, more than the {MAX_MEMBERS} accepted")
    for info in infos:
        _check_name(info.filename)
        if info.file_size > MAX_MEMBER_BYTES:
            raise Refused(f"the member {info.filename!r} unpacks to {info.file_size} bytes, more than the "
                          f"{MAX_MEMBER_BYTES} accepted (possible zip bomb)")
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if unpacked > MAX_TOTAL_BYTES or unpacked / packed > MAX_RATIO:
        raise Refused("the archive unpacks to an implausible size; it was not opened (possible zip bomb)")
    return {info.filename: info for info in infos}


def _check_name(name: str) -> None:
    """Refuse the member names of zip-slip attacks: absolute, on a drive, or with '..' parts (either slash)."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (parts and parts[0].endswith(":")) or ".." in parts:
        raise Refused(f"the archive holds a member named {name!r}, which points outside the archive "
                      "(a zip-slip attack); it was not opened")
