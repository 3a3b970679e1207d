"""Parse every .sql file under the folders given with DuckDB's own parser: the SQL check of `make lint` for
the files sqlfluff's DuckDB dialect misreads (.sqlfluffignore), and a second opinion on the rest, since
sqlfluff accepts some SQL that DuckDB refuses. Nothing is bound or run, so no table needs to exist and
`$name` parameters stay parameters. Exits 1 naming each file that does not parse."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb


def problems(folder: Path) -> tuple[int, list[str]]:
    """(how many files were read, a sentence for each that does not parse into at least one statement)."""
    con = duckdb.connect()
    paths = sorted(folder.rglob("*.sql"))
    found = []
    for path in paths:
        try:
            statements = con.extract_statements(path.read_text(encoding="utf-8"))
        except duckdb.ParserException as error:
            found.append(f"{path}: DuckDB's parser refuses it: {error}")
            continue
        if not statements:
            found.append(f"{path}: holds no SQL statement")
    return len(paths), found


def main(folders: list[str]) -> int:
    results = [problems(Path(folder)) for folder in folders]
    read = sum(count for count, _ in results)
    found = [problem for _, more in results for problem in more] or ([] if read else [f"no .sql file under {folders}"])
    for problem in found:
        print(problem, file=sys.stderr)
    print(f"{read - len(found)} of {read} SQL files parse with DuckDB {duckdb.__version__}'s parser")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
