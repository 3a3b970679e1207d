"""Charts of the core tables, as PNG (for Word) and SVG (for the web report).

Drawn for greyscale printing: grey shades with hatching, and counts written on
the marks ("4 of 10"), never colour alone. Levels stack in codebook order; a
bar's withheld ("[c]") cells are drawn together as one hatched segment, the
rest of the wave (public, since what is shown is), so every other segment keeps
its true width and the bars stay comparable; the footnote names them. Mention
tables (risks, each theme) get a marker per wave up to six waves and small
multiples of lines beyond. Level tables of more than four waves get small
multiples of lines too (`levels_chart` says why). In a line, a withheld wave is
a gap, marked by an open marker on the axis below 0: it carries no value, and is
never drawn as 0 or at its true size.
Fonts (DejaVu, shipped with matplotlib), the SVG hash salt and empty dates make
reruns byte-identical.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402
from matplotlib.transforms import offset_copy  # noqa: E402
from PIL import Image  # noqa: E402
from PIL.PngImagePlugin import PngInfo  # noqa: E402

from .cells import join_text, number  # noqa: E402
from .model import NOT_CODED, SUPPRESSED, ReleaseTable  # noqa: E402
from .runinfo import RunInfo  # noqa: E402

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "wavecompare",
    "svg.fonttype": "none",  # text stays text in the SVG, to edit or search
    "hatch.linewidth": 0.6,
    "text.parse_math": False,  # labels come from the data: "$5 and $10" is text, and "$\x$" must not fail
}
LIGHT, MID, DARK, DARKEST = "#bdbdbd", "#8c8c8c", "#5e5e5e", "#303030"
FILLS = (
    (LIGHT, ""), (MID, ""), (DARK, ""), (DARKEST, ""),
    (LIGHT, "//"), (MID, "//"), (LIGHT, ".."), (MID, ".."),
    (LIGHT, "xx"), (MID, "xx"), (LIGHT, "\\\\"), (MID, "\\\\"),
)
"""(grey, hatch) of the categories in order, distinct in greyscale for 12: the first four plain, light to dark,
so a scale's levels read in order; none lighter than LIGHT, so a first level ("not aware") stands out from the
white page. Beyond 12 they repeat (the tables hold every category)."""
WITHHELD = f"withheld ({SUPPRESSED})"
STYLE_OF = {
    NOT_CODED: ("white", ""),  # nothing recorded: an empty segment
    WITHHELD: ("white", "////"),  # the one segment a bar's withheld cells are drawn as, together
}
"""Fixed fills of the segments that are not categories."""
PNG_DPI = 300
MARKERS = (("o", "white"), ("s", "black"), ("^", MID), ("D", "white"), ("v", "black"), ("P", MID))
"""(shape, fill) of each wave's marker in a mention chart, in wave order: every shape its own, so that they
stay apart in greyscale; more waves than these are drawn as small multiples of lines."""
LEVEL_BARS_UNTIL = 4  # waves up to which a level chart stacks bars; beyond, small multiples of lines
TREND_LINE = {"color": "black", "linewidth": 1, "marker": "o", "markersize": 3, "markerfacecolor": "white"}
WITHHELD_MARK = {"linestyle": "", "marker": "^", "markersize": 5, "markerfacecolor": "white",
                 "markeredgecolor": "black", "markeredgewidth": 0.7}
"""How a trend line is drawn, and the open marker on the axis at each of its withheld waves."""
WAVE_MARKS = {"marker": 3, "s": 4, "linewidths": 0.6, "color": "black", "clip_on": False}
"""The mark of every wave on a row of trend panels' axes: tick-down markers, one collection a row (not a line:
a panel's lines are its data), in place of tick artists (`_trend_rows` says why)."""
SCALE_MARKS = {"marker": 0, "s": 3.5 ** 2, "linewidths": 0.8, "color": "black", "clip_on": False}
"""The marks of a trend panel's 0/50/100 on its y axis: tick-left markers as long as matplotlib's ticks."""
AXIS_TEXT_PAD = 7  # points between a panel's axis and its labels: matplotlib's tick length and label pad
TITLE_PAD = 6  # points between a panel's top and its title, as matplotlib's titles sit
PANEL_GAP = 0.14  # the space between two panels of a row, as a share of a panel's width
WITHHELD_POINT = f"withheld ({SUPPRESSED}): no value"
TREND_GRID = [0, 50, 100]  # the % a trend panel's gridlines mark
TREND_FLOOR = -5  # the bottom of a trend panel's axis, where withheld waves are marked: below 0, so never a value
LINE_MARGIN = 2.5  # points a trend panel's count keeps from its line: a marker's radius and the line's width
LABEL_MARGIN = 6  # pixels (at PNG_DPI, where `_fit_counts` measures: 1.44 pt) a segment's count keeps from its edges
CODE, LABEL, LEVEL = "Code", "Label", "Level"  # the columns of `block_rows`
ANY_PREFIX = "any:"  # the code id of a theme's "any of its mentions" row (sql/release/code_counts.sql)
THEME_PREFIX, SPLIT_SUFFIX = "theme_", "_by_service_area"  # a theme's table, and a table split by service area
LEGEND_CHARACTERS = 100  # label characters a legend row holds at the chart's width
FOOTNOTE_WIDTH = 145  # characters a footnote line holds at the chart's width
# Codes a chart draws at most, so that a theme of hundreds of codes stays legible; the footnote says how
# many were drawn and the tables hold every code.
CHART_CODES = 8  # level codes, one small multiple each
TREND_CODES = 4  # level codes of a trend chart, a row of panels (one per level) each
CHART_MENTIONS = 24  # mention codes of a dot chart, one row each
CHART_PANELS, PANEL_COLUMNS = 12, 3  # mention codes of a trend chart, one panel each, in rows of 3
LEVEL_COLUMNS = 6  # panels of a level trend chart's row: a code's levels, in rows of up to 6
COUNT_RIGHT_UNTIL = 75  # % up to which a dot chart's count sits right of its marker (beyond it, left)
ROW_LABEL_WIDTH, PANEL_TITLE_WIDTH = 45, 38  # characters a dot chart's row label, a panel's title holds a line
LEVEL_TITLE_WIDTH = 18  # characters a level trend panel's title holds a line
WAVE_TICK_WIDTH = 16  # characters a trend panel's wave label holds a line
FOOTNOTE_SUPPRESSED = 6  # lines of suppressed cells listed under a chart before they are counted
TITLE_Y = 1.0
"""A bar chart panel's title height (axes fraction; matplotlib's pad above it), where matplotlib would place it: the
panels have no ticks or labels on top. Given, it spares matplotlib looking for them at every draw."""
FOOTNOTE_LINE = 0.14  # inches a footnote line takes (7 pt, spaced 1.4)


