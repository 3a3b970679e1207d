"""Waves coded in a coding tool: the example study re-expressed by the test as one REFI-QDA project per wave (and
as MAXQDA coded-segment exports) plus a crosswalk gives the tables of its responses files, byte for byte; and an
export's codes missing from the crosswalk, a document no interview row names, or a wave with both a responses
file and an export are refused, naming them."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from support import EXAMPLE, check, published, run, write_csv, write_xlsx

TABLES = ("stakeholder_mix", "interview_duration", "awareness", "confidence", "risk_mentions")
NS = "urn:QDA-XML:project:1.0"


def responses_of(wave: Path) -> list[dict]:
    with (wave / "responses.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def interview_ids(wave: Path) -> list[str]:
    with (wave / "interviews.csv").open(encoding="utf-8", newline="") as handle:
        return [row["interview_id"] for row in csv.DictReader(handle)]


def code_path(row: dict) -> str:
    """The tool's code for a response: the code, and under it the level for a level code."""
    return f"{row['code_id']}\\{row['value']}" if row["value"] else row["code_id"]


def write_crosswalk(study: Path, rows: list[dict]) -> None:
    paths = {code_path(row): (row["code_id"], row["value"]) for row in rows}
    write_csv(study / "crosswalk.csv", ["wave_id", "source_code", "code_id", "value"],
              [["", path, code_id, value] for path, (code_id, value) in paths.items()])


def as_project(wave: Path) -> None:
    """The wave's responses as a REFI-QDA project: a text source per interview holding its excerpts one per
    line, a selection per response (empty where the response has no excerpt), a code per mention code and per
    level code, with its levels as codes under it."""
    rows = responses_of(wave)
    guids = {path: f"c{i}" for i, path in enumerate(dict.fromkeys(map(code_path, rows)))}
    levels: dict[str, list[str]] = {}  # a level code's levels are codes nested under it
    for path in guids:
        code, _, level = path.partition("\\")
        levels.setdefault(code, []).extend([level] if level else [])
    codes = "".join(
        f'<Code guid="{guids.get(code, "p" + code)}" name={quoteattr(code)} isCodable="true">'
        + "".join(f'<Code guid="{guids[code + chr(92) + level]}" name={quoteattr(level)} isCodable="true"/>'
                  for level in children) + "</Code>"
        for code, children in levels.items())
    sources, texts = [], {}
    for number, interview in enumerate(interview_ids(wave)):
        text, selections = "", []
        for i, row in enumerate(r for r in rows if r["interview_id"] == interview):
            start = len(text)
            text += row["excerpt"]
            selections.append(f'<PlainTextSelection guid="s{number}-{i}" startPosition="{start}" '
                              f'endPosition="{len(text)}"><Coding guid="g{number}-{i}">'
                              f'<CodeRef targetGUID="{guids[code_path(row)]}"/></Coding></PlainTextSelection>')
            text += "\n"
        texts[f"sources/{number}.txt"] = text
        sources.append(f'<TextSource guid="t{number}" name={quoteattr(interview)} '
                       f'plainTextPath="internal://{number}.txt">{"".join(selections)}</TextSource>')
    xml = (f'<Project xmlns="{NS}" name="wave" origin="test"><CodeBook><Codes>{codes}</Codes></CodeBook>'
           f'<Sources>{"".join(sources)}</Sources></Project>')
    with zipfile.ZipFile(wave / "coding.qdpx", "w", zipfile.ZIP_DEFLATED) as project:
        project.writestr("project.qde", xml)
        for name, text in texts.items():
            project.writestr(name, text)


def as_maxqda(wave: Path) -> None:
    """The wave's responses as MAXQDA's coded segments (German headers), one row per response."""
    write_xlsx(wave / "Codierte Segmente.xlsx", ["Farbe", "Dokumentgruppe", "Dokumentname", "Code", "Anfang",
                                                  "Ende", "Gewicht", "Segment"],
               [["#000000", wave.name, row["interview_id"], code_path(row), i, i, 0, row["excerpt"] or None]
                for i, row in enumerate(responses_of(wave), start=1)])


def imported(root: Path, convert) -> Path:
    study = shutil.copytree(EXAMPLE, root)
    waves = sorted(path for path in study.iterdir() if path.is_dir())
    write_crosswalk(study, [row for wave in waves for row in responses_of(wave)])
    for wave in waves:
        convert(wave)
        (wave / "responses.csv").unlink()
    return study


