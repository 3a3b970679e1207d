"""The command that writes a generated document (`python -m wavecompare.<module> --write docs/<page>.md`),
shared by the data dictionary and the validation rules, whose tests fail while the page is stale."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def main(argv: list[str] | None, module: str, description: str, page: str, generate: Callable[[], str]) -> int:
    """Print the page `generate` writes, or write it to the path given with --write."""
    parser = argparse.ArgumentParser(prog=f"python -m wavecompare.{module}", description=description)
    parser.add_argument("--write", type=Path, metavar="PATH", help=f"write {page} here (else print it)")
    args = parser.parse_args(argv)
    text = generate()
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def table_cell(text: str) -> str:
    """Text for a cell of a Markdown table: a `|` would end the cell."""
    return text.replace("|", "\\|")