def _column(wave: str, measure: str) -> str:
    return f"{wave} | {measure}"


def block_rows(table: ReleaseTable, block: int = 0) -> pd.DataFrame:
    """The answer rows of one of the table's blocks (the first: All) as a chart reads them: CODE, LABEL and
    LEVEL, whether a net, then per wave label its "%", "base", "n of base" (text) and "withheld" (a flag).
    Only what the table publishes: a withheld count is NA in the model, so it cannot be drawn."""
    at = table.rows.index[(table.rows.block == block) & ~table.rows.is_base].to_numpy()
    lines = table.rows.iloc[at]
    frame = pd.DataFrame({CODE: lines.code_id.to_numpy(), LABEL: lines.label.to_numpy(),
                          LEVEL: lines.level.to_numpy(), "is_net": lines.is_net.to_numpy()})
    n, base, pct, withheld = table.grid("n")[at], table.grid("base")[at], table.grid("pct")[at], table.withheld()[at]
    for i, wave in enumerate(table.waves):
        counted = ~np.isnan(n[:, i])
        count = np.full(len(at), "", dtype=object)
        count[counted] = join_text(n[counted, i].astype(np.int64), " of ", base[counted, i].astype(np.int64))
        frame[_column(wave.label, "%")] = pct[:, i]
        frame[_column(wave.label, "base")] = base[:, i]
        frame[_column(wave.label, "n of base")] = count
        frame[_column(wave.label, "withheld")] = withheld[:, i]
    return frame


def _value(row: pd.Series, wave: str, measure: str) -> float | None:
    """A plotted number, or None where it is withheld or not published."""
    return number(row[_column(wave, measure)])


def _wave_label(rows: pd.DataFrame, wave: str) -> str:
    """A wave's axis label with its base, e.g. "Wave 1 (2012) (n=10)"."""
    base = _value(rows.iloc[0], wave, "base") if len(rows) else None
    return f"{wave} (n={base:.0f})" if base is not None else f"{wave} (n={SUPPRESSED})"


def _styles(categories: list[str]) -> dict[str, dict[str, object]]:
    """The fill of each category (FILLS in order; STYLE_OF for 'not coded' and withheld): a grey and a hatch."""
    numbered = [c for c in categories if c not in STYLE_OF]
    fills = {c: STYLE_OF.get(c) or FILLS[numbered.index(c) % len(FILLS)] for c in categories}
    return {c: {"facecolor": grey, "hatch": hatch, "edgecolor": "black", "linewidth": 0.6}
            for c, (grey, hatch) in fills.items()}


