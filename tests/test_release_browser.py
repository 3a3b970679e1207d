"""report.html in a real headless Chromium: its tables and charts render.

Needs Debian's chromium (`apt-get install -y chromium`); `make test` installs it.
Missing, the tests fail rather than skip, so CI cannot pass without looking.
"""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest
from PIL import Image

from release_fixtures import QUOTES, RUN, TABLES
from support import CHROMIUM, chromium
from wavecompare.release.writer import write_release

pytestmark = pytest.mark.browser

# Written into the page's DOM once it has loaded, so --dump-dom shows whether each image decoded.
PROBE = (
    '<script>window.addEventListener("load", () => document.body.setAttribute("data-image-widths", '
    '[...document.images].map(i => i.naturalWidth).join(",")));</script>'
)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`")
    folder = tmp_path_factory.mktemp("browser") / "release"
    write_release(TABLES, QUOTES, folder, run=RUN)
    return folder


def test_dom_holds_the_tables_and_loaded_charts(release, tmp_path):
    probe = release / "probe.html"  # beside report.html, so the charts resolve the same way
    probe.write_text((release / "report.html").read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"))
    dom = chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", probe.as_uri())
    assert dom.count('<table id="table-') == len(TABLES)
    assert dom.count('class="copy" data-table="table-') == len(TABLES)
    assert ">not tested</td>" in dom and ">[c]</td>" in dom
    assert "<h1>Sector-led improvement: stakeholder perceptions</h1>" in dom
    widths = re.search(r'data-image-widths="([^"]*)"', dom).group(1).split(",")
    # the mix, awareness, confidence and risk charts, and one for the improvement theme table
    assert len(widths) == 5 and all(int(w) > 300 for w in widths), widths
    assert 'src="charts/risk_mentions.svg"' in dom


def test_screenshot_is_not_blank(release, tmp_path):
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2000", (release / "report.html").as_uri())
    with Image.open(shot) as image:
        assert image.size == (1200, 2000)
        pixels = np.asarray(image.convert("L"))
    assert len(np.unique(pixels)) > 50
    assert 0.01 < (pixels < 128).mean() < 0.5  # text and charts on a white page


# Clicks the second table's "copy into Word" button with a clipboard that records what it is handed, and writes
# the HTML and text it got into the DOM, for --dump-dom to show.
COPY_PROBE = """<script>
window.addEventListener("load", () => {
  const record = async (items) => {
    const html = await (await items[0].getType("text/html")).text();
    const text = await (await items[0].getType("text/plain")).text();
    document.body.setAttribute("data-copied-html", html);
    document.body.setAttribute("data-copied-text", text);
  };
  Object.defineProperty(navigator, "clipboard", {value: {write: record}});
  document.querySelector('button.copy[data-table="table-2"]').click();
});
</script>"""


def test_the_copy_button_hands_word_the_table_with_its_caption_and_styles(release, tmp_path):
    probe = release / "copy.html"
    probe.write_text((release / "report.html").read_text(encoding="utf-8").replace("</body>", COPY_PROBE + "</body>"))
    dom = chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", probe.as_uri())
    html = re.search(r'data-copied-html="([^"]*)"', dom).group(1)
    assert html.startswith("&lt;table id=\"table-2\"") or html.startswith("&lt;table id=&quot;table-2&quot;")
    assert "Table 2: Awareness of sector-led improvement by wave&lt;/caption&gt;" in html
    assert "font-family: Arial" in html and "4 of 10 (40%)" in html
    text = re.search(r'data-copied-text="([^"]*)"', dom).group(1)
    assert "Heard of it\t3 of 10 (30%)\t3 of 15 (20%)\t-10\tn.s. (p 1.0)" in text
    assert 'Copied: paste into Word' in dom
