"""The real exports of tests/data/qda-samples run as waves of a study: the NVivo matrices (one per interview) and
the Taguette export, with interviews files and crosswalks written here. The counts of interviews per code were read
from the files with openpyxl, apart from the code under test."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from support import HEADERS, check, write_csv
from wavecompare.qda.recognise import read_export

SAMPLES = Path(__file__).parent / "data" / "qda-samples"
MATRICES = SAMPLES / "nvivo" / "matrix-coding-query"


def study_of(root: Path, wave: str, documents: list[str], codes: list[str], *, named: bool) -> Path:
    """A one-wave study: an interview per document (its id the document, or `I<n>` with a document column when
    `named` is False), and a mention code per tool code (`c01`…), theme 'views', mapped by the crosswalk."""
    write_csv(root / "waves.csv", HEADERS["waves"], [[wave, "Wave 1", f"{wave}-01-01", f"{wave}-12-31", None]])
    write_csv(root / "codebook.csv", HEADERS["codebook"],
              [[f"c{i:02d}", "views", code, "mention", None] for i, code in enumerate(codes, start=1)])
    write_csv(root / "crosswalk.csv", ["wave_id", "source_code", "code_id", "value"],
              [["", code, f"c{i:02d}", ""] for i, code in enumerate(codes, start=1)])
    header = [*HEADERS["interviews"], *([] if named else ["document"])]
    write_csv(root / wave / "interviews.csv", header, [
        [document if named else f"I{n}", f"{wave}-03-02", "Participants", "Household", "None", "Video", 45,
         *([] if named else [document])] for n, document in enumerate(documents, start=1)])
    return root


def mentions(work: Path, wave: str, labels: dict[str, str]) -> dict[str, tuple[int, int]]:
    """(interviews mentioning it, base) for each code, by its label, for the whole wave."""
    with duckdb.connect(str(work / "check.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT code_id, n, base FROM marts.code_levels WHERE wave_id = ? AND "
                           "stakeholder_group = 'All' AND level = 'mentioned'", [wave]).fetchall()
    return {labels[code]: (n, base) for code, n, base in rows}


def test_fifteen_nvivo_matrices_are_a_wave_of_fifteen_interviews(tmp_path):
    study = tmp_path / "study"
    (study / "2019").mkdir(parents=True)
    for path in MATRICES.glob("*.xlsx"):
        shutil.copy(path, study / "2019")
    cases = [read_export(path).documents[0] for path in sorted(MATRICES.glob("*.xlsx"))]
    codes = list(read_export(MATRICES / "Int01_ID731.xlsx").codes)  # Int01 lists all 18
    study_of(study, "2019", cases, codes, named=True)
    assert check(study, tmp_path)[-1] == "Rows read = loaded + quarantined: all 19 file(s) 104 = 104 + 0."  # 52 codings, 15 + 1 + 18 + 18 rows
    counts = mentions(tmp_path, "2019", {f"c{i:02d}": code for i, code in enumerate(codes, start=1)})
    assert counts["Doesn't often think about insects"] == (6, 15)
    assert counts["Insects are beautiful"] == (6, 15)
    assert counts["Insects may be a future food source"] == (1, 15)
    assert counts["Sees only some insects as pests"] == (1, 15)
    assert sum(n for n, _ in counts.values()) == 52  # interview-code pairs with a reference (65 references)


def test_the_taguette_export_is_a_wave_of_nine_interviews_named_by_their_documents(tmp_path):
    study = tmp_path / "study"
    (study / "2022").mkdir(parents=True)
    shutil.copy(SAMPLES / "taguette" / "all_tags.xlsx", study / "2022")
    export = read_export(SAMPLES / "taguette" / "all_tags.xlsx")
    study_of(study, "2022", list(export.documents), list(export.codes), named=False)
    assert check(study, tmp_path)[-1] == "Rows read = loaded + quarantined: all 5 file(s) 737 = 737 + 0."  # 701 tag rows, 9 + 1 + 13 + 13 rows
    counts = mentions(tmp_path, "2022", {f"c{i:02d}": code for i, code in enumerate(export.codes, start=1)})
    assert counts == {
        "accessibility": (8, 9), "barriers/challenges": (9, 9), "benefits": (9, 9), "delivery": (5, 9),
        "facilitators": (7, 9), "modifications to yoga practice": (6, 9), "motivations": (7, 9),
        "perceptions": (7, 9), "student characteristics": (9, 9), "teacher characteristics": (8, 9),
        "teaching to veterans": (7, 9), "telehealth perspectives": (9, 9), "yoga approach": (8, 9)}


def project_wave(tmp_path: Path, sample: str, wave: str) -> tuple[Path, dict[str, str]]:
    """A study of one wave holding a REFI-QDA sample, a code of the codebook per code of its codebook."""
    study = tmp_path / "study"
    (study / wave).mkdir(parents=True)
    shutil.copy(SAMPLES / sample, study / wave)
    export = read_export(SAMPLES / sample)
    study_of(study, wave, list(export.documents), list(export.codes), named=False)
    return study, {f"c{i:02d}": code for i, code in enumerate(export.codes, start=1)}


def test_the_qc_project_is_a_wave_of_two_interviews_one_coded_with_77_codes(tmp_path):
    study, labels = project_wave(tmp_path, "qc/demo.qdpx", "2017")
    assert check(study, tmp_path)[-1] == "Rows read = loaded + quarantined: all 5 file(s) 732 = 732 + 0."
    counts = mentions(tmp_path, "2017", labels)  # 205 codings, 2 interviews, 1 wave, 262 codes twice
    assert sum(n for n, _ in counts.values()) == 77 and {base for _, base in counts.values()} == {2}
    assert counts["rq2_curriculum_and_instruction\\pedagogy\\fun"][0] == 1


def test_the_nvivo_12_project_is_a_wave_of_two_interviews_one_coded_with_72_codes(tmp_path):
    study, labels = project_wave(tmp_path, "nvivo/OltasSzkepticizmus_17June.qdpx", "2025")
    assert check(study, tmp_path)[-1] == "Rows read = loaded + quarantined: all 5 file(s) 604 = 604 + 0."
    counts = mentions(tmp_path, "2025", labels)  # 297 codings, 2 interviews, 1 wave, 152 codes twice
    assert sum(n for n, _ in counts.values()) == 72 and {base for _, base in counts.values()} == {2}


def test_the_nvivo_15_codebook_only_project_is_a_wave_of_two_interviews_with_no_answers(tmp_path):
    study, labels = project_wave(tmp_path, "nvivo/nvivo_project.qdpx", "2024")
    assert check(study, tmp_path)[-1] == "Rows read = loaded + quarantined: all 4 file(s) 527 = 527 + 0."
    counts = mentions(tmp_path, "2024", labels)  # no codings, 2 interviews, 1 wave, 262 codes twice
    assert len(counts) == 262 and {count for count in counts.values()} == {(0, 2)}