def _figure(title: str, handles: list, body_height: float, footnote: str, panels: int = 1):
    """A figure of two parts: a head with the title and legend, and a body for the panels and the footnote.

    Each part lays itself out (constrained layout); the head grows with the legend's rows and the body with the
    footnote's lines (`body_height` is the panels' share), so the title, legend, axis labels and a footnote of
    any length never overlap, nor squeeze the panels. Returns (figure, body, axes): `panels` axes, one
    above the other (none when `panels` is 0: the caller lays out the body).
    """
    longest = max(len(h.get_label()) for h in handles)
    ncols = max(1, min(len(handles), 5, LEGEND_CHARACTERS // (longest + 6)))
    head_height = 0.35 + 0.25 * math.ceil(len(handles) / ncols)
    body_height += FOOTNOTE_LINE * (footnote.count("\n") + 1)
    fig = plt.figure(figsize=(8, head_height + body_height), layout="constrained")
    head, body = fig.subfigures(2, 1, height_ratios=[head_height, body_height])
    head.text(0.01, 0.97, title, ha="left", va="top", fontsize=11, fontweight="bold")
    head.legend(handles=handles, loc="lower center", ncols=ncols, frameon=False)
    body.supxlabel(footnote, x=0.01, ha="left", fontsize=7, linespacing=1.4)
    if not panels:
        return fig, body, []
    return fig, body, body.subplots(panels, 1, squeeze=False).ravel()


def _by_wave(cells: list[tuple[str, str]], waves: tuple[str, ...]) -> list[str]:
    """Suppressed (wave, label) pairs as one line per wave that has any: "Wave 1 (2012): a, b"."""
    by_wave = {w: [label for wave, label in cells if wave == w] for w in waves}
    return [f"{w}: {', '.join(labels)}" for w, labels in by_wave.items() if labels]


def _left_out(cells: list[tuple[str, str]], waves: tuple[str, ...]) -> str:
    """Suppressed (wave, label) pairs as "Wave 1 (2012): a, b; Wave 2 (2013): c"."""
    return "; ".join(_by_wave(cells, waves))


def _first_of(shown, every) -> str:
    """The footnote sentence saying a chart draws only its first codes ("First 8 of 40 codes; …"), or ""."""
    shown, every = len(shown), len(every)
    return f" First {shown} of {every} codes; all are in the tables." if shown < every else ""


NOT_PLOTTED = f"Not plotted, suppressed ({SUPPRESSED}) to protect interviewees:"
DRAWN_TOGETHER = (f"Withheld ({SUPPRESSED}) to protect interviewees, drawn together as one hatched segment "
                  "(the rest of the wave's interviews, never the withheld sizes):")


def _footnote(suppressed: list[str], run: RunInfo, extra: str = "", lead: str = NOT_PLOTTED) -> str:
    """The footnote under the panels, in lines: the withheld cells (after `lead`), any remark, and the study.

    The run is not drawn (it is in the file's metadata, see `save`): a picture pasted into a report stays
    free of it."""
    if len(suppressed) > FOOTNOTE_SUPPRESSED:
        more = len(suppressed) - FOOTNOTE_SUPPRESSED
        suppressed = [*suppressed[:FOOTNOTE_SUPPRESSED], f"and {more} more (see the tables)"]
    lines = [lead, *suppressed] if suppressed else []
    if extra:
        lines.append(extra)
    lines.append(f"Percentages of interviews; the base of each wave is in brackets. {run.title}.")
    return "\n".join(textwrap.fill(line, FOOTNOTE_WIDTH, subsequent_indent="  ") for line in lines)


def _fit_counts(fig: Figure) -> Figure:
    """Leave out each count written on a bar segment too narrow to hold it, so that it overprints neither its
    neighbours nor the edges (the tables hold every count); and move a trend panel's count off its line
    (`_off_the_line`).

    Measured once the figure is laid out; the counts take no part in the layout, so it stays as measured.
    """
    renderer = _laid_out(fig).canvas.get_renderer()
    for ax in fig.axes:
        segments = [patch.get_window_extent(renderer) for patch in ax.patches]
        lines = [line for line in ax.get_lines() if line.get_linestyle() != "None"]  # not the withheld marks
        for text in list(ax.texts):
            box = text.get_window_extent(renderer)
            centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
            home = [s for s in segments if s.contains(*centre)]
            if home and not (home[0].x0 + LABEL_MARGIN <= box.x0 and box.x1 <= home[0].x1 - LABEL_MARGIN):
                text.remove()
            elif lines and isinstance(text, Annotation):
                _off_the_line(text, box, lines, renderer)
    return fig


def _off_the_line(count: Annotation, box, lines: list[Line2D], renderer) -> None:
    """Move a trend panel's count (its white box drawn over the line) up or down, clear of the line wherever
    the box spans it, above where the panel has room, else below; left where it is when clear already, or when
    the line fills the panel's height there. Otherwise the box would hide the waves before the latest."""
    heights = []
    for line in lines:
        x, y = line.get_transform().transform(np.column_stack(line.get_data())).T
        spanned = np.concatenate([y[(x >= box.x0) & (x <= box.x1)],
                                  np.interp([box.x0, box.x1], x, y, left=np.nan, right=np.nan)])
        heights += spanned[~np.isnan(spanned)].tolist()
    if not heights:
        return
    margin = LINE_MARGIN * renderer.points_to_pixels(1)
    top, bottom = max(heights) + margin, min(heights) - margin
    panel = count.axes.get_window_extent(renderer)
    if box.y0 >= top or box.y1 <= bottom:
        return
    shift = top - box.y0 if top + box.height <= panel.y1 else bottom - box.y1 if bottom - box.height >= panel.y0 \
        else 0.0
    dx, dy = count.xyann
    count.xyann = (dx, dy + shift / renderer.points_to_pixels(1))


def _laid_out(fig: Figure) -> Figure:
    """The figure laid out once, its layout then fixed: constrained layout is most of a chart's cost (it measures
    every tick of every panel), and the files are drawn at the layout it found (its fractions of the figure
    hold at any dpi). Only the layout is run, not a draw: it measures what it needs, and the files are the same."""
    engine = fig.get_layout_engine()
    if engine is not None:
        fig.set_dpi(PNG_DPI)  # measured at the PNG's dpi, the text is measured once for the layout and the PNG
        engine.execute(fig)
        fig.set_layout_engine("none")
    return fig


def _bar(rows: pd.DataFrame, label: str, wave: str) -> list[tuple[str, float, str]]:
    """A wave's segments in the rows' (codebook) order as (category, %, count text), its withheld cells
    drawn as one: a WITHHELD segment in the first one's place, sized 100% minus the shown %s (public, so
    the size tells nothing new); the true sizes of the withheld cells are never drawn."""
    shown = [(str(row[label]), _value(row, wave, "%"), str(row[_column(wave, "n of base")]))
             for _, row in rows.iterrows() if _value(row, wave, "%") is not None or row[_column(wave, "withheld")]]
    rest = round(100 - sum(pct for _, pct, _ in shown if pct is not None), 1)
    segments, combined = [], False
    for category, pct, count in shown:
        if pct is not None:
            segments.append((category, pct, count))
        elif not combined:
            segments.append((WITHHELD, max(rest, 0.0), ""))
            combined = True
    return segments


def _stacked_bars(ax, rows: pd.DataFrame, label: str, styles: dict, waves: tuple[str, ...]) -> None:
    """One horizontal bar per wave, a segment per row in its category's shade, labelled with its count
    (`_fit_counts` leaves out a count its segment is too narrow for)."""
    for y, wave in enumerate(waves):
        left = 0.0
        for category, pct, count in _bar(rows, label, wave):
            ax.barh(y, pct, left=left, height=0.6, **styles[category])
            if count:
                ax.text(
                    left + pct / 2,
                    y,
                    count,
                    ha="center",
                    va="center",
                    fontsize=8,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.2},
                    in_layout=False,
                )
            left += pct
    ax.set_yticks(range(len(waves)), [_wave_label(rows, w) for w in waves])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)


