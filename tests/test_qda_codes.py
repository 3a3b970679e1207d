"""`wavecompare codes PATH… [-o FILE]`: the code paths of exports with their codings per wave, the codes that
drift between waves, and a starter crosswalk that never overwrites a file."""

from __future__ import annotations

import shutil
from pathlib import Path

from support import write_csv
from wavecompare.cli import main

MATRICES = Path(__file__).parent / "data" / "qda-samples" / "nvivo" / "matrix-coding-query"


def two_waves(root: Path) -> list[Path]:
    """A study folder with a waves file and one NVivo matrix in each of two wave folders."""
    (root / "2012").mkdir(parents=True)
    (root / "2013").mkdir()
    write_csv(root / "waves.csv", ["wave_id"], [["2012"], ["2013"]])
    return [Path(shutil.copy(MATRICES / "Int01_ID731.xlsx", root / "2012")),
            Path(shutil.copy(MATRICES / "Int13_ID14.xlsx", root / "2013"))]


def test_codes_lists_each_code_path_with_its_codings_per_wave_and_the_drift(tmp_path, capsys):
    assert main(["codes", *map(str, two_waves(tmp_path))]) == 0
    out = capsys.readouterr().out.splitlines()
    width = len("Humans have a responsibility towards the environment")  # the longest path: 52
    assert out[:3] == [f"{'code path':<{width}}    2012    2013",
                       "Doesn't often think about insects".ljust(width) + "       2       1",
                       f"{'Insects are economically important':<{width}}       1       0"]
    assert len(out) == 1 + 18 + 2  # header, Int01's 18 codes (Int13's 4 among them), blank line, drift line
    assert out[-1] == ("7 code(s) coded in some of these and not others: Insects are economically important; "
                       "Insects are agriculturally important; Insects have pharmaceutical benefit; Insects may be a "
                       "future food source; Humans have a responsibility towards the environment; Does not like "
                       "insects; Sees only some insects as pests")


def test_a_starter_crosswalk_is_written_once_and_never_over_a_file(tmp_path, capsys):
    export = write_csv(tmp_path / "highlights.csv", ["id", "document", "tag", "content"],
                       [["1", "A1", "cost", "It costs."], ["2", "A1", "=HYPERLINK(1)", "x"], ["3", "B2", "cost", "y"]])
    crosswalk = tmp_path / "crosswalk.csv"
    assert main(["codes", str(export), "-o", str(crosswalk)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"Starter crosswalk: {crosswalk} (2 code paths; fill in code_id and value)")
    written = crosswalk.read_bytes().decode("utf-8")
    assert written == "wave_id,source_code,code_id,value\r\n,cost,,\r\n,'=HYPERLINK(1),,\r\n"
    assert main(["codes", str(export), "-o", str(crosswalk)]) == 1
    assert capsys.readouterr().err == (f"wavecompare: codes: {crosswalk} exists; it was not changed "
                                       "(choose another -o FILE)\n")
    assert crosswalk.read_bytes().decode("utf-8") == written


def test_codes_of_a_file_that_is_no_export_fail_naming_it(tmp_path, capsys):
    other = write_csv(tmp_path / "notes.csv", ["Interview", "Theme"], [["A1", "cost"]])
    assert main(["codes", str(other)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"wavecompare: codes failed: {other}: the export is not one this tool reads. Its first "
                          "row holds 'Interview', 'Theme'; looked for a REFI-QDA project (.qdpx)")
    assert main(["codes", str(tmp_path / "missing.qdpx")]) == 1
    assert capsys.readouterr().err == f"wavecompare: codes failed: no such file: {tmp_path / 'missing.qdpx'}\n"
