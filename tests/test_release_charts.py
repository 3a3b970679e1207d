"""The release charts drawn from hand-written tables and read back from matplotlib's artists and the files."""

from __future__ import annotations

import dataclasses
from xml.etree import ElementTree

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text
from PIL import Image

from release_fixtures import RUN, TABLES, banner, base
from wavecompare.release.charts import STYLE, charts_of, levels_chart, write_charts
from wavecompare.release.model import SUPPRESSED as C
from wavecompare.release.model import WAVE_MEASURES, ReleaseTable, wave_column

LEVELS = ("not aware", "heard of it", "aware", "very familiar")


def awareness(second_wave: list[list]) -> object:
    """An awareness table of one code, wave 1 all shown (1, 2, 3, 4 of 10), wave 2 given as rows of cells."""
    first = [[n, 10, n * 10.0, f"{n} of 10", "", ""] for n in (1, 2, 3, 4)]
    return banner("awareness", "Awareness by wave", ("Group", "Code", "Label", "Level"), [
        base(("All", "", "", "Base (interviews)")),
        *((("All", "aware_theory", "Awareness of the theory", level), one, two, [None, ""])
          for level, one, two in zip(LEVELS, first, second_wave)),
    ])


WITHHELD_ONE = awareness([
    [3, 15, 20.0, "3 of 15", "", ""],
    [C, 15, C, C, C, C],
    [4, 15, 26.7, "4 of 15", "", ""],
    [6, 15, 40.0, "6 of 15", "", ""],
])


def segments(ax, y: int) -> list[tuple[float, float, str]]:
    """The (left, width, hatch) of each bar segment of the y-th wave, left to right."""
    bars = [p for p in ax.patches if abs(p.get_y() + p.get_height() / 2 - y) < 1e-9]
    return sorted((round(p.get_x(), 1), round(p.get_width(), 1), p.get_hatch() or "") for p in bars)


def test_a_withheld_level_is_one_hatched_segment_of_the_rest_and_the_others_keep_their_place():
    ax = levels_chart(WITHHELD_ONE, RUN, "Awareness levels by wave").subfigs[1].axes[0]
    assert [(left, width) for left, width, _ in segments(ax, 0)] == [(0.0, 10.0), (10.0, 20.0), (30.0, 30.0),
                                                                      (60.0, 40.0)]
    second = segments(ax, 1)
    assert [(left, width) for left, width, _ in second] == [(0.0, 20.0), (20.0, 13.3), (33.3, 26.7), (60.0, 40.0)]
    assert second[1][2] == "////" and "////" not in {hatch for _, _, hatch in second[::2]}


def levels_of(count: int) -> object:
    """A table of one level code with `count` levels, 'not coded' and one withheld level: 1 of 20 at each shown
    level of wave 1, the rest not coded; wave 2 the same, its first level withheld."""
    rows = [(f"level {i + 1}", [1, 20, 5.0, "1 of 20", "", ""]) for i in range(count)]
    rows.append(("not coded", [20 - count, 20, (20 - count) * 5.0, f"{20 - count} of 20", "", ""]))
    return banner("awareness", "Awareness by wave", ("Group", "Code", "Label", "Level"), [
        base(("All", "", "", "Base (interviews)"), 20, 20),
        *((("All", "code_a", "Code A", level), cells, [C, 20, C, C, C, C] if i == 0 else cells, [None, ""])
          for i, (level, cells) in enumerate(rows)),
    ])


def legend_styles(fig) -> list[tuple[str, tuple, str]]:
    """(label, facecolor, hatch) of each legend entry."""
    legend = fig.subfigs[0].legends[0]
    return [(text.get_text(), tuple(handle.get_facecolor()), handle.get_hatch() or "")
            for text, handle in zip(legend.get_texts(), legend.legend_handles)]