def _withheld_cells(rows: pd.DataFrame, label: str, waves: tuple[str, ...]) -> list[tuple[str, str]]:
    """The (wave, label) pairs of the rows' withheld counts."""
    return [(wave, str(row[label])) for wave in waves for _, row in rows.iterrows() if row[_column(wave, "withheld")]]


def _category_styles(rows: pd.DataFrame, label: str, waves: tuple[str, ...]) -> dict[str, dict[str, object]]:
    """The style of each category of the rows, in their order, then of the withheld segment where they have one."""
    withheld = [WITHHELD] if _withheld_cells(rows, label, waves) else []
    return _styles([*dict.fromkeys(rows[label].astype(str)), *withheld])


def _handles(styles: dict[str, dict[str, object]]) -> list[Patch]:
    return [Patch(label=c, **style) for c, style in styles.items()]


def stakeholder_mix_chart(table: ReleaseTable, run: RunInfo) -> Figure | None:
    """Stakeholder groups as shares of each wave's interviews."""
    rows = block_rows(table)
    rows = rows[rows[CODE] == "stakeholder_group"]
    if rows.empty:
        return None
    waves = _labels(table)
    styles = _category_styles(rows, LABEL, waves)
    left_out = _left_out(_withheld_cells(rows, LABEL, waves), waves)
    footnote = _footnote([left_out] if left_out else [], run, lead=DRAWN_TOGETHER)
    fig, body, (ax,) = _figure("Stakeholder mix by wave", _handles(styles), 1.52 + 0.6 * len(waves), footnote)
    _stacked_bars(ax, rows, LABEL, styles, waves)
    ax.set_xlabel("% of interviews in the wave")
    return _fit_counts(fig)


