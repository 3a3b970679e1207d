"""The validation report (Great Expectations Data Docs) works offline, in a real headless Chromium.

A run over a study with one failing rule writes the report; opened with no network, its index
lists every suite's result, its pages are styled and show their icons, and the failing rule
is on its suite's page. No page refers to the network.

Needs Debian's chromium (`apt-get install -y chromium`); `make test` installs it.
Missing, the tests fail rather than skip, so CI cannot pass without looking.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

from support import CHROMIUM, HEADERS, INTERVIEWS, chromium, write_csv, write_tiny_study
from wavecompare.cli import main

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

RULE = "the duration must be between 1 and 600 minutes"
# Written into the page once it has loaded and its fonts are ready, so --dump-dom shows what worked.
PROBE = """<script>window.addEventListener("load", () => document.fonts.ready.then(() => {
  const nav = document.querySelector("nav.navbar");
  document.body.setAttribute("data-probe", [
    "jquery=" + (typeof window.jQuery),
    "bootstrap-js=" + (typeof (window.jQuery && jQuery.fn.tab)),
    "navbar=" + getComputedStyle(nav).position,
    "icons=" + [...document.fonts].some(f => f.family.includes("Font Awesome") && f.status === "loaded"),
  ].join(" "));
}));</script>"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """The report folder of a run whose interviews break one rule (C3 lasted 900 minutes)."""
    root = tmp_path_factory.mktemp("report")
    study = write_tiny_study(root / "study")
    rows = [list(row) for row in INTERVIEWS["2022"]]
    rows[2][6] = 900
    write_csv(study / "2022" / "interviews.csv", HEADERS["interviews"], rows)
    with contextlib.redirect_stderr(io.StringIO()) as err, contextlib.redirect_stdout(io.StringIO()):
        status = main(["run", "--raw-dir", str(study), "--warehouse", str(root / "warehouse.duckdb"),
                       "--out-dir", str(root / "processed")])
    assert status == 1
    assert f"- 2022/interviews.csv, column duration_minutes: {RULE}: 1 row(s) affected: interview C3: '900' (row 4)" in err.getvalue()
    [index] = (root / "processed" / "validation").glob("*/index.html")
    return index.parent


def dom(page: Path, tmp_path: Path) -> str:
    """The page's DOM after its scripts ran, read through a probe copy beside it (same relative links)."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`")
    probe = page.with_name("probe-" + page.name)
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    try:
        return chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", probe.as_uri())
    finally:
        probe.unlink()


def test_no_page_refers_to_the_network(report):
    pages = sorted(report.rglob("*.html"))
    assert len(pages) == 14  # the index, 7 suites, 6 validation results (the tables were never built)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert re.findall(r"https?://[^\s\"'<>)]*", text) == [], page
        assert "newsletter" not in text.lower(), page
        assets = re.findall(r'\ssrc="([^"]+)"|<link rel="stylesheet" href="([^"]+)"', text)
        assert len(assets) == 5, page  # jQuery, Bootstrap's script and style, Font Awesome, GX's logo
        for asset in assets:
            assert (page.parent / "".join(asset)).is_file(), (page, asset)
    for sheet in report.rglob("*.css"):
        assert re.findall(r"url\(\s*['\"]?https?:", sheet.read_text(encoding="utf-8")) == [], sheet


def test_index_lists_every_suite_result(report, tmp_path):
    page = dom(report / "index.html", tmp_path)
    probe = re.search(r'data-probe="([^"]*)"', page).group(1)
    assert probe == "jquery=function bootstrap-js=function navbar=sticky icons=true"
    results = {}
    for row in re.findall(r"<tr.*?</tr>", page, re.S):
        link = re.search(r'href="validations/(\w+)/[^"]+\.html"', row)
        if link:
            results[link.group(1)] = "fa-check-circle" in row and "ge-success-icon" in row
    assert results == {"waves": True, "codebook": True, "redact": True, "crosswalk": True, "interviews": False,
                       "responses": True}


def test_failing_rule_is_shown_on_its_suite_page(report, tmp_path):
    [page_path] = report.glob("validations/interviews/*/*/*.html")
    page = dom(page_path, tmp_path)
    assert re.search(r'data-probe="jquery=function bootstrap-js=function navbar=sticky icons=true"', page)
    assert page.count(RULE) == 1
    before, after = page.split(RULE)
    status = before.rsplit("<tr>", 1)[1]
    assert '<i class="fas fa-times text-danger"></i>' in status
    assert after.index("1 unexpected values found.") < after.index('<div class="show-scrollbars">900.0</div>') < 2000
