"""One streaming pass over an input file's bytes, as the loader reads it.

The pass hashes what it reads (so the recorded sha256 is that of the bytes
loaded), notes the file's identity when it finished (to tell a file replaced
before DuckDB or openpyxl read it), checks that CSV text is UTF-8, and counts
a CSV file's records itself, without DuckDB's reader: DuckDB keeps no trace of
some rows it cannot read (a line over its limit), so its row counts cannot
check themselves. The counting is vectorised over 1 MiB chunks with numpy:
no Python per row.

Records are told as DuckDB's reader (quote and escape `"`, strict mode) and
Python's csv module tell them: a line ends at LF, CRLF or a lone CR outside
quotes; a quote opens a quoted field only at the start of a field, and a quote
elsewhere in an unquoted field is a character; a blank line is no record but
counts as a row, as in a text editor (the header is row 1).
"""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CHUNK = 1 << 20
BOM = b"\xef\xbb\xbf"
QUOTE, COMMA, LF, CR, NUL = 34, 44, 10, 13, 0
FIELD_STARTS = (COMMA, LF, CR)


def identity(stat: os.stat_result) -> tuple[int, int, int]:
    """What changes when a file is replaced or written to: inode, size, modification time."""
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@dataclass(frozen=True)
class BadRow:
    """A row the loader sets aside itself: bytes [start, end) of the file, without the line end."""

    row: int
    start: int
    end: int
    too_long: bool
    has_nul: bool


@dataclass(frozen=True)
class Layout:
    """A CSV file's rows as counted by the pass."""

    records: int  # rows after the header that are not blank
    last_record: int  # the row of the last record (1 when there is none)
    blank_rows: np.ndarray  # rows that are blank lines
    bad_rows: tuple[BadRow, ...]  # rows longer than the limit or holding a NUL byte
    first_nul: int | None  # byte offset of the first NUL byte


@dataclass(frozen=True)
class Pass:
    sha256: str
    identity: tuple[int, int, int]
    utf8: bool
    layout: Layout | None