@pytest.mark.e2e
@pytest.mark.parametrize("convert", [as_project, as_maxqda], ids=["REFI-QDA projects", "MAXQDA exports"])
def test_the_example_study_coded_in_a_tool_publishes_the_same_tables(tmp_path, example_published, convert):
    study = imported(tmp_path / "study", convert)
    status, out, err = run(tmp_path, study=study)
    assert status == 0, out + err
    assert "Rows read = loaded + quarantined: all 7 file(s) 338 = 338 + 0." in out  # 306, and 32 crosswalk rows
    assert ("Codes of the coding tools' exports coded in some waves only (7; check the crosswalk where a code was "
            "renamed, split or merged): aware_practice\\very familiar (2013); aware_theory\\not aware (2012); "
            "conf_practice\\conditional (2013); conf_theory\\confident (2013); conf_theory\\not confident (2012); "
            "risk_funding_commitment (2013); risk_peer_robustness (2013).") in out.splitlines()
    for table in TABLES:
        assert (published(tmp_path, f"{table}.csv").read_bytes()
                == published(example_published, f"{table}.csv").read_bytes()), table


def marts(work: Path) -> dict[str, list[tuple]]:
    import duckdb

    with duckdb.connect(str(work / "check.duckdb"), read_only=True) as con:
        return {table: con.execute(f"SELECT * FROM marts.{table} ORDER BY ALL").fetchall() for table in TABLES}


def segments_study(root: Path, crosswalk: list[list[str]], segments: list[list[str]]) -> Path:
    """The example study with wave 2012's responses replaced by a MAXQDA export of `segments`."""
    study = shutil.copytree(EXAMPLE, root)
    (study / "2012" / "responses.csv").unlink()
    write_xlsx(study / "2012" / "segments.xlsx", ["Document name", "Code", "Segment"], segments)
    write_csv(study / "crosswalk.csv", ["wave_id", "source_code", "code_id", "value"], crosswalk)
    return study


def test_a_code_missing_from_the_crosswalk_is_refused_and_one_left_out_on_purpose_is_not(tmp_path):
    study = segments_study(tmp_path / "study", [["", "Risks\\Cost", "", ""]], [
        ["W1-01", "Risks\\Cost", "It will cost."], ["W1-01", "Awareness\\High", "I know it."],
        ["W1-02", "Awareness\\High", "Yes."]])
    lines = check(study, tmp_path)  # and the interviews without a document, told apart
    assert (
        "- 2012/segments.xlsx: the coding tool's code is not in crosswalk.csv; add a row for it with its code_id "
        "(or an empty code_id to leave it out on purpose): 2 row(s) affected: document W1-01, segment row 3: "
        "'Awareness\\\\High' (row 2); document W1-02, segment row 4: 'Awareness\\\\High' (row 3)") in lines


def test_a_document_no_interview_names_is_refused(tmp_path):
    study = segments_study(tmp_path / "study", [["", "Risks\\Cost", "risk_transparency", ""]], [
        ["W1-01", "Risks\\Cost", "It will cost."], ["Interview 99", "Risks\\Cost", "Too dear."]])
    lines = check(study, tmp_path)
    assert ("- 2012/segments.xlsx, column interview_id: no interview with this interview_id in the "
                        "wave's interviews file: 1 row(s) affected: document Interview 99, segment row 3: "
                        "'Interview 99' (row 2)") in lines


def test_a_wave_with_a_responses_file_and_an_export_is_refused(tmp_path):
    study = shutil.copytree(EXAMPLE, tmp_path / "study")
    write_xlsx(study / "2012" / "segments.xlsx", ["Document name", "Code", "Segment"], [["W1-01", "Risks", "x"]])
    assert check(study, tmp_path)[1:] == [
        "- 2012/responses.csv: the wave holds a responses file and coding tools' exports (segments.xlsx): keep one "
        "source of its coded responses"]


def with_coded_column(study: Path, not_coded: set[str]) -> None:
    """Wave 2012's interviews file with a coded column: no for `not_coded`, empty for the others."""
    path = study / "2012" / "interviews.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        [header, *rows] = list(csv.reader(handle))
    write_csv(path, [*header, "coded"], [[*row, "no" if row[0] in not_coded else ""] for row in rows])