def contrast_with_white(rgba: tuple) -> float:
    """WCAG 2 contrast ratio of a colour against white."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgba[:3]]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_twelve_levels_not_coded_and_withheld_each_have_their_own_fill():
    styles = legend_styles(levels_chart(levels_of(12), RUN, "Awareness levels by wave"))
    assert [label for label, _, _ in styles] == [*(f"level {i}" for i in range(1, 13)), "not coded", f"withheld ({C})"]
    assert len({(face, hatch) for _, face, hatch in styles}) == 14
    assert styles[-2][1:] == ((1.0, 1.0, 1.0, 1.0), "") and styles[-1][1:] == ((1.0, 1.0, 1.0, 1.0), "////")
    assert min(contrast_with_white(face) for _, face, _ in styles[:12]) > 1.8  # no level is near-white


def test_the_bars_wear_their_legend_entries_fills():
    fig = levels_chart(levels_of(3), RUN, "Awareness levels by wave")
    styles = {(face, hatch): label for label, face, hatch in legend_styles(fig)}
    ax = fig.subfigs[1].axes[0]
    second = sorted((p.get_x(), tuple(p.get_facecolor()), p.get_hatch() or "") for p in ax.patches if p.get_y() > 0.5)
    assert [styles[face, hatch] for _, face, hatch in second] == [f"withheld ({C})", "level 2", "level 3", "not coded"]


def texts(fig) -> list[str]:
    """Every text the figure draws."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def test_codes_are_named_by_their_labels_in_titles_and_footnotes():
    fig = levels_chart(WITHHELD_ONE, RUN, "Awareness levels by wave")
    assert fig.subfigs[1].axes[0].get_title(loc="left") == "Awareness of the theory"
    footnote = " ".join(fig.subfigs[1].get_supxlabel().split())
    assert footnote.startswith(f"Withheld ({C}) to protect interviewees, drawn together as one hatched segment "
                               "(the rest of the wave's interviews, never the withheld sizes): "
                               "Awareness of the theory: Wave 2 (2013): heard of it ")
    assert not [text for text in texts(fig) if "aware_theory" in text]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """The example-like fixture tables' charts, written as a release writes them."""
    folder = tmp_path_factory.mktemp("charts")
    write_charts(TABLES, folder, RUN)
    return folder


TITLES = {"stakeholder_mix": "Stakeholder mix by wave", "awareness_levels": "Awareness levels by wave",
          "confidence_levels": "Confidence levels by wave", "risk_mentions": "Risks mentioned by wave",
          "theme_improvement": "Improvement mentions by wave"}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("stem", TITLES)
def test_the_run_is_in_the_files_metadata_not_in_the_picture(drawn, stem):
    with Image.open(drawn / f"{stem}.png") as image:
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert image.info["Description"] == ("Sector-led improvement: stakeholder perceptions. "
                                             "Made by run run-fixture-1, 2026-11-01 10:30 UTC.")
    svg = ElementTree.parse(drawn / f"{stem}.svg").getroot()
    assert [e.text for e in svg.iter(f"{SVG}text")][0] == TITLES[stem]  # text, not paths
    assert "run-fixture-1" in "".join(svg.find(f"{SVG}metadata").itertext())
    assert not [e.text for e in svg.iter(f"{SVG}text") if "run-fixture-1" in (e.text or "")]


def crowded() -> list:
    """Tables of a large study: counts of four digits on narrow segments, and risks at 0% and 100%."""
    big = [[n, 1639, round(100 * n / 1639, 1), f"{n} of 1639", "", ""] for n in (164, 180, 1100, 195)]
    levels = banner("awareness", "Awareness by wave", ("Group", "Code", "Label", "Level"), [
        base(("All", "", "", "Base (interviews)"), 1639, 1639),
        *((("All", "aware_theory", "Awareness of the theory, principles and goals of sector-led improvement", level),
           cells, cells, [None, ""]) for level, cells in zip(LEVELS, big)),
    ])
    risks = banner("risk_mentions", "Risks", ("Group", "Code", "Label"), [
        base(("All", "", "Base (interviews)"), 1639, 1639),
        (("All", "risk_a", "Sky diving"), [0, 1639, 0.0, "0 of 1639", "", ""],
         [206, 1639, 12.6, "206 of 1639", "", ""], [None, ""]),
        (("All", "risk_b", "Funding"), [1639, 1639, 100.0, "1639 of 1639", "", ""],
         [1600, 1639, 97.6, "1600 of 1639", "", ""], [None, ""]),
        (("All", "risk_c", "Capacity"), [820, 1639, 50.0, "820 of 1639", "", ""],
         [836, 1639, 51.0, "836 of 1639", "", ""], [None, ""]),
    ])
    return [levels, risks]


