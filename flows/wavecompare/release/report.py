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
from pathlib import Path

from jinja2 import Environment

from .changes import CORE_TABLES, Change, largest_changes
from .display import Printed, blocks, printed
from .model import ReleaseTable
from .runinfo import RunInfo

REPORT_ROWS = 3000
"""Rows (all tables together) up to which the page shows every table in full."""
NO_TESTED_CHANGE = ("No change was tested: every compared base is under the test minimum, or a count is withheld, "
                    "so none is listed here; the differences are in the tables, to read as indicative only.")


def report_tables(views: list[Printed], names: list[str]) -> tuple[list[Printed], str]:
    """The printed tables the page shows, and a notice when it does not show them all.

    A page of every table of a large study (hundreds of codes, tens of waves, every group) runs to
    hundreds of thousands of cells, which no reader scrolls and browsers render slowly. Above
    REPORT_ROWS rows in all, the page keeps the four core tables, each for all interviews only (its
    first block), and says that everything is in the workbook and the CSV files.
    """
    if sum(len(v.kinds) for v in views) <= REPORT_ROWS:
        return views, ""
    shown = [blocks(v, 0, 0) for v, name in zip(views, names) if name in CORE_TABLES]
    notice = (f"This page shows the core tables for all interviews only. All {len(views)} tables, with every "
              "group and code, are in wave_comparison.xlsx and the CSV files beside this page.")
    return shown, notice


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
{%- set number = loop.index %}
<section class="table">
<div class="scroll"><table id="table-{{ number }}" style="border-collapse: collapse; font-family: Arial, sans-serif; font-size: 9pt;">
<caption style="caption-side: top; text-align: left; font-weight: bold; padding-bottom: 4pt;">Table {{ number }}: {{ view.title }}</caption>
<thead><tr>
{%- for column in view.columns %}<th style="{{ head_style }}">{{ column }}</th>{% endfor -%}
</tr></thead>
<tbody>
{%- for kind in view.kinds %}
{%- set r = loop.index0 %}
<tr class="{{ kind }}">
{%- for text in view.texts[r] %}<td style="{{ cell_style(kind, loop.first, view.indented[r]) }}">{{ text }}</td>{% endfor -%}
</tr>
{%- endfor %}
</tbody>
</table></div>
<ol class="notes">{% for note in view.notes %}<li>{{ note }}</li>{% endfor %}</ol>
<button type="button" class="copy" data-table="table-{{ number }}">Copy table {{ number }} into Word</button>
</section>
{%- endfor %}

<h2>Caveats</h2>
<ul class="caveats">
{%- for caveat in caveats %}
<li>{{ caveat }}</li>
{%- endfor %}
</ul>
<script>
// "Copy into Word": the table with its caption as HTML (Word keeps the inline styles), plain text beside it.
for (const button of document.querySelectorAll("button.copy")) {
  button.addEventListener("click", async () => {
    const table = document.getElementById(button.dataset.table);
    const html = table.outerHTML, text = table.innerText;
    try {
      await navigator.clipboard.write([new ClipboardItem({
        "text/html": new Blob([html], {type: "text/html"}), "text/plain": new Blob([text], {type: "text/plain"})})]);
    } catch (error) {
      const range = document.createRange();
      range.selectNode(table);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      document.execCommand("copy");
      getSelection().removeAllRanges();
    }
    button.textContent = "Copied: paste into Word";
  });
}
</script>
</body>
</html>
"""
HEAD_STYLE = "border-top: 1px solid #000; border-bottom: 1px solid #000; padding: 2pt 4pt; vertical-align: bottom;"


def cell_style(kind: str, first: bool, indented: bool) -> str:
    """A cell's inline style (kept when the table is pasted into Word): the row text left, values right; a
    base or heading bold over a rule, a net italic, a level indented under its code."""
    style = "padding: 1pt 4pt; vertical-align: top; " + ("text-align: left;" if first else "text-align: right;")
    style += " padding-left: 12pt;" if first and indented else ""
    style += " font-weight: bold; border-top: 1px solid #999;" if kind in ("base", "heading") else ""
    return style + (" font-style: italic;" if kind == "net" else "")


def render_html(views: list[Printed], changes: list[Change], charts: list[Path], run: RunInfo,
                notice: str = "") -> str:
    template = Environment(autoescape=True, keep_trailing_newline=True).from_string(HTML)
    return template.render(views=views, changes=changes, charts=charts, run=run, caveats=run.notes,
                           chart_title=chart_title, notice=notice, no_tested_change=NO_TESTED_CHANGE,
                           head_style=HEAD_STYLE, cell_style=cell_style)


MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: object) -> str:
    """Text safe in Markdown (and in a pipe-table cell): specials backslash-escaped, one line."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def md_table(view: Printed) -> list[str]:
    """A pipe table: values right-aligned; base and heading rows bold."""
    aligns = ["---"] + ["---:"] * (len(view.columns) - 1)
    lines = ["| " + " | ".join(md(h) for h in view.columns) + " |", "| " + " | ".join(aligns) + " |"]
    for kind, cells in zip(view.kinds, view.texts):
        texts = [md(text) for text in cells]
        lines.append("| " + " | ".join(f"**{t}**" if kind in ("base", "heading") and t else t for t in texts) + " |")
    return lines


def render_markdown(views: list[Printed], changes: list[Change], charts: list[Path], run: RunInfo,
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
    for number, view in enumerate(views, 1):
        lines += [f"### Table {number}: {md(view.title)}", "", *md_table(view), ""]
        lines += [*(f"{i}. {md(note)}" for i, note in enumerate(view.notes, 1)), ""]
    lines += ["## Caveats", ""]
    lines += [f"- {md(c)}" for c in run.notes]
    return "\n".join(lines) + "\n"


def write_reports(tables: list[ReleaseTable], charts: list[Path], folder: Path, run: RunInfo) -> list[Path]:
    """`report.html` (showing the SVG charts) and `report.md` (the PNGs) in `folder`; charts relative to it."""
    views, notice = report_tables([printed(t) for t in tables], [t.name for t in tables])
    changes = largest_changes(tables)
    relative = [p.relative_to(folder) for p in charts]
    html_path, md_path = folder / "report.html", folder / "report.md"
    svgs = [p for p in relative if p.suffix == ".svg"]
    pngs = [p for p in relative if p.suffix == ".png"]
    html_path.write_text(render_html(views, changes, svgs, run, notice), encoding="utf-8")
    md_path.write_text(render_markdown(views, changes, pngs, run, notice), encoding="utf-8")
    return [html_path, md_path]