class _Records:
    """The record structure, fed one chunk at a time with the first byte of the next."""

    def __init__(self, limit: int, start: int) -> None:
        self.limit = limit
        self.start = start  # where the first field starts (after a byte order mark)
        self.offset = 0  # file offset of the chunk being fed
        self.inside = False  # inside quotes at the start of the chunk
        self.last_toggle = -2  # offset of the last quote that opened or closed a quoted field
        self.prev: int | None = None  # the last byte of the previous chunk
        self.line_start = 0
        self.rows = 0  # lines ended so far
        self.last_record = 1
        self.blank: list[np.ndarray] = []
        self.bad: list[BadRow] = []
        self.nul_rows = np.empty(0, dtype=np.int64)  # rows found holding NUL, not yet ended
        self.first_nul: int | None = None

    def _toggles(self, data: np.ndarray, quotes: np.ndarray) -> np.ndarray:
        """The quotes that open or close a quoted field. Fast path: all of them (well-formed CSV), checked
        by testing that each quote that would open a field follows a field's start; else decided one by one."""
        openers = quotes[(np.arange(quotes.size) + self.inside) % 2 == 0]
        before = data[np.maximum(openers - 1, 0)]
        fine = _field_start(before) | ((before == QUOTE) & (openers > 0)) | (openers + self.offset == self.start)
        if openers.size and openers[0] == 0 and not fine[0]:
            fine[0] = self._opens(self.prev, self.offset)
        if fine.all():
            if quotes.size:
                self.inside ^= bool(quotes.size % 2)
                self.last_toggle = self.offset + int(quotes[-1])
            return quotes
        kept = []
        for position in quotes.tolist():
            at = self.offset + position
            if self.inside or self._opens(int(data[position - 1]) if position else self.prev, at):
                self.inside = not self.inside
                self.last_toggle = at
                kept.append(position)
        return np.array(kept, dtype=np.int64)

    def _opens(self, before: int | None, at: int) -> bool:
        """Whether a quote at `at`, outside quotes, opens a quoted field (or is the second of an escaped pair)."""
        return at == self.start or before in FIELD_STARTS or (before == QUOTE and self.last_toggle == at - 1)

    def feed(self, chunk: bytes, following: int | None) -> None:
        data = np.frombuffer(chunk, dtype=np.uint8)
        inside_at_start = self.inside
        toggles = self._toggles(data, np.flatnonzero(data == QUOTE))
        returns = np.flatnonzero(data == CR)
        after = data[np.minimum(returns + 1, data.size - 1)]
        if returns.size and returns[-1] == data.size - 1:
            after[-1] = following if following is not None else NUL
        ends = np.sort(np.concatenate((np.flatnonzero(data == LF), returns[after != LF])))  # CRLF ends at its LF
        ends = ends[(np.searchsorted(toggles, ends) + inside_at_start) % 2 == 0]
        self._nuls(data, ends)
        self._lines(data, ends)
        self.prev = int(data[-1])
        self.offset += data.size

    def _nuls(self, data: np.ndarray, ends: np.ndarray) -> None:
        nuls = np.flatnonzero(data == NUL)
        if nuls.size:
            if self.first_nul is None:
                self.first_nul = self.offset + int(nuls[0])
            rows = self.rows + 1 + np.searchsorted(ends, nuls)
            self.nul_rows = np.union1d(self.nul_rows, rows)

    def _lines(self, data: np.ndarray, ends: np.ndarray) -> None:
        if not ends.size:
            return
        stops = ends + self.offset  # offset of each line's last byte
        starts = np.append(self.line_start, stops[:-1] + 1)
        lengths = stops - starts + 1
        before_end = np.where(ends > 0, data[np.maximum(ends - 1, 0)], self.prev if self.prev is not None else NUL)
        crlf = (data[ends] == LF) & (before_end == CR) & (lengths >= 2)
        blank = (lengths == 1) | ((lengths == 2) & crlf)
        rows = self.rows + 1 + np.arange(ends.size)
        self.blank.append(rows[blank])
        records = rows[~blank & (rows > 1)]
        if records.size:
            self.last_record = int(records[-1])
        too_long = lengths > self.limit
        has_nul = np.isin(rows, self.nul_rows) if self.nul_rows.size else np.zeros(rows.size, dtype=bool)
        for index in np.flatnonzero(too_long | has_nul).tolist():
            end = int(stops[index]) + 1 - (2 if crlf[index] else 1)
            self.bad.append(BadRow(int(rows[index]), int(starts[index]), end, bool(too_long[index]),
                                   bool(has_nul[index])))
        self.nul_rows = self.nul_rows[self.nul_rows > rows[-1]]
        self.rows += ends.size
        self.line_start = int(stops[-1]) + 1

    def finish(self) -> Layout:
        """The last line, when the file does not end with a line end, then the layout."""
        if self.offset > self.line_start:
            row = self.rows + 1
            length = self.offset - self.line_start + 1  # counted with a line end, as DuckDB counts it
            too_long, has_nul = length > self.limit, bool(np.isin(row, self.nul_rows))
            if row > 1:
                self.last_record = row
            if too_long or has_nul:
                self.bad.append(BadRow(row, self.line_start, self.offset, too_long, has_nul))
            self.rows = row
        blank = np.concatenate(self.blank) if self.blank else np.empty(0, dtype=np.int64)
        records = self.rows - 1 - int(np.count_nonzero(blank > 1)) if self.rows else 0
        return Layout(max(records, 0), self.last_record, blank, tuple(self.bad), self.first_nul)


def _field_start(before: np.ndarray) -> np.ndarray:
    return (before == COMMA) | (before == LF) | (before == CR)


def read_pass(path: Path, *, csv_limit: int | None = None) -> Pass:
    """Read the file once: its sha256 and identity, and with `csv_limit` (the longest row accepted, in bytes)
    whether it is UTF-8 and its CSV layout."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = csv_limit is not None
    records = None
    with path.open("rb") as handle:
        if csv_limit is not None:
            records = _Records(csv_limit, len(BOM) if handle.read(len(BOM)) == BOM else 0)
            handle.seek(0)
        chunk = handle.read(CHUNK)
        while chunk:
            following = handle.read(CHUNK)
            digest.update(chunk)
            if utf8:
                utf8 = _decodes(decoder, chunk)
            if records is not None:
                records.feed(chunk, following[0] if following else None)
            chunk = following
        utf8 = utf8 and _decodes(decoder, b"", final=True)
        seen = identity(os.fstat(handle.fileno()))
    return Pass(digest.hexdigest(), seen, utf8, records.finish() if records is not None else None)


def _decodes(decoder: codecs.IncrementalDecoder, chunk: bytes, final: bool = False) -> bool:
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return True