def drawings() -> list:
    """(chart, table, how it is drawn) of every chart of the fixture tables, the crowded ones and mention tables
    of 2, 5 and 20 waves."""
    return [pytest.param(table, draw, id=f"{stem}-{len(table.waves)}")
            for every in [*TABLES, *crowded(), FIVE, *many_waves()] for stem, table, draw in charts_of([every])]


def text_boxes(fig) -> list[tuple[str, object]]:
    """(text, drawn box) of each visible, non-empty text of the figure, laid out as saved."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip()]

def mentions(name: str, count: int, rows: list[tuple[str, str, list]], base: int = 20) -> ReleaseTable:
    """A table of mention codes as tables.py lays it out, over waves "Wave 1" … "Wave <count>" of `base`
    interviews each: rows of (code id, label, n per wave, C where withheld), under the 'All' base row, then a
    group's block the chart leaves out."""
    waves = tuple(f"Wave {i} ({2011 + i})" for i in range(1, count + 1))

    def cells(n):
        return [C, base, C, C, C, C] if n == C else [n, base, round(100 * n / base, 1), f"{n} of {base}", "", ""]

    lines = [("All", "Base: all interviews", "", "", [[None, base, None, None, None, None]] * count)]
    lines += [("All", code, label, "mentioned", [cells(n) for n in ns]) for code, label, ns in rows]
    lines += [("Senior civil servants", "Base: interviews in this group", "", "", [[None, 5, *[None] * 4]] * count),
              ("Senior civil servants", rows[0][0], rows[0][1], "mentioned", [cells(5)] * count)]
    columns = [*ROW_COLUMNS, *(wave_column(w, m) for w in waves for m in WAVE_MEASURES)]
    frame = pd.DataFrame([[*labels, *(c for wave in per_wave for c in wave)] for *labels, per_wave in lines],
                         columns=columns)
    return ReleaseTable(name, name, ROW_COLUMNS, waves, frame)


ROW_COLUMNS = ("Group", "Code", "Label", "Level")


FIVE = mentions("risk_mentions", 5, [
    ("risk_funding", "Central government not committed to funding", [4, 6, 8, 10, 12]),
    ("any:risk", "Any of the risk mentions below", [10, 12, C, 14, 16]),
    ("risk_evidence", "Lack of evidence of improvement", [0, 20, 5, 5, 1]),
])


def mention_chart_of(table):
    [(_, _, draw)] = charts_of([table])
    return draw(table, RUN)


def test_the_dot_chart_has_a_marker_per_shown_wave_at_its_percentage_and_the_any_row_first():
    fig = mention_chart_of(FIVE)
    head, body = fig.subfigs
    assert head.texts[0].get_text() == "Risks mentioned by wave"
    assert [t.get_text() for t in head.legends[0].get_texts()] == [f"Wave {i} ({2011 + i}) (n=20)" for i in range(1, 6)]
    ax = body.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Any of the risk mentions below", "Central government not committed to funding",
        "Lack of evidence of improvement"]
    points = sorted((round(y, 2), x) for c in ax.collections for x, y in c.get_offsets().tolist())
    rows = [[(round(y - row, 2), x) for y, x in points if round(y) == row] for row in range(3)]
    assert rows == [
        [(-0.28, 50.0), (-0.14, 60.0), (0.14, 70.0), (0.28, 80.0)],  # wave 3 withheld: no marker
        [(-0.28, 20.0), (-0.14, 30.0), (0.0, 40.0), (0.14, 50.0), (0.28, 60.0)],
        [(-0.28, 0.0), (-0.14, 100.0), (0.0, 25.0), (0.14, 25.0), (0.28, 5.0)],
    ]
    assert [t.get_text() for t in ax.texts] == ["16 of 20", "12 of 20", "1 of 20"]  # the latest wave's only
    assert " ".join(body.get_supxlabel().split()).startswith(
        f"Not plotted, suppressed ({C}) to protect interviewees: Wave 3 (2014): Any of the risk mentions below "
        "Percentages of interviews")