def test_an_interview_without_a_document_is_refused_unless_marked_not_coded(tmp_path):
    """Wave 2012 coded in a tool with documents for W1-01 and W1-02 only: its other 8 interviews would count in
    every base with no answer, so they are refused until the interviews file marks them coded = no; then the
    tables' notes say so."""
    import duckdb

    from wavecompare.release.tables import build_tables

    study = segments_study(tmp_path / "study", [["", "Risks\\Cost", "risk_transparency", ""]], [
        ["W1-01", "Risks\\Cost", "It will cost."], ["W1-02", "Risks\\Cost", "Too dear."]])
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    lines = check(study, tmp_path / "first")
    assert lines[1] == (
        "- 2012/interviews.csv, column interview_id: the wave is coded in a coding tool and no document of its "
        "exports is this interview; name its document in the document column, or mark it coded = no (left out, it "
        "would lower every percentage): 8 row(s) affected: row 4 'W1-03', row 5 'W1-04', row 6 'W1-05', "
        "row 7 'W1-06', row 8 'W1-07' and 3 more")
    with_coded_column(study, {f"W1-{i:02d}" for i in range(3, 11)})
    assert check(study, tmp_path / "second")[-1].endswith(" + 0.")
    with duckdb.connect(str(tmp_path / "second" / "check.duckdb")) as con:
        assert con.execute("SELECT wave_id, interviews, not_coded FROM marts.waves ORDER BY ALL").fetchall() == [
            ("2012", 10, 8), ("2013", 15, 0)]
        risks = next(table for table in build_tables(con).tables if table.name == "risk_mentions")
    assert ("Wave 1 (June-July 2012): 8 of the 10 interviews were not coded (marked so in the interviews file); they count in the "
            "bases and give no answer, so they lower every percentage.") in risks.notes


def test_a_crosswalk_that_maps_a_code_twice_or_to_what_the_codebook_lacks_is_refused(tmp_path):
    study = segments_study(tmp_path / "study", [
        ["", "Risks\\Cost", "risk_transparency", ""], ["", "Risks\\Cost", "risk_lack_of_evidence", ""],
        ["", "Aware", "aware_theory", "fully"], ["", "Other", "no_such_code", ""],
        ["1999", "Cost", "risk_transparency", "high"]],
        [[f"W1-{i:02d}", "Risks\\Cost", "x"] for i in range(1, 11)])
    problems = [line for line in check(study, tmp_path) if line.startswith("- crosswalk.csv")]
    assert problems == [
        "- crosswalk.csv, column value: a level code needs its level here, one of the code's levels in the codebook: "
        "1 row(s) affected: row 4 'fully (levels: not aware | heard of it | aware | very famili…'",
        "- crosswalk.csv, column value: a mention code takes no value; leave it empty: 1 row(s) affected: "
        "row 6 'high'",
        "- crosswalk.csv, column code_id: the code_id is not in the codebook (or is listed there more than once): "
        "1 row(s) affected: row 5 'no_such_code'",
        "- crosswalk.csv, column source_code: the source code is listed more than once for this wave (or for every "
        "wave); keep one row, since a code maps to one code_id: 2 row(s) affected: row 2 'Risks\\\\Cost', "
        "row 3 'Risks\\\\Cost'",
        "- crosswalk.csv, column wave_id: the wave_id is not in waves.csv (leave it empty for every wave): "
        "1 row(s) affected: row 6 '1999'"]


def test_one_project_wide_export_codes_every_wave_through_the_interviews_files(tmp_path):
    """Both waves' responses as one REFI-QDA project in coding/ (its documents are the interviews of both
    waves, each assigned to its wave by the interviews files): the marts of the responses files."""
    assert check(shutil.copytree(EXAMPLE, tmp_path / "csv" / "study"), tmp_path / "csv")[-1].endswith(" + 0.")
    study = shutil.copytree(EXAMPLE, tmp_path / "project" / "study")
    waves = ("2012", "2013")
    rows = [row for wave in waves for row in responses_of(study / wave)]
    write_crosswalk(study, rows)
    both = study / "coding"
    write_csv(both / "responses.csv", ["interview_id", "code_id", "value", "excerpt"],
              [[row["interview_id"], row["code_id"], row["value"], row["excerpt"]] for row in rows])
    write_csv(both / "interviews.csv", ["interview_id"], [[i] for wave in waves for i in interview_ids(study / wave)])
    as_project(both)
    for path in (both / "responses.csv", both / "interviews.csv", *(study / wave / "responses.csv" for wave in waves)):
        path.unlink()
    assert check(study, tmp_path / "project") == ["Rows read = loaded + quarantined: all 6 file(s) 338 = 338 + 0."]
    assert marts(tmp_path / "project") == marts(tmp_path / "csv")