def _labels(table: ReleaseTable) -> tuple[str, ...]:
    """The table's wave labels, which charts name waves by (validation keeps them unique)."""
    return tuple(w.label for w in table.waves)


def levels_chart(table: ReleaseTable, run: RunInfo, title: str) -> Figure | None:
    """Each level code's interviews split by level, by wave (the first group, "All"): up to LEVEL_BARS_UNTIL
    waves a stacked bar per wave, one small multiple per code; beyond, `_level_trends`."""
    rows = block_rows(table)
    rows = rows[(rows[LEVEL] != "") & ~rows.is_net]  # nets are sums of levels
    codes = list(dict.fromkeys(rows[CODE]))
    if not codes:
        return None
    waves = _labels(table)
    shown_codes = codes[:TREND_CODES if len(waves) > LEVEL_BARS_UNTIL else CHART_CODES]
    rows = rows[rows[CODE].isin(shown_codes)]
    labels = dict(zip(rows[CODE], rows[LABEL].astype(str)))
    extra = "Codes recorded as mentioned (not as levels) are in the table only." + _first_of(shown_codes, codes)
    by_code = {code: rows[rows[CODE] == code] for code in shown_codes}
    suppressed = [f"{labels[code]}: {left_out}" for code, code_rows in by_code.items()
                  if (left_out := _left_out(_withheld_cells(code_rows, LEVEL, waves), waves))]
    if len(waves) > LEVEL_BARS_UNTIL:
        return _level_trends(by_code, labels, waves, title, suppressed, _footnote(
            suppressed, run, f"Waves: {_numbered_waves(rows, waves)}. {extra}"))
    styles = _category_styles(rows, LEVEL, waves)
    fig, body, axes = _figure(title, _handles(styles), 0.92 + (0.3 + 0.3 * len(waves)) * len(shown_codes),
                              _footnote(suppressed, run, extra, DRAWN_TOGETHER), len(shown_codes))
    for ax, (code, code_rows) in zip(axes, by_code.items()):
        _stacked_bars(ax, code_rows, LEVEL, styles, waves)
        ax.set_title(labels[code], loc="left", y=TITLE_Y)
    axes[-1].set_xlabel("% of interviews in the wave")
    return _fit_counts(fig)


def _numbered_waves(rows: pd.DataFrame, waves: tuple[str, ...]) -> str:
    """The waves as the numbers on a level trend chart's axes name them, with their bases: "1 = Wave 1 (n=10); …"."""
    return "; ".join(f"{i} = {_wave_label(rows, wave)}" for i, wave in enumerate(waves, 1))


def _level_trends(by_code: dict[str, pd.DataFrame], labels: dict, waves: tuple[str, ...], title: str,
                  suppressed: list[str], footnote: str) -> Figure:
    """Small multiples of lines: a row of panels per code (titled by its label), one panel per level (in
    codebook order, up to LEVEL_COLUMNS a row), each the level's % by wave on the same 0–100 scale.

    Why not stacked bars at many waves: a middle segment of a stack floats on the ones below it, so its trend
    cannot be read across 20 bars, and a withheld segment would shift with them; a level's own line, on a
    common baseline and scale, reads at any number of waves, lines never cross, and a withheld wave is a gap
    marked on the axis (`_trend_line`) rather than a share. The axes number the waves (1 to N), which the
    footnote names with their bases, so that 20 labels need not fit a narrow panel."""
    columns = min(LEVEL_COLUMNS, max(len(r) for r in by_code.values()))
    lines = [math.ceil(len(r) / columns) for r in by_code.values()]
    fig, body, _ = _figure(title, _trend_handles(waves, bool(suppressed)), 1.12 + 1.25 * sum(lines), footnote,
                           panels=0)
    ticks = _numbered(len(waves))
    for part, (code, code_rows), height in zip(body.subfigures(len(by_code), 1, height_ratios=lines,
                                                               squeeze=False).ravel(), by_code.items(), lines):
        part.suptitle(labels[code], x=0.01, ha="left", fontsize=10)
        panels = [(textwrap.fill(str(row[LEVEL]), LEVEL_TITLE_WIDTH), row) for _, row in code_rows.iterrows()]
        _trend_rows(part.subplots(height, 1, squeeze=False).ravel(), panels, columns, waves,
                    lambda position: [(t, str(t), "center") for t in ticks])
    return _fit_counts(fig)


