"""REFI-QDA projects (.qdpx) as the tools write them (the real samples in tests/data/qda-samples, whose README
says where each came from), and hostile archives each test writes: zip bombs, zip-slip, XML entities, sources
outside the archive. Counts are from reading the files, not from the reader."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from wavecompare.qda import archive
from wavecompare.qda.archive import Refused
from wavecompare.qda.refi import read_project

SAMPLES = Path(__file__).parent / "data" / "qda-samples"
NS = "urn:QDA-XML:project:1.0"


def test_qc_demo_has_205_codings_on_158_selections_all_in_one_of_its_two_sources():
    export = read_project(SAMPLES / "qc" / "demo.qdpx")
    codings = export.codings
    assert export.kind == "REFI-QDA project (qc 1.3.2; positions in code points)"
    assert export.documents == ("board_2017", "admin-1")  # no name attribute: the stem of plainTextPath
    assert len(export.codes) == 262
    assert len(codings) == 205
    assert codings.record.nunique() == 158
    assert set(codings.document) == {"board_2017"}
    assert codings.source_code.nunique() == 77
    first = codings.iloc[0]
    assert (first.start, first.end, first.source_code) == (320, 400, "rq2_curriculum_and_instruction\\pedagogy\\fun")
    assert first.excerpt == "This district goal is engage every student in joyful, purposeful learning that \n"


def test_qc_demo_selections_cover_whole_lines_as_their_names_say():
    """qc names each selection `line:N` (N from 0) and selects whole lines: the excerpt ends with its newline."""
    codings = read_project(SAMPLES / "qc" / "demo.qdpx").codings
    with zipfile.ZipFile(SAMPLES / "qc" / "demo.qdpx") as project:
        lines = project.read("sources/board_2017.txt").decode("utf-8").splitlines(keepends=True)
        names = dict(re.findall(r'PlainTextSelection guid="([^"]+)" name="line:(\d+)"',
                                project.read("project.qde").decode("utf-8")))
    assert len(names) == 158
    assert all(excerpt.endswith("\n") for excerpt in codings.excerpt)
    assert all(lines[int(names[record])] == excerpt.split("\n")[0] + "\n"
               for record, excerpt in zip(codings.record, codings.excerpt))


def word_boundary(units: bytes, position: int) -> bool:
    """Not inside a word: the UTF-16 unit before or the one at `position` is not a word character."""
    def char(at: int) -> str:
        return units[2 * at:2 * at + 2].decode("utf-16-le", "replace") if 0 <= at < len(units) // 2 else " "
    return not (re.match(r"\w", char(position - 1)) and re.match(r"\w", char(position)))


def test_nvivo_12_positions_are_utf16_units_and_294_of_297_codings_fall_on_word_boundaries():
    export = read_project(SAMPLES / "nvivo" / "OltasSzkepticizmus_17June.qdpx")
    codings = export.codings
    assert export.kind == "REFI-QDA project (NVivo for Mac 12.7.0; positions in utf-16)"
    assert export.documents == ("videos_selection", "videos_10_selected")
    assert len(export.codes) == 152
    assert len(codings) == 297 and set(codings.document) == {"videos_10_selected"}
    assert codings.source_code.nunique() == 72
    with zipfile.ZipFile(SAMPLES / "nvivo" / "OltasSzkepticizmus_17June.qdpx") as project:
        units = project.read("sources/70a540a6-08d4-4ce3-8a60-9f29ffd2b259.txt").decode("utf-8").encode("utf-16-le")
    assert sum(word_boundary(units, s) and word_boundary(units, e) for s, e in zip(codings.start, codings.end)) == 294
    assert not any(excerpt[-1].isspace() for excerpt in codings.excerpt)
    first = codings.iloc[0]
    assert first.excerpt == "A Politikusoknak kötemező, ja leszavazták maguknak!"
    assert first.source_code == ("HBM 4. Perceived Barriers – Észlelt akadályok\\politikai\\"
                                 "politikusokkal szembeli bizalmatlanság")


def test_nvivo_15_project_is_a_codebook_of_262_codes_with_no_codings():
    export = read_project(SAMPLES / "nvivo" / "nvivo_project.qdpx")
    assert len(export.codes) == 262 and export.codings.empty
    assert len(export.documents) == 2


# Projects written by the tests

def project_xml(origin: str = "test", source: str = 'plainTextPath="internal://a.txt"', selection: str = "",
                prolog: str = "") -> str:
    return (f'{prolog}<Project xmlns="{NS}" origin="{origin}"><CodeBook><Codes>'
            '<Code guid="c1" name="Risks" isCodable="true"><Code guid="c2" name="Cost\\time" isCodable="true"/>'
            '</Code></Codes></CodeBook>'
            f'<Sources><TextSource guid="s1" name=" Interview 1 " {source}>{selection}</TextSource></Sources>'
            '</Project>')


def selection(start: int, end: int, code: str = "c2") -> str:
    return (f'<PlainTextSelection guid="p1" startPosition="{start}" endPosition="{end}">'
            f'<Coding guid="g1"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')


def write_project(path: Path, xml: str, members: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as project:
        project.writestr("project.qde", xml)
        for name, data in (members or {}).items():
            project.writestr(name, data)
    return path


TEXT = "Ok 😀 costs\r\nrise."


@pytest.mark.parametrize(("origin", "start", "end"), [("ATLAS.ti 23", 5, 10), ("NVivo 14", 6, 11)],
                         ids=["code points", "NVivo's UTF-16 units"])
def test_a_selection_is_sliced_in_the_units_of_the_tool_that_wrote_it(tmp_path, origin, start, end):
    """'costs' follows an emoji (one code point, two UTF-16 units); CRLF stays two characters; a BOM is stripped;
    a name is trimmed; a \\ inside a code name is doubled in its path."""
    path = write_project(tmp_path / "p.qdpx", project_xml(origin, selection=selection(start, end)),
                         {"sources/a.txt": ("\ufeff" + TEXT).encode("utf-8")})
    export = read_project(path)
    assert export.documents == ("Interview 1",)
    assert export.codes == ("Risks", "Risks\\Cost\\\\time")
    [row] = export.codings.itertuples()
    assert (row.document, row.source_code, row.excerpt, row.start, row.end) == (
        "Interview 1", "Risks\\Cost\\\\time", "costs", start, end)


def test_crlf_counts_two_in_the_positions(tmp_path):
    path = write_project(tmp_path / "p.qdpx", project_xml("NVivo 14", selection=selection(11, 18)),
                         {"sources/a.txt": TEXT.encode("utf-8")})
    assert read_project(path).codings.excerpt.tolist() == ["\r\nrise."]


REFUSALS = [
    (project_xml(selection=selection(2, 99)), {"sources/a.txt": b"short"},
     "the selection p1 in 'Interview 1' runs from 2 to 99, outside its text of 5 code points"),
    (project_xml("NVivo", selection=selection(4, 6)), {"sources/a.txt": TEXT.encode("utf-8")},
     "the selection p1 in 'Interview 1' starts or ends inside a character (between the halves of a UTF-16 "
     "surrogate pair)"),
    (project_xml(selection=selection(0, 1, code="c9")), {"sources/a.txt": b"text"},
     "the selection p1 in 'Interview 1' is coded with 'c9', which the codebook does not hold"),
    (project_xml(source='plainTextPath="absolute:///etc/passwd"', selection=selection(0, 1)), {},
     "a source's text is at 'absolute:///etc/passwd', outside the archive; only sources inside it are read"),
    (project_xml(source='plainTextPath="internal://../../secret.txt"', selection=selection(0, 1)), {},
     "a source's text is at 'internal://../../secret.txt', outside the archive; only sources inside it are read"),
    (project_xml(selection=selection(0, 1)), {},
     "the source 'Interview 1' names 'sources/a.txt', which the archive does not hold"),
    (project_xml(selection=selection(0, 1)), {"sources/a.txt": b"\xff\xfe text"},
     "the source 'Interview 1' (sources/a.txt) is not UTF-8 text"),
    (project_xml(prolog='<!DOCTYPE p [<!ENTITY x "boom">]>'), {},
     "project.qde declares a DTD or entities, which are refused (an XML attack's way in): DTDForbidden"),
    ("<Project", {}, "project.qde is not well-formed XML (unclosed token: line 1, column 0)"),
    (f'<Codes xmlns="{NS}"/>', {},
     f"project.qde is not a REFI-QDA project: its root is '{{{NS}}}Codes', not Project in namespace {NS}"),
]


@pytest.mark.parametrize(("xml", "members", "message"), REFUSALS,
                         ids=["beyond the text", "inside a surrogate pair", "unknown code", "absolute source",
                              "source climbing out", "source missing", "not UTF-8", "DTD", "not XML",
                              "not a project"])
def test_a_bad_project_is_refused_with_what_is_wrong(tmp_path, xml, members, message):
    path = write_project(tmp_path / "p.qdpx", xml, members)
    with pytest.raises(Refused) as refused:
        read_project(path)
    assert str(refused.value) == message


def test_a_billion_laughs_is_refused_before_any_entity_expands(tmp_path):
    laughs = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)) + ']>')
    path = write_project(tmp_path / "p.qdpx", project_xml(prolog=laughs))
    with pytest.raises(Refused, match="declares a DTD or entities"):
        read_project(path)


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "sources/../../evil", "C:/evil", "..\\evil"])
def test_a_zip_slip_member_name_is_refused(tmp_path, name):
    path = write_project(tmp_path / "p.qdpx", project_xml(), {name: b"x"})
    with pytest.raises(Refused) as refused:
        read_project(path)
    assert str(refused.value) == (f"the archive holds a member named {name!r}, which points outside the archive "
                                  "(a zip-slip attack); it was not opened")


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path):
    path = write_project(tmp_path / "p.qdpx", project_xml(), {"sources/a.txt": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(Refused) as refused:
        read_project(path)
    assert str(refused.value) == "the archive unpacks to an implausible size; it was not opened (possible zip bomb)"


def test_limits_on_members_and_sizes(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBERS", 3)
    many = write_project(tmp_path / "many.qdpx", project_xml(), {f"sources/{i}.txt": b"x" for i in range(3)})
    with pytest.raises(Refused, match="^the archive holds 4 members, more than the 3 accepted$"):
        read_project(many)
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1000)
    big = write_project(tmp_path / "big.qdpx", project_xml(), {"sources/a.txt": bytes(range(256)) * 8})
    with pytest.raises(Refused, match=r"^the member 'sources/a.txt' unpacks to 2048 bytes, more than the 1000 "):
        read_project(big)


def test_a_member_larger_than_its_directory_says_is_refused_as_damaged(tmp_path):
    """A directory that understates a member's size (10 bytes for 150,000) passes the size checks, but no more
    than 10 bytes are unpacked: the member then fails its CRC check."""
    path = write_project(tmp_path / "p.qdpx", project_xml(selection=selection(0, 3)),
                         {"sources/a.txt": b"abc" * 50_000})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as project:
        local = project.getinfo("sources/a.txt").header_offset
    central = data.rfind(b"sources/a.txt") - 46  # the central directory's entry, its name at offset 46
    for size_field in (local + 22, central + 24):
        data[size_field:size_field + 4] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(Refused) as refused:
        read_project(path)
    assert str(refused.value) == "the member 'sources/a.txt' is damaged (Bad CRC-32 for file 'sources/a.txt')"


def test_a_file_that_is_no_zip_is_refused(tmp_path):
    path = tmp_path / "p.qdpx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(Refused, match=r"^the file is not a valid zip archive \(a .qdpx project is one\)$"):
        read_project(path)


def named_selection(start: int, end: int, name: str) -> str:
    return selection(start, end).replace('guid="p1"', f'guid="p1" name="{name}"')


def test_a_selection_named_by_its_text_is_checked_against_the_text_its_positions_give(tmp_path):
    """'costs' after an emoji is 5 to 10 in code points and 6 to 11 in UTF-16 units. A tool that names selections
    by their text and writes UTF-16 positions under an origin that implies code points is caught; a matching
    name, a truncated one and a label that is not text pass."""
    members = {"sources/a.txt": TEXT.encode("utf-8")}
    for origin, start, end, name, excerpt in (
            ("ATLAS.ti 23", 5, 10, "costs", "costs"), ("ATLAS.ti 23", 5, 15, "costs ri…", "costs\r\nris"),
            ("qc 1.3.2", 5, 10, "line:0", "costs"), ("NVivo 14", 6, 11, "costs", "costs")):
        path = write_project(tmp_path / "p.qdpx", project_xml(origin, selection=named_selection(start, end, name)),
                             members)
        assert read_project(path).codings.excerpt.tolist() == [excerpt]
    path = write_project(tmp_path / "p.qdpx", project_xml("ATLAS.ti 23", selection=named_selection(6, 11, "costs")),
                         members)
    with pytest.raises(Refused) as refused:
        read_project(path)
    assert str(refused.value) == (
        "the selection p1 in 'Interview 1' names its text 'costs', which its positions give in utf-16 units, not "
        "in the code points its project's origin implies; export the project again, or report the tool")