def test_up_to_six_waves_each_wave_has_its_own_marker():
    six = mentions("theme_benefit", 6, [("benefit_voluntary", "Voluntary uptake", [1, 2, 3, 4, 5, 6])])
    legend = mention_chart_of(six).subfigs[0].legends[0]
    styles = {(h.get_marker(), h.get_markerfacecolor()) for h in legend.legend_handles}
    assert len(styles) == 6 and len({marker for marker, _ in styles}) == 6


def many_waves() -> list:
    """Mention tables of 2 waves and of 20 (13 codes), each with a withheld cell."""
    two = mentions("theme_benefit", 2, [("any:benefit", "Any of the benefit mentions below", [C, 20]),
                                        ("benefit_voluntary", "Voluntary uptake", [0, 19])])
    twenty = mentions("theme_benefit", 20, [
        ("any:benefit", "Any of the benefit mentions below", [C, *range(1, 20)]),
        ("benefit_voluntary", "Voluntary uptake", [20] * 20),
        *((f"benefit_{k}", f"Benefit number {k} of a long list of benefits", [k] * 20) for k in range(1, 12)),
    ])
    return [two, twenty]


def test_beyond_six_waves_each_code_is_a_panel_of_its_line_over_the_waves():
    fig = mention_chart_of(many_waves()[1])
    head, body = fig.subfigs
    assert head.texts[0].get_text() == "Benefit mentions by wave"
    panels = [ax for ax in body.axes if ax.get_visible()]
    assert len(panels) == 12  # at most 12 codes
    assert [ax.get_title(loc="left") for ax in panels[:3]] == [
        "Any of the benefit mentions below", "Voluntary uptake", "Benefit number 1 of a long list of\nbenefits"]
    [line] = panels[0].get_lines()
    assert line.get_xdata().tolist() == list(range(1, 21))
    shown = line.get_ydata().tolist()
    assert shown[0] != shown[0]  # wave 1 withheld: NaN, no point and a gap
    assert shown[1:] == [5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 75.0,
                         80.0, 85.0, 90.0, 95.0]
    assert panels[1].get_lines()[0].get_ydata().tolist() == [100.0] * 20
    assert [t.get_text() for t in panels[0].texts + panels[1].texts] == ["19 of 20", "20 of 20"]
    footnote = " ".join(body.get_supxlabel().split())
    assert footnote.startswith(f"Not plotted, suppressed ({C}) to protect interviewees: Wave 1 (2012): Any of the "
                               "benefit mentions below Waves: Wave 1 (2012) (n=20), Wave 2 (2013) (n=20),")
    assert "First 12 of 13 codes; all are in the tables." in footnote


def test_every_theme_table_of_all_has_a_chart_but_not_its_service_area_split():
    split = dataclasses.replace(FIVE, name="theme_benefit_by_service_area")
    tables = [*TABLES, dataclasses.replace(FIVE, name="theme_benefit"), split]
    assert [stem for stem, _, _ in charts_of(tables)] == [
        "stakeholder_mix", "awareness_levels", "confidence_levels", "risk_mentions", "theme_improvement",
        "theme_benefit"]


@pytest.mark.parametrize(("table", "draw"), drawings())
def test_no_two_texts_overprint_and_none_leaves_the_picture(table, draw):
    with plt.rc_context(STYLE):
        fig = draw(table, RUN)
        boxes = text_boxes(fig)
    assert [(a, b) for i, (a, box) in enumerate(boxes) for b, other in boxes[i + 1:] if box.overlaps(other)] == []
    assert [text for text, box in boxes if not fig.bbox.contains(box.x0, box.y0) or
            not fig.bbox.contains(box.x1, box.y1)] == []
    plt.close(fig)