def _mention_rows(table: ReleaseTable) -> tuple[pd.DataFrame, str]:
    """The 'All' group's mention rows, the "any:<theme>" row first (then codebook order), and the column
    naming them to a reader."""
    rows = block_rows(table)
    rows = rows[rows[LEVEL] == ""]
    rows = rows.iloc[rows[CODE].astype(str).str.startswith(ANY_PREFIX).map({True: 0, False: 1}).argsort(
        kind="stable")]
    return rows, LABEL


def _wave_handles(rows: pd.DataFrame, waves: tuple[str, ...]) -> list[Line2D]:
    """A legend entry per wave: its marker (shape and fill) and its label with its base."""
    return [Line2D([], [], linestyle="", marker=marker, markersize=7, markerfacecolor=fill, markeredgecolor="black",
                   label=_wave_label(rows, wave)) for wave, (marker, fill) in zip(waves, MARKERS)]


def _count(ax, row: pd.Series, wave: str, xy: tuple[float, float], offset: tuple[float, float], ha: str) -> None:
    """The latest wave's "n of N" beside its point (`offset` in points)."""
    ax.annotate(str(row[_column(wave, "n of base")]), xy, xytext=offset, textcoords="offset points", ha=ha,
                va="center", fontsize=7.5, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8})


def _dot_rows(ax, rows: pd.DataFrame, label: str, waves: tuple[str, ...]) -> None:
    """One row per code, one marker per wave (its MARKERS style, a little below the one before, so that
    equal shares stay visible), the latest wave's count beside its marker."""
    offsets = [0.0] if len(waves) == 1 else [0.56 * (i / (len(waves) - 1) - 0.5) for i in range(len(waves))]
    for y, (_, row) in enumerate(rows.iterrows()):
        for wave, (marker, fill), dy in zip(waves, MARKERS, offsets):
            pct = _value(row, wave, "%")
            if pct is None:
                continue
            ax.scatter(pct, y + dy, marker=marker, s=30, facecolor=fill, edgecolor="black", linewidth=0.7, zorder=2)
            if wave == waves[-1]:
                right = pct <= COUNT_RIGHT_UNTIL
                _count(ax, row, wave, (pct, y + dy), (6 if right else -6, 0), "left" if right else "right")
    ax.set_yticks(range(len(rows)), [textwrap.fill(str(c), ROW_LABEL_WIDTH) for c in rows[label]])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(-2, 102)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel("% of interviews in the wave that mentioned it")
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)


def _numbered(waves: int) -> list[int]:
    """The wave numbers a narrow panel's axis labels: every wave up to 6, else the first, the last and every
    fifth (but one close before the last), so that two labels never meet."""
    return list(range(1, waves + 1)) if waves <= 6 else [1, *range(5, waves - 1, 5), waves]


def _trend_handles(waves: tuple[str, ...], withheld: bool) -> list[Line2D]:
    """The legend of small multiples of lines: the line, and the withheld mark where any wave has one."""
    line = Line2D([], [], label=f"% of interviews in each wave, {waves[0]} to {waves[-1]}", **TREND_LINE)
    return [line, Line2D([], [], label=WITHHELD_POINT, **WITHHELD_MARK)] if withheld else [line]


