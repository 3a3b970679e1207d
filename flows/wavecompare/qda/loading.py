"""Loading a coding tool's export into the raw layer: its codings into raw.codings and its documents into
raw.documents, each row with the lineage every raw row has (sql/raw/export_rows.sql).

The export is read whole (`recognise.read_export`) before anything is inserted, so a refused export leaves
nothing behind; its sha256 is taken again afterwards, so that the hash recorded is that of what was read.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from wavecompare import sqlfiles
from wavecompare.discover import InputFile, sha256_of
from wavecompare.problems import Problem
from wavecompare.tabular import CHANGED, registered

from .archive import Refused
from .headers import FILE_NAME, parse
from .recognise import read_export
from .segment_lists import Headers


def loaded_headers(con: duckdb.DuckDBPyConnection) -> tuple[Headers, list[Problem]]:
    """The header names export_headers.csv adds (raw.export_headers, empty without one), and its problems."""
    rows = con.execute(sqlfiles.text("raw/export_headers.sql")).fetchall()
    return parse([row[:4] for row in rows], rows[0][4] if rows else FILE_NAME)


def load_export(con: duckdb.DuckDBPyConnection, file: InputFile, *, headers: Headers, run_id: str,
                loaded_at: dt.datetime) -> tuple[int, list[Problem]]:
    """Append the export's codings and documents to the raw layer; returns (codings loaded, problems)."""
    try:
        export = read_export(file.path, headers)
    except Refused as refused:
        return 0, [Problem(file.name, str(refused))]
    if sha256_of(file.path) != file.sha256:
        return 0, [Problem(file.name, CHANGED)]
    codings = export.codings.assign(source_row=range(1, len(export.codings) + 1))
    documents = pd.DataFrame({"document": pd.Series(export.documents, dtype="string"),
                              "source_row": range(1, len(export.documents) + 1)})
    sqlfiles.run(con, "raw/file_lineage.sql", source_file=file.name, source_sha256=file.sha256,
                 loaded_at=loaded_at, run_id=run_id, folder_wave_id=file.wave_id)
    with registered(con, "export_codings", codings), registered(con, "export_documents", documents):
        sqlfiles.run(con, "raw/export_rows.sql")
    return len(codings), []
