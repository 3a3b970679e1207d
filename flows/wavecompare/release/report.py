"""The one-page report, as HTML (self-contained but for its chart files) and as Markdown.

Both carry the same content in the same order: the run, the largest tested
changes (with their counts and tests), the charts, every table with its notes,
and the caveats (worked out from the data, `changes.caveats`). Percentages,
intervals and changes on bases under 100 are shown whole (`changes.WHOLE_BELOW`);
the CSV files and the workbook, for analysts, keep one decimal. The HTML is rendered by Jinja2 with autoescaping, so no text from the
data can become markup; the Markdown escapes the characters that would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from jinja2 import Environment

from .cells import NUMBER_LIKE_MEASURES, NUMERIC_MEASURES, frame_numbers, measure_of, shown
from .changes import CORE_TABLES, WHOLE_BELOW, Change, largest_changes, whole_changes, whole_percents
from .layout import ColumnGroup, base_mask, column_groups
from .model import ReleaseTable, change_column, wave_column
from .runinfo import RunInfo
from .stats import interval_texts

REPORT_ROWS = 3000
"""Rows (all tables together) up to which the page shows every table in full."""
NO_TESTED_CHANGE = ("No change was tested: every compared base is under the test minimum, or a count is withheld, "
                    "so none is listed here; the differences are in the tables, to read as indicative only.")


@dataclass(frozen=True)
class TableView:
    """A table as both renderers show it: its banner header and its rows of display text."""

    title: str
    groups: list[ColumnGroup]
    numeric: list[bool]  # per column: right-align it
    rows: list[tuple[bool, list[str]]]  # (is a base row, display text per column)
    notes: tuple[str, ...]


def table_view(table: ReleaseTable) -> TableView:
    groups = column_groups(table)
    columns = [c for g in groups for c in g.columns]
    numeric = [measure_of(c) in NUMERIC_MEASURES + NUMBER_LIKE_MEASURES for c in columns]
    whole = whole_texts(table)
    texts = {c: whole.get(c, [None] * len(table.frame)) for c in columns}
    rows = [
        (bool(base), [texts[c][i] or shown(row[c], measure_of(c)) for c in columns])
        for i, (base, (_, row)) in enumerate(zip(base_mask(table), table.frame.iterrows()))
    ]
    return TableView(table.title, groups, numeric, rows, table.notes)


def whole_texts(table: ReleaseTable) -> dict[str, np.ndarray]:
    """The page's text of each %, interval and change cell on a base under WHOLE_BELOW, whole ("40",
    "17–69%", "+27"), by column; None elsewhere (shown as published, to one decimal). Worked from the
    published counts, not the rounded values, so that 12.46% reads 12, not 13."""
    frame = table.frame

    def counts(wave: str) -> tuple[np.ndarray, np.ndarray]:
        values = frame_numbers(frame[[wave_column(wave, "n"), wave_column(wave, "base")]])
        return values[:, 0], values[:, 1]

    texts = {}
    for wave in table.waves:
        n, base = counts(wave)
        pct = frame_numbers(frame[[wave_column(wave, "%")]])[:, 0]
        at = np.flatnonzero(~np.isnan(pct) & ~np.isnan(n) & (base < WHOLE_BELOW))
        texts[wave_column(wave, "%")] = _placed(len(frame), at, whole_percents(n[at], base[at]).astype(str))
        texts[wave_column(wave, "95% CI")] = _placed(len(frame), at, interval_texts(n[at], base[at], table.alpha, 0))
    for a, b in table.pairs:
        (n_a, base_a), (n_b, base_b) = counts(a), counts(b)
        pp = frame_numbers(frame[[change_column(a, b, "change (pp)")]])[:, 0]
        at = np.flatnonzero(~np.isnan(pp) & ~np.isnan(n_a + n_b) & (np.fmin(base_a, base_b) < WHOLE_BELOW))
        change = whole_changes(n_a[at], base_a[at], n_b[at], base_b[at])
        texts[change_column(a, b, "change (pp)")] = _placed(
            len(frame), at, np.where(change == 0, "0", np.char.mod("%+d", change)))
    return texts


def _placed(length: int, at: np.ndarray, values: np.ndarray) -> np.ndarray:
    """An object array of `length` Nones with `values` at the positions `at`."""
    placed = np.full(length, None, dtype=object)
    placed[at] = values
    return placed


def report_tables(tables: list[ReleaseTable]) -> tuple[list[ReleaseTable], str]:
    """The tables the page shows, and a notice when it does not show them all.

    A page of every table of a large study (hundreds of codes, tens of waves, every group) runs to
    hundreds of thousands of cells, which no reader scrolls and browsers render slowly. Above
    REPORT_ROWS rows in all, the page keeps the four core tables, each for all interviews only (its
    first block), and says that everything is in the workbook and the CSV files.
    """
    if sum(len(t.frame) for t in tables) <= REPORT_ROWS:
        return tables, ""
    shown = [_first_block(t) for t in tables if t.name in CORE_TABLES]
    notice = (f"This page shows the core tables for all interviews only. All {len(tables)} tables, with every "
              "group and code, are in wave_comparison.xlsx and the CSV files beside this page.")
    return shown, notice


def _first_block(table: ReleaseTable) -> ReleaseTable:
    """The table down to its second base row (the rows for all interviews)."""
    starts = np.flatnonzero(base_mask(table).to_numpy())
    end = starts[1] if len(starts) > 1 else len(table.frame)
    return replace(table, frame=table.frame.iloc[:end])


def chart_title(path: Path) -> str:
    """A chart's alt text from its file name: "risk_mentions.svg" → "Risk mentions"."""
    return path.stem.replace("_", " ").capitalize()


HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ run.title }}</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #111; margin: 2rem auto; max-width: 1180px;
       padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #999; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: 0.4rem; }
.run { color: #555; margin-top: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.78rem; margin-bottom: 0.4rem; }
th, td { border: 1px solid #bbb; padding: 0.2rem 0.4rem; vertical-align: top; }
th { background: #e6e6e6; text-align: center; }
td.num { text-align: right; white-space: nowrap; }
tr.base td { font-weight: bold; background: #f3f3f3; }
.notes { font-size: 0.8rem; color: #333; margin-top: 0.2rem; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
</style>
</head>
<body>
<h1>{{ run.title }}</h1>
<p class="run">Wave comparison, {{ run.stamp }}. Source files: {{ run.sources | join(", ") }}.</p>
{% for sentence in run.study %}<p class="run">{{ sentence }}</p>
{% endfor %}

<h2>Largest changes</h2>
<ul class="changes">
{%- for change in changes %}
<li>{{ change.sentence }}</li>
{%- else %}
<li>{{ no_tested_change }}</li>
{%- endfor %}
</ul>

<h2>Charts</h2>
{%- for chart in charts %}
<figure><img src="{{ chart.as_posix() }}" alt="{{ chart_title(chart) }}"></figure>
{%- endfor %}

<h2>Tables</h2>
{%- if notice %}
<p class="notice">{{ notice }}</p>
{%- endif %}
{%- for view in views %}
<section class="table">
<h3>{{ view.title }}</h3>
<div class="scroll"><table>
<thead>
<tr>
{%- for group in view.groups %}
{%- if group.label %}<th colspan="{{ group.columns | length }}">{{ group.label }}</th>
{%- else %}{% for column in group.columns %}<th rowspan="2">{{ column }}</th>{% endfor %}
{%- endif %}
{%- endfor %}</tr>
<tr>
{%- for group in view.groups if group.label %}
{%- for measure in group.measures %}<th>{{ measure }}</th>{% endfor %}
{%- endfor %}</tr>
</thead>
<tbody>
{%- for base, cells in view.rows %}
<tr{% if base %} class="base"{% endif %}>
{%- for text in cells %}<td{% if view.numeric[loop.index0] %} class="num"{% endif %}>{{ text }}</td>{% endfor -%}
</tr>
{%- endfor %}
</tbody>
</table></div>
<ul class="notes">{% for note in view.notes %}<li>{{ note }}</li>{% endfor %}</ul>
</section>
{%- endfor %}

<h2>Caveats</h2>
<ul class="caveats">
{%- for caveat in caveats %}
<li>{{ caveat }}</li>
{%- endfor %}
</ul>
</body>
</html>
"""


def render_html(views: list[TableView], changes: list[Change], charts: list[Path], run: RunInfo,
                notice: str = "") -> str:
    template = Environment(autoescape=True, keep_trailing_newline=True).from_string(HTML)
    return template.render(views=views, changes=changes, charts=charts, run=run, caveats=run.notes,
                           chart_title=chart_title, notice=notice, no_tested_change=NO_TESTED_CHANGE)


MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: object) -> str:
    """Text safe in Markdown (and in a pipe-table cell): specials backslash-escaped, one line."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def md_table(view: TableView) -> list[str]:
    """A pipe table; the banner's two header rows become one ("Wave 1 (2012): %")."""
    headers = [f"{g.label}: {m}" if g.label else m for g in view.groups for m in g.measures]
    aligns = ["---:" if num else "---" for num in view.numeric]
    lines = ["| " + " | ".join(md(h) for h in headers) + " |", "| " + " | ".join(aligns) + " |"]
    for base, cells in view.rows:
        texts = [md(text) for text in cells]
        lines.append("| " + " | ".join(f"**{t}**" if base and t else t for t in texts) + " |")
    return lines


def render_markdown(views: list[TableView], changes: list[Change], charts: list[Path], run: RunInfo,
                    notice: str = "") -> str:
    lines = [
        f"# {md(run.title)}",
        "",
        f"Wave comparison, {md(run.stamp)}. Source files: {md(', '.join(run.sources))}.",
        "",
    ]
    lines += [line for sentence in run.study for line in (md(sentence), "")]
    lines += ["## Largest changes", ""]
    lines += [f"- {md(c.sentence)}" for c in changes] or [f"- {md(NO_TESTED_CHANGE)}"]
    lines += ["", "## Charts", ""]
    lines += [f"![{md(chart_title(p))}]({p.as_posix()})\n" for p in charts]
    lines += ["## Tables", ""] + ([md(notice), ""] if notice else [])
    for view in views:
        lines += [f"### {md(view.title)}", "", *md_table(view), ""]
        lines += [*(f"- {md(note)}" for note in view.notes), ""]
    lines += ["## Caveats", ""]
    lines += [f"- {md(c)}" for c in run.notes]
    return "\n".join(lines) + "\n"


def write_reports(tables: list[ReleaseTable], charts: list[Path], folder: Path, run: RunInfo) -> list[Path]:
    """`report.html` (showing the SVG charts) and `report.md` (the PNGs) in `folder`; charts relative to it."""
    shown, notice = report_tables(tables)
    views = [table_view(t) for t in shown]
    changes = largest_changes(tables)
    relative = [p.relative_to(folder) for p in charts]
    html_path, md_path = folder / "report.html", folder / "report.md"
    svgs = [p for p in relative if p.suffix == ".svg"]
    pngs = [p for p in relative if p.suffix == ".png"]
    html_path.write_text(render_html(views, changes, svgs, run, notice), encoding="utf-8")
    md_path.write_text(render_markdown(views, changes, pngs, run, notice), encoding="utf-8")
    return [html_path, md_path]
