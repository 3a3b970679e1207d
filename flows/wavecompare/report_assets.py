"""The validation report works offline: its pages load scripts, styles and fonts from copies
under the report folder, taken from installed packages, never from the CDNs that GX names.

GX 1.x writes the CDN addresses into its page templates and offers no setting for them, so
after GX has rendered the pages each one is rewritten: a script or stylesheet with a local
copy points to it, every other one is dropped (vega draws no chart in these reports; the
bootstrap-table plugin and its date picker are not needed, see report_index.py; Popper is in
Bootstrap's bundle), GX's logo comes from the report's own images, and the newsletter footer
and the link to GX's website go. Each library's licence is copied beside it.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

VENDOR = "static/vendor"


@dataclass(frozen=True)
class Library:
    name: str  # folder under static/vendor
    distribution: str  # the pip package that ships the files
    package: str  # where its files are: a module and a folder inside it
    folder: str
    files: tuple[str, ...]  # files or folders to copy, relative to that folder


LIBRARIES = (
    Library("jquery", "XStatic-jQuery", "xstatic.pkg.jquery", "data", ("jquery.min.js",)),
    Library("bootstrap", "django-static-bootstrap", "django_static_bootstrap", "static/bootstrap",
            ("css/bootstrap.min.css", "js/bootstrap.bundle.min.js")),
    Library("fontawesome", "fontawesomefree", "fontawesomefree", "static/fontawesomefree",
            ("css/all.min.css", "webfonts", "LICENSE.txt")),
)
# The CDN addresses in GX 1.24's templates that have a local copy; every other script and stylesheet is dropped.
LOCAL = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/js/bootstrap.bundle.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/css/bootstrap.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",
}
NETWORK_TAG = re.compile(r'<script src="(https?://[^"]+)"[^>]*></script>|<link [^>]*href="(https?://[^"]+)"[^>]*>')
GX_IMAGE = re.compile(r"https://great-expectations-web-assets\.s3\.[^/]+\.amazonaws\.com/[^\"')]+")
NEWSLETTER = re.compile(r"<footer>\s*<p>Stay current on everything GX.*?</footer>", re.S)
GX_SITE = re.compile(r'<a href="https://greatexpectations\.io">(Great Expectations)</a>')


def make_offline(docs_dir: Path) -> None:
    """Copy the libraries into the report and point every page (and GX's style sheet) at them."""
    for library in LIBRARIES:
        _copy(library, docs_dir / VENDOR / library.name)
    for path in [*docs_dir.rglob("*.html"), *(docs_dir / "static" / "styles").glob("*.css")]:
        up = Path(os.path.relpath(docs_dir, path.parent)).as_posix() + "/"
        path.write_text(_offline(path.read_text(encoding="utf-8"), up), encoding="utf-8")


def _offline(text: str, up: str) -> str:
    """A page's text with local assets only; `up` leads from the page to the report folder."""
    def local_tag(match: re.Match) -> str:
        script, sheet = match.groups()
        target = LOCAL.get(script or sheet)
        if target is None:
            return ""
        src = f"{up}{VENDOR}/{target}"
        return f'<script src="{src}"></script>' if script else f'<link rel="stylesheet" href="{src}">'

    text = NETWORK_TAG.sub(local_tag, text)
    text = GX_IMAGE.sub(f"{up}static/images/logo-long.png", text)
    text = NEWSLETTER.sub("", text)
    return GX_SITE.sub(r"\1", text)


def _copy(library: Library, target: Path) -> None:
    source = resources.files(library.package).joinpath(library.folder)
    for name in library.files:
        with resources.as_file(source.joinpath(name)) as path:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            if path.is_dir():
                shutil.copytree(path, target / name)
            else:
                shutil.copyfile(path, target / name)
    for licence in metadata.distribution(library.distribution).files or ():
        if licence.parts[0].endswith(".dist-info") and licence.name.upper().startswith("LICEN"):
            shutil.copyfile(licence.locate(), target / licence.name)
