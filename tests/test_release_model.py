"""The typed release model: rows are known by their flags and waves by their ids, never by their wording.

Two bugs of the display-frame release are pinned here: a code labelled "Baseline data missing" was taken for a
base row (its label starts with "Base"), so it was styled as one and dropped from the charts; and wave columns
were keyed by label, so two waves of one label overwrote each other without a word.
"""

from __future__ import annotations

import csv
import shutil

import duckdb
import openpyxl
import pytest

from release_fixtures import QUOTES, RUN, TABLES, banner, base
from support import EXAMPLE, check, run_pipeline
from wavecompare.release import display
from wavecompare.release.charts import write_charts
from wavecompare.release.model import Wave
from wavecompare.release.tables import build_tables
from wavecompare.release.writer import write_release

BASELINE = "Baseline data missing"


@pytest.mark.e2e
def test_a_code_labelled_baseline_is_a_code_not_a_base_row(tmp_path):
    study = shutil.copytree(EXAMPLE, tmp_path / "study")
    codebook = study / "codebook.csv"
    codebook.write_text(codebook.read_text(encoding="utf-8").replace("Lack of evidence of improvement", BASELINE),
                        encoding="utf-8")
    assert run_pipeline(study, tmp_path).is_completed()
    release = tmp_path / "processed" / "current" / "release"
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        risks = next(t for t in build_tables(con).tables if t.name == "risk_mentions")
    assert risks.rows[risks.rows.label == BASELINE].is_base.tolist() == [False, False, False]  # All and 2 groups
    assert risks.rows.is_base.sum() == 3
    sheet = openpyxl.load_workbook(release / "wave_comparison.xlsx")["Risk mentions"]
    [cell] = [row[0] for row in sheet.iter_rows(min_row=5) if row[0].value == BASELINE]
    assert not cell.font.bold and sheet.cell(cell.row, 2).value == "3 of 10 (30%)"
    assert f">{BASELINE}<" in (release / "charts" / "risk_mentions.svg").read_text(encoding="utf-8")


def test_two_waves_of_one_label_are_two_waves_in_the_model_and_the_long_csv(tmp_path):
    """Validation refuses such a study (the next test); the model still never merges waves by label."""
    twins = banner("risk_mentions", "Risks", [
        base(("All", "Base (interviews)"), 10, 15),
        (("All", "Cost"), [4, 10, 40.0, "4 of 10", "16.8–68.7", ""], [6, 15, 40.0, "6 of 15", "19.8–64.3", ""],
         [0.0, "no significant change, p = 1.0 (adjusted 1.0)", 1.0, 1.0]),
    ])
    twins = type(twins)(**{**twins.__dict__, "waves": (Wave("2012", "Wave"), Wave("2013", "Wave"))})
    assert twins.values[twins.values.row == 1][["wave_id", "n", "base"]].values.tolist() == [
        ["2012", 4, 10], ["2013", 6, 15]]
    assert display.printed(twins).texts[1].tolist() == ["Cost", "4 of 10 (40%)", "6 of 15 (40%)", "0", "n.s. (p 1.0)"]
    write_release([twins], QUOTES, tmp_path / "release", run=RUN)
    with open(tmp_path / "release" / "risk_mentions.csv", encoding="utf-8-sig", newline="") as handle:
        rows = [(r["wave_id"], r["wave"], r["n"]) for r in csv.DictReader(handle) if r["label"] == "Cost"]
    assert rows == [("2012", "Wave", "4"), ("2013", "Wave", "6")]


def test_a_study_with_two_waves_of_one_label_is_refused(tmp_path):
    study = shutil.copytree(EXAMPLE, tmp_path / "study")
    waves = study / "waves.csv"
    waves.write_text(waves.read_text(encoding="utf-8").replace("Wave 2 (October-November 2013)",
                                                               "wave 1 (june-july 2012)"), encoding="utf-8")
    assert ("- waves.csv, column label: another wave has the same label (ignoring case); the release names waves by "
            "their labels, so each wave needs its own: 2 row(s) affected: wave 2012: 'Wave 1 (June-July 2012)' (row 2); "
            "wave 2013: 'wave 1 (june-july 2012)' (row 3)") in check(study, tmp_path)


def test_withheld_counts_are_not_in_the_model_to_be_drawn(tmp_path):
    """A withheld count is NA with its flag: a writer cannot print or draw its size."""
    risks = next(t for t in TABLES if t.name == "risk_mentions")
    withheld = risks.values[risks.values.withheld]
    assert len(withheld) == 1 and withheld.n.isna().all() and withheld.pct.isna().all()
    write_charts([risks], tmp_path, RUN)
    assert "Peer challenge not robust enough" in (tmp_path / "risk_mentions.svg").read_text(encoding="utf-8")
