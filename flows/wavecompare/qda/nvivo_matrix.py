"""NVivo's "Matrix Coding Query" export: a grid of coding-reference counts, cases across and codes down.

Cell A1 is empty; the first row names the cases as NVivo writes them, `A : <case>` (a letter per column), and
column A the codes, `<number> : <code>`. Each count is a whole number of coding references of that code in that
case. The case is the document (interview): its name is the label in the header, not the file's name, which
need not agree (the samples have two files whose names and cases differ). A code of the matrix is flat: its
path is its name. A zero is no coding; a count above zero is one coding row standing for that many references.
"""

from __future__ import annotations

import re

from openpyxl.utils import get_column_letter

from .archive import Refused
from .export import Export, code_path, codings_frame
from .sheets import Grid

CASE = re.compile(r"^[A-Z]+ : (.+)$")
CODE = re.compile(r"^\d+ : (.+)$")
LOOKED_FOR = "NVivo matrix coding query (A1 empty, 'A : <case>' across, '1 : <code>' down)"


def recognise(grid: Grid) -> bool:
    if len(grid.rows) < 2 or len(grid.rows[0]) < 2 or grid.rows[0][0]:
        return False
    cases = [cell for cell in grid.rows[0][1:] if cell]
    return bool(cases) and all(CASE.match(cell) for cell in cases) and bool(CODE.match(grid.rows[1][0] or ""))


def read_matrix(grid: Grid) -> Export:
    where = f"sheet {grid.sheet!r}" if grid.sheet else "the file"
    cases = [(column, CASE.match(cell).group(1).strip()) for column, cell in enumerate(grid.rows[0]) if column and cell]
    rows, codes = [], []
    for number, row in enumerate(grid.rows[1:], start=2):
        if not any(row):
            continue
        found = CODE.match((row[0] or "").strip())
        if not found:
            raise Refused(f"cell A{number} of {where} is {row[0]!r}, not a code as '<number> : <name>'")
        path = code_path([found.group(1).strip()])
        codes.append(path)
        for column, case in cases:
            count = row[column] if column < len(row) else None
            cell = f"{get_column_letter(column + 1)}{number}"
            if count is None or not count.isdigit():
                raise Refused(f"cell {cell} of {where} is {count!r}, not a whole number of coding references")
            if int(count):
                rows.append((case, path, cell, None, None, None, int(count)))
    return Export("NVivo matrix coding query", tuple(case for _, case in cases), tuple(codes), codings_frame(rows))