def test_a_project_wide_export_document_listed_in_two_waves_is_refused(tmp_path):
    study = shutil.copytree(EXAMPLE, tmp_path / "study")
    (study / "coding").mkdir()
    write_xlsx(study / "coding" / "segments.xlsx", ["Document name", "Code", "Segment"], [["W1-01", "Risks", "x"]])
    for wave in ("2012", "2013"):
        (study / wave / "responses.csv").unlink()
    with_document(study / "2013", {"W2-01": "W1-01"})
    write_csv(study / "crosswalk.csv", ["wave_id", "source_code", "code_id", "value"],
              [["", "Risks", "risk_transparency", ""]])
    lines = check(study, tmp_path)
    assert ("- 2013/interviews.csv, column interview_id: with a project-wide export in coding/, a document names "
            "one interview of the study, and this interview's document (its document column, or its interview_id) "
            "is another wave's too; name each interview's document in the document column: 1 row(s) affected: "
            "row 2 'W2-01'") in lines


def with_document(wave: Path, documents: dict[str, str]) -> None:
    """The wave's interviews file with a document column: `documents` by interview_id, empty for the others."""
    path = wave / "interviews.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        [header, *rows] = list(csv.reader(handle))
    write_csv(path, [*header, "document"], [[*row, documents.get(row[0], "")] for row in rows])


def test_an_interview_in_a_responses_file_and_the_project_wide_export_is_refused(tmp_path):
    study = shutil.copytree(EXAMPLE, tmp_path / "study")
    (study / "coding").mkdir()
    write_xlsx(study / "coding" / "segments.xlsx", ["Document name", "Code", "Segment"],
               [[f"W1-{i:02d}", "Risks", "x"] for i in range(1, 11)] + [["W2-01", "Risks", "y"]])
    (study / "2012" / "responses.csv").unlink()
    write_csv(study / "crosswalk.csv", ["wave_id", "source_code", "code_id", "value"],
              [["", "Risks", "risk_transparency", ""]])
    lines = check(study, tmp_path)
    assert lines[1:-1] == [
        "- 2013/interviews.csv, column interview_id: the interview is coded in its wave's responses file and is a "
        "document of the project-wide export in coding/ too; keep one source of its coded responses: 1 row(s) "
        "affected: row 2 'W2-01'"]


FRENCH = ["Couleur", "Groupe de documents", "Nom du document", "Code", "Début", "Fin", "Poids", "Segment"]


def test_a_maxqda_export_in_french_reads_through_export_headers(tmp_path, capsys):
    """French headers are not built in: refused with what was looked for, then read once export_headers.csv
    names them (by the run and by `wavecompare codes --headers`); a bad row of that file is refused naming it."""
    from wavecompare.cli import main

    study = shutil.copytree(EXAMPLE, tmp_path / "study")
    (study / "2012" / "responses.csv").unlink()
    segments = write_xlsx(study / "2012" / "segments.xlsx", FRENCH,
                          [["#000000", "2012", f"W1-{i:02d}", "Risks", 1, 1, 0, "x"] for i in range(1, 11)])
    write_csv(study / "crosswalk.csv", ["wave_id", "source_code", "code_id", "value"],
              [["", "Risks", "risk_transparency", ""]])
    (tmp_path / "first").mkdir()
    assert check(study, tmp_path / "first")[1].startswith(
        "- 2012/segments.xlsx: the export is not one this tool reads. Its first row holds 'Couleur', ")
    headers = write_csv(study / "export_headers.csv", ["tool", "field", "header"],
                        [["maxqda", "document", "Nom du document"], ["MAXQDA", "start", "Début"],
                         ["maxqda", "end", " fin "]])
    (tmp_path / "second").mkdir()
    assert check(study, tmp_path / "second")[-1] == (
        "Rows read = loaded + quarantined: all 8 file(s) 235 = 235 + 0.")  # 306 - 85 + 10 codings + 1 + 3 rows
    assert main(["codes", "--headers", str(headers), str(segments)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "Risks          10"
    write_csv(headers, ["tool", "field", "header"], [["nvivo", "document", "Nom"], ["maxqda", "page", "Page"]])
    assert main(["codes", "--headers", str(headers), str(segments)]) == 1
    assert capsys.readouterr().err.splitlines()[2:] == [
        f"- {headers}, column field: the field is one of the tool's: document, code, excerpt, start, end: "
        "1 row(s) affected: row 3 'page'",
        f"- {headers}, column tool: the tool is one of taguette, maxqda, atlas.ti: 1 row(s) affected: "
        "row 2 'nvivo'"]
