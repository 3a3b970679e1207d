"""The look-alike key of an identifier (wave_id, interview_id, code_id, a level).

Two identifiers that differ only in Unicode compatibility forms, case, dashes,
spaces or invisible characters look the same to a reader of the tables, so the
checks refuse them. DuckDB has NFC but no NFKC normalisation, so the key is a
Python scalar function; the SQL applies it only to the distinct identifiers a
study defines (few, even in a ten-million-row study) and to the few quarantined
references, and stores its results in tables, so no view depends on it.
"""

from __future__ import annotations

import unicodedata

import duckdb

FUNCTION = "identifier_key"


def is_dash(char: str) -> bool:
    """A dash a keyboard, a word processor or a survey tool may put where '-' was meant: Unicode's dash
    punctuation and the minus sign. The one definition for identifiers and for redaction's folding."""
    return char == "\u2212" or unicodedata.category(char) == "Pd"


def identifier_key(text: str) -> str:
    """NFKC, case-folded, dashes as '-', spaces as one space. The SQL drops invisible
    characters first (staging.visible_text), so that one list of them serves both
    this key and the messages that name them. Per character, but over distinct identifiers only."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("".join("-" if is_dash(char) else char for char in folded).split())


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Make `identifier_key(text)` callable from this connection's SQL."""
    con.create_function(FUNCTION, identifier_key, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"))
