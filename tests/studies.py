"""Writing small studies for tests, in the forms real offices deliver them."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

HEADERS = {
    "waves": ["wave_id", "label", "fieldwork_start", "fieldwork_end", "planned_interviews"],
    "codebook": ["code_id", "theme", "label", "kind", "levels"],
    "interviews": [
        "interview_id", "interview_date", "stakeholder_group", "organisation_type",
        "organisation", "mode", "duration_minutes",
    ],
    "responses": ["interview_id", "code_id", "value", "excerpt"],
}


def write_csv(path: Path, header: list[str], rows: list[list[object]], *, encoding: str = "utf-8",
              newline: str = "\n", trailing: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        handle.write(trailing)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]], *, blank_rows: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for _ in range(blank_rows):
        sheet.append([None] * len(header))
    workbook.save(path)
    return path


# A three-wave study small enough to count by hand. Wave 2021 has no Charity
# interview; A1 mentions risk_a twice; B2 and C4 leave the level code `aware`
# uncoded; waves.csv lists the waves out of fieldwork order.
WAVES = [
    ["2022", "Wave C", "2022-03-01", "2022-03-31", 4],
    ["2020", "Wave A", "2020-03-01", "2020-03-31", 3],
    ["2021", "Wave B", "2021-03-01", "2021-03-31", 2],
]
CODEBOOK = [
    ["aware", "Awareness", "Aware of the policy", "level", "low|high"],
    ["conf", "confidence", "Confident it works", "level", "no|yes"],
    ["risk_a", "RISK", "Risk A", "mention", None],
    ["risk_b", "risk", "Risk B", "mention", None],
    ["benefit_x", "benefit", "Benefit X", "mention", None],
]
INTERVIEWS = {
    "2020": [
        ["A1", "2020-03-02", "Council", "Local authority", "Town Council", "F2F", 30],
        ["A2", "2020-03-03", "Council", "Local authority", "City Council", "Phone", 40],
        ["A3", "2020-03-04", "Charity", "Third sector", "Café Trust", "Video call", 50],
    ],
    "2021": [
        ["B1", "2021-03-02", "Council", "Local authority", "Town Council", "telephone", 20],
        ["B2", "2021-03-31", "Council", "Local authority", "City Council", "Teams", 25],
    ],
    "2022": [
        ["C1", "2022-03-01", "Charity", "Third sector", "Café Trust", "face to face", 60],
        ["C2", "2022-03-02", "Council", "Local authority", "Town Council", "phone", 45],
        ["C3", "2022-03-03", "Council", "Local authority", "City Council", "carrier pigeon", 35],
        ["C4", "2022-03-04", "Charity", "Third sector", "Youth Trust", "Phone", 15],
    ],
}
RESPONSES = {
    "2020": [
        ["A1", "aware", "high", None],
        ["A1", "risk_a", None, "first mention"],
        ["A1", "risk_a", "2", "second mention, counted once"],
        ["A1", "conf", "yes", None],
        ["A2", "aware", "low", None],
        ["A2", "risk_b", None, None],
        ["A3", "aware", "High", None],
        ["A3", "risk_a", None, None],
        ["A3", "benefit_x", None, None],
    ],
    "2021": [
        ["B1", "aware", "low", None],
        ["B2", "risk_a", None, None],
    ],
    "2022": [
        ["C1", "aware", "high", None],
        ["C1", "risk_a", None, None],
        ["C1", "risk_b", None, None],
        ["C2", "aware", "low", None],
        ["C3", "aware", "high", None],
        ["C3", "conf", "no", None],
        ["C4", "risk_b", None, None],
    ],
}


def write_tiny_study(root: Path) -> Path:
    """The three-wave study above as plain UTF-8 CSV."""
    write_csv(root / "waves.csv", HEADERS["waves"], WAVES)
    write_csv(root / "codebook.csv", HEADERS["codebook"], CODEBOOK)
    for wave_id in INTERVIEWS:
        write_csv(root / wave_id / "interviews.csv", HEADERS["interviews"], INTERVIEWS[wave_id])
        write_csv(root / wave_id / "responses.csv", HEADERS["responses"], RESPONSES[wave_id])
    return root


def as_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def run_pipeline(raw_dir: Path, work: Path):
    """Run the flow in-process on `raw_dir`, publishing under `work`; returns the final state."""
    from wavecompare.pipeline import wavecompare_flow

    return wavecompare_flow(raw_dir, work / "warehouse.duckdb", work / "processed", return_state=True)


def query(work: Path, sql: str) -> list[tuple]:
    """Rows of a query against the published warehouse, read-only."""
    import duckdb

    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()