def _trend_rows(axes, panels: list[tuple[str, pd.Series]], columns: int, waves: tuple[str, ...],
                wave_labels: Callable[[int], list[tuple[float, str, str]]], counts: bool = False) -> None:
    """Small multiples: the (title, row) panels in rows of `columns`, one axes per row (`axes`), each panel a
    row's `_trend_line` in its own place along the axes (`_place`), the same 0–100 scale throughout, labelled
    by the row's first panel. `wave_labels(position)` are a panel's labels under its axis, as (wave number,
    text, alignment); `counts` writes the latest wave's count beside its point.

    A panel is a place in a shared axes, not an axes of its own, and has no tick artists: its frame, gridlines
    and marks are collections and its labels texts. An axes and its ticks cost more to make, lay out and draw
    than a panel's data: the 84 panels of a 20-wave release were 84 axes with about 400 ticks."""
    n = len(waves)
    for line, ax in enumerate(axes):
        places = panels[line * columns:(line + 1) * columns]
        ax.set_xlim(0.5, _place(columns - 1, n) + n + 0.5)
        ax.set_ylim(TREND_FLOOR, 105)  # a point at 0% or 100% drawn whole
        ax.set_axis_off()  # no axes, ticks or spines: each panel draws its own frame
        frames, grid = [], []
        for column, (title, row) in enumerate(places):
            start = _place(column, n)
            left, right = start + 0.5, start + n + 0.5
            frames += [[(left, 105), (left, TREND_FLOOR), (right, TREND_FLOOR)]]
            grid += [[(left, y), (right, y)] for y in TREND_GRID]
            _trend_line(ax, row, waves, start)
            ax.text(left, 1, title, transform=_offset(ax, "top", TITLE_PAD), ha="left", va="bottom", fontsize=8)
            latest = _value(row, waves[-1], "%")
            if counts and latest is not None:
                _count(ax, row, waves[-1], (start + n, latest), (-3, 9 if latest <= 50 else -9), "right")
            _axis_texts(ax, "x", [(start + at, text, ha) for at, text, ha in wave_labels(line * columns + column)])
        ax.add_collection(LineCollection(frames, colors="black", linewidths=0.8, zorder=2.5, clip_on=False))
        ax.add_collection(LineCollection(grid, colors="#e0e0e0", linewidths=0.6, zorder=0))
        ax.scatter([_place(c, n) + x for c in range(len(places)) for x in range(1, n + 1)],
                   np.zeros(len(places) * n), transform=ax.get_xaxis_transform(), **WAVE_MARKS)
        ax.scatter(np.full(len(TREND_GRID), 0.5), TREND_GRID, **SCALE_MARKS)  # on the first panel's left edge
        _axis_texts(ax, "y", [(v, str(v), "right") for v in TREND_GRID])


def _place(column: int, waves: int) -> float:
    """Where a row's `column`-th panel starts along its axes, in waves: each panel is `waves` wide, and
    PANEL_GAP of that apart from the next."""
    return column * waves * (1 + PANEL_GAP)


def _trend_line(ax, row: pd.Series, waves: tuple[str, ...], start: float) -> None:
    """A row's % by wave as a line with a marker at each shown wave (at x = start + 1 … start + len(waves)), a
    gap where not shown, and an open marker on the axis, below 0, at each withheld wave: it carries no
    value."""
    x = start + np.arange(1, len(waves) + 1)
    values = [_value(row, wave, "%") for wave in waves]
    ax.plot(x, [math.nan if v is None else v for v in values], **TREND_LINE)
    held = x[[bool(row[_column(wave, "withheld")]) for wave in waves]]
    if held.size:
        ax.plot(held, np.full(held.size, TREND_FLOOR), clip_on=False, zorder=3, **WITHHELD_MARK)


def _offset(ax, side: str, points: float):
    """The transform of a text `points` outside the axes' `side` ("top", "bottom" or "left"), at a data x (or,
    on the left, a data y)."""
    if side == "left":
        return offset_copy(ax.get_yaxis_transform(), fig=ax.get_figure(), x=-points, units="points")
    return offset_copy(ax.get_xaxis_transform(), fig=ax.get_figure(), y=points if side == "top" else -points,
                       units="points")


def _axis_texts(ax, axis: str, labels: list[tuple[float, str, str]]) -> None:
    """Texts that label a row's axis where tick labels would (`_trend_rows` says why): (position, text,
    alignment) each, below the x axis ("x", at 7 pt as the waves are) or left of the y axis ("y")."""
    below = axis == "x"
    place = _offset(ax, "bottom" if below else "left", AXIS_TEXT_PAD)
    for at, text, ha in labels:
        ax.text(*((at, 0) if below else (0, at)), text, transform=place, ha=ha, va="top" if below else "center",
                fontsize=7 if below else None)


