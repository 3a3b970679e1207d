"""Where the SQL (`sql/`) and the suites (`expectations/`) are read from.

Both folders live at the top level of the checkout, and the wheel ships them inside the package as
`wavecompare/sql` and `wavecompare/expectations` (pyproject.toml maps them in). Installed from a wheel, they are
found beside the code through importlib.resources; run from a checkout (an editable install, or `flows/` on the
path), the checkout's own folders are read, so an edit to a model takes effect without reinstalling.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = files("wavecompare")


def checkout() -> Path | None:
    """The top of the source checkout the code runs from, or None when it runs from an installed wheel."""
    if (PACKAGE / "sql").is_dir():  # the wheel's copy
        return None
    top = Path(str(PACKAGE)).parents[1]
    return top if (top / "pyproject.toml").is_file() else None


def folder(name: str) -> Traversable:
    """`sql` or `expectations`: the checkout's, or the copy the wheel ships."""
    top = checkout()
    found = top / name if top else PACKAGE / name
    if not found.is_dir():
        raise FileNotFoundError(f"wavecompare's {name}/ folder is missing: neither the package nor a checkout holds it")
    return found


def walk(root: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    """Every file under `root` (at any depth), named `prefix/relative/path`, in name order."""
    for entry in sorted(root.iterdir(), key=lambda entry: entry.name):
        name = f"{prefix}/{entry.name}"
        if entry.is_dir():
            yield from walk(entry, name)
        else:
            yield name, entry
