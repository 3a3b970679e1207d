"""The input contract: which files a study holds and which columns each must have.

Kept as data so that the reader, the checks and docs/input-contract.md describe one contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    """One kind of input file: its base name, required and optional columns."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


WAVES = FileKind(
    "waves",
    required=("wave_id", "label", "fieldwork_start", "fieldwork_end"),
    optional=("planned_interviews",),
)
CODEBOOK = FileKind("codebook", required=("code_id", "theme", "label", "kind"), optional=("levels", "net_levels"))
INTERVIEWS = FileKind(
    "interviews",
    required=(
        "interview_id",
        "interview_date",
        "stakeholder_group",
        "organisation_type",
        "organisation",
        "mode",
        "duration_minutes",
    ),
    optional=("service_area", "wave_id", "document", "coded"),
)
RESPONSES = FileKind(
    "responses",
    required=("interview_id", "code_id", "value"),
    optional=("excerpt", "wave_id"),
)

# Terms the quote bank redacts besides those it knows (people's names, handles, abbreviations), each shown as
# [label]. Optional: a study without one redacts only what the release finds by itself.
REDACT = FileKind("redact", required=("term", "label"))

# How the codes of coding tools' exports map to the codebook (docs/coding-tools.md): a source code of every wave
# (wave_id empty) or of one wave, its code_id (empty: ignored on purpose) and, for a level code, its level.
CROSSWALK = FileKind("crosswalk", required=("source_code", "code_id"), optional=("wave_id", "value"))

# Headers of coding tools' exports in other languages (flows/wavecompare/qda/headers.py).
EXPORT_HEADERS = FileKind("export_headers", required=("tool", "field", "header"))

STUDY_KINDS = (WAVES, CODEBOOK)
OPTIONAL_STUDY_KINDS = (REDACT, CROSSWALK, EXPORT_HEADERS)
WAVE_KINDS = (INTERVIEWS, RESPONSES)
ALL_KINDS = STUDY_KINDS + OPTIONAL_STUDY_KINDS + WAVE_KINDS

EXTENSIONS = (".csv", ".xlsx")

# Columns the loader adds to every raw row; a user column may not take these names.
LINEAGE_COLUMNS = ("source_file", "source_sha256", "source_row", "loaded_at", "run_id", "folder_wave_id")


def header_key(header: str) -> str:
    """Case, spaces and punctuation are ignored when matching headers."""
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def column_name(header: str, kind: FileKind) -> str:
    """The warehouse column for a file header: the contract's name where the header
    matches one, otherwise a snake_case form of it (extra columns are kept in raw)."""
    key = header_key(header)
    for column in kind.columns:
        if header_key(column) == key:
            return column
    snake = re.sub(r"[^0-9a-z]+", "_", header.casefold()).strip("_")
    return snake or "unnamed"