def mention_chart(table: ReleaseTable, run: RunInfo, title: str) -> Figure | None:
    """Each mention code's share of interviews in every wave (the 'All' group): a dot chart, a marker per
    wave, up to len(MARKERS) waves; beyond that small multiples of lines, one panel per code."""
    every, label = _mention_rows(table)
    if every.empty:
        return None
    waves = _labels(table)
    trend = len(waves) > len(MARKERS)
    rows = every.iloc[:CHART_PANELS if trend else CHART_MENTIONS]
    withheld = _withheld_cells(rows, label, waves)
    bases = f"Waves: {', '.join(_wave_label(rows, w) for w in waves)}. " if trend else ""
    footnote = _footnote(_by_wave(withheld, waves), run, (bases + _first_of(rows[label], every[label])).strip())
    if trend:
        columns = min(PANEL_COLUMNS, len(rows))
        lines = math.ceil(len(rows) / columns)
        fig, body, axes = _figure(title, _trend_handles(waves, bool(withheld)), 0.72 + 1.7 * lines, footnote,
                                  lines)
        named = [(1, textwrap.fill(waves[0], WAVE_TICK_WIDTH), "left"),  # inside the panel's width
                 (len(waves), textwrap.fill(waves[-1], WAVE_TICK_WIDTH), "right")]
        _trend_rows(axes, [(textwrap.fill(str(row[label]), PANEL_TITLE_WIDTH), row) for _, row in rows.iterrows()],
                    columns, waves, lambda position: named if position + columns >= len(rows) else [], counts=True)
    else:
        fig, body, (ax,) = _figure(title, _wave_handles(rows, waves),
                                   0.72 + (0.22 + 0.07 * len(waves)) * len(rows), footnote)
        _dot_rows(ax, rows, label, waves)
    return _fit_counts(fig)


CHARTS = {
    "stakeholder_mix": ("stakeholder_mix", stakeholder_mix_chart),
    "awareness_levels": ("awareness", lambda t, r: levels_chart(t, r, "Awareness levels by wave")),
    "confidence_levels": ("confidence", lambda t, r: levels_chart(t, r, "Confidence levels by wave")),
    "risk_mentions": ("risk_mentions", lambda t, r: mention_chart(t, r, "Risks mentioned by wave")),
}
"""Chart file stem: (the table it draws, how); and every theme's table (`charts_of`)."""


def charts_of(tables: list[ReleaseTable]) -> list[tuple[str, ReleaseTable, Callable]]:
    """(file stem, table, how it is drawn) of each chart of `tables`: CHARTS in their order, then a mention chart
    of each theme's table ("theme_benefit"; not those by service area) in the tables' order."""
    by_name = {t.name: t for t in tables}
    fixed = [(stem, by_name[name], draw) for stem, (name, draw) in CHARTS.items() if name in by_name]
    themes = [(t.name, t, lambda t, r: mention_chart(t, r, _theme_title(t.name))) for t in tables
              if t.name.startswith(THEME_PREFIX) and not t.name.endswith(SPLIT_SUFFIX)]
    return fixed + themes


def _theme_title(name: str) -> str:
    """ "theme_good_practice" → "Good practice mentions by wave"."""
    return f"{name.removeprefix(THEME_PREFIX).replace('_', ' ').capitalize()} mentions by wave"


def save(fig: Figure, folder: Path, stem: str, run: RunInfo) -> list[Path]:
    """The figure as PNG (at PNG_DPI, for print) and SVG, the run in their metadata ("Description"), with no
    dates or versions that would change between runs."""
    paths = [folder / f"{stem}.png", folder / f"{stem}.svg"]
    description = f"{run.title}. Made by {run.stamp}."
    _png(_laid_out(fig), paths[0], description)
    fig.savefig(paths[1], metadata={"Date": None, "Creator": None, "Description": description})
    plt.close(fig)
    return paths


def _png(fig: Figure, path: Path, description: str) -> None:
    """The figure at PNG_DPI, as an 8-bit greyscale PNG when every pixel is an opaque grey (the charts are
    drawn in greys, so always, short of a colour a future style brings, which keeps RGBA): a quarter of the
    pixels to compress, so about half the file and 0.2 s less a chart than matplotlib's RGBA PNG."""
    fig.set_dpi(PNG_DPI)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    grey = bool((rgba[..., 0] == rgba[..., 1]).all() and (rgba[..., 1] == rgba[..., 2]).all()
                and (rgba[..., 3] == 255).all())
    image = Image.fromarray(np.ascontiguousarray(rgba[..., 0]) if grey else rgba, "L" if grey else "RGBA")
    info = PngInfo()
    info.add_text("Description", description)
    image.save(path, "png", pnginfo=info, dpi=(PNG_DPI, PNG_DPI))


def write_charts(tables: list[ReleaseTable], folder: Path, run: RunInfo) -> list[Path]:
    """Draw the charts of `tables` into `folder`; returns the files, PNG then SVG, in `charts_of` order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with plt.rc_context(STYLE):
        for stem, table, draw in charts_of(tables):
            fig = draw(table, run)
            if fig is not None:
                paths += save(fig, folder, stem, run)
    return paths
