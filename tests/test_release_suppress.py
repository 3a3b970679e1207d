"""Disclosure control: hand-built tables where suppression must (or must not) go
further, each checked by solving for every suppressed cell with integer linear
programming (scipy.optimize.linprog, HiGHS), independently of suppress.py's own audit."""

from __future__ import annotations

import numpy as np
import pytest

from support import ranges
from wavecompare.release import suppress
from wavecompare.release.suppress import Equation


def released(values: dict, hidden: set) -> dict:
    return {key: (None if key in hidden else value) for key, value in values.items()}


def as_pairs(equations: list[Equation]) -> list:
    return [(equation.total, list(equation.parts)) for equation in equations]


def pinned(values: dict, equations: list[Equation], hidden: set) -> list:
    return [key for key, (low, high) in ranges(released(values, hidden), as_pairs(equations)).items() if low == high]


def test_two_groups_one_small_cell_needs_a_secondary():
    values = {"A": 2, "B": 5, "All": 7}
    equations = [Equation("All", ("A", "B"))]
    assert pinned(values, equations, {"A"}) == ["A"]  # 7 − 5: the unsafe cell alone is disclosed
    hidden = suppress.protect(values, equations, {"A"})
    assert hidden == {"A", "B"}  # the other group, not the headline All
    assert pinned(values, equations, hidden) == []


def test_nothing_unsafe_nothing_withheld():
    values = {"A": 0, "B": 5, "All": 5}
    assert suppress.protect(values, [Equation("All", ("A", "B"))], set()) == set()


def test_a_unanimous_answer_is_protected_by_a_zero_never_by_the_fixed_base():
    values = {"low": 0, "high": 4, "base": 4}
    hidden = suppress.protect(values, [Equation("base", ("low", "high"))], {"high"},
                              fixed={"base"})
    assert hidden == {"high", "low"}
    assert pinned(values, [Equation("base", ("low", "high"))], hidden) == []


def test_fixed_cells_are_never_withheld_even_where_a_total_would_be_chosen():
    """Two groups and All: with the group cell B fixed (a design fact), the only cell left to protect A is
    All, a total the choice otherwise avoids."""
    values = {"A": 2, "B": 5, "All": 7}
    hidden = suppress.protect(values, [Equation("All", ("A", "B"))], {"A"}, fixed={"B"})
    assert hidden == {"A", "All"}


def test_a_cell_only_fixed_cells_could_protect_is_unprotectable():
    values = {"A": 2, "B": 5, "All": 7}
    with pytest.raises(suppress.Unprotectable):
        suppress.protect(values, [Equation("All", ("A", "B"))], {"A"}, fixed={"B", "All"})


def test_groups_by_levels_with_all_and_bases():
    """Two groups × three levels, 'All' and bases: a 1 in one group must be hidden
    so that neither its row (levels → base) nor its column (groups → All) gives it away."""
    levels = ("low", "mid", "high")
    counts = {"G1": (1, 4, 5), "G2": (3, 3, 4), "All": (4, 7, 9)}
    values = {(g, level): n for g, row in counts.items() for level, n in zip(levels, row)}
    values.update({("G1", "base"): 10, ("G2", "base"): 10, ("All", "base"): 20})
    equations = [Equation((g, "base"), tuple((g, level) for level in levels)) for g in counts]
    equations += [Equation(("All", level), (("G1", level), ("G2", level))) for level in levels]
    equations.append(Equation(("All", "base"), (("G1", "base"), ("G2", "base"))))
    hidden = suppress.protect(values, equations, {key for key, n in values.items() if 0 < n < 3})
    assert ("G1", "low") in hidden and len(hidden) >= 4  # a rectangle at least
    assert pinned(values, equations, hidden) == []
    assert not any(key[1] == "base" for key in hidden)


def test_chain_that_line_rules_alone_leave_open_is_closed_by_the_audit():
    """x + y = 3, y + z = 3, x + z = 2 pins every cell although each equation has two
    suppressed cells: the audit must suppress further."""
    values = {"x": 1, "y": 2, "z": 1, "t1": 3, "t2": 3, "t3": 2}
    equations = [Equation("t1", ("x", "y")), Equation("t2", ("y", "z")),
                 Equation("t3", ("x", "z"))]
    hidden = suppress.protect(values, equations, {key for key, n in values.items() if 0 < n < 3})
    assert {"x", "y", "z"} <= set(hidden) and len(hidden) > 3
    assert pinned(values, equations, hidden) == []


def test_equations_must_name_known_cells():
    with pytest.raises(ValueError, match="without a value"):
        suppress.protect({"A": 1}, [Equation("All", ("A",))], set())


def recoverable(values: dict, equations: list[Equation], suppressed: set) -> list:
    """The cells of `suppressed` whose value suppress.py's own audit (the one `protect` runs between its rounds)
    finds to follow from the published cells and the equations."""
    system = suppress._System(values, equations, ())
    hidden = {system.index[key] for key in suppressed}
    components = suppress._components(system, hidden)
    return [system.keys[cell] for found in suppress._pinned(system, components, set()) for cell in found]


def test_audit_finds_recoverable_cells_in_every_linked_group():
    """Three independent groups of suppressed cells, audited together: a triangle the
    equations pin, a pair forced to 0 by a published total of 0, and a pair that can
    trade; only the first two groups are recoverable, as the independent solver says."""
    values = {"x": 1, "y": 2, "z": 1, "t1": 3, "t2": 3, "t3": 2,
              "p": 0, "q": 0, "t4": 0, "a": 4, "b": 5, "t5": 9}
    equations = [Equation("t1", ("x", "y")), Equation("t2", ("y", "z")),
                 Equation("t3", ("x", "z")), Equation("t4", ("p", "q")),
                 Equation("t5", ("a", "b"))]
    hidden = {"x", "y", "z", "p", "q", "a", "b"}
    assert sorted(recoverable(values, equations, hidden)) == ["p", "q", "x", "y", "z"]
    assert sorted(pinned(values, equations, hidden)) == ["p", "q", "x", "y", "z"]


def test_all_row_shared_by_two_splits_is_protected_without_touching_bases():
    """Groups and service areas both add up to the same All row: All's small count (2 at
    'low') must be hidden with cells that can move together in both splits at once."""
    counts = {"G1": (1, 9), "G2": (1, 9), "S1": (1, 9), "S2": (1, 9), "All": (2, 18)}
    levels = ("low", "high")
    values = {(g, level): n for g, row in counts.items() for level, n in zip(levels, row)}
    values.update({(g, "base"): sum(row) for g, row in counts.items()})
    equations = [Equation((g, "base"), tuple((g, level) for level in levels)) for g in counts]
    for split in (("G1", "G2"), ("S1", "S2")):
        equations += [Equation(("All", level), tuple((g, level) for g in split))
                      for level in levels]
        equations.append(Equation(("All", "base"), tuple((g, "base") for g in split)))
    hidden = suppress.protect(values, equations, {key for key, n in values.items() if 0 < n < 3})
    assert {("All", "low"), ("G1", "low"), ("S1", "low")} <= set(hidden)
    assert pinned(values, equations, hidden) == []
    assert not any(key[1] == "base" for key in hidden)


def test_a_suppression_protects_again_as_one_built_afresh():
    """Protection builds the system once and protects it again after each audit with more unsafe cells: a round
    must not keep the previous round's secondary cells, and gives what a system built from scratch gives."""
    values = {"A": 2, "B": 5, "C": 4, "All": 11}
    equations = [Equation("All", ("A", "B", "C"))]
    suppression = suppress.Suppression(values, equations)
    assert suppression.protect({"A"}) == {"A", "C"}  # the smallest other part, not the headline All
    assert suppression.protect({"B"}) == {"A", "B"}  # C was A's secondary cell, not B's
    assert suppress.protect(values, equations, {"B"}) == {"A", "B"}
    assert suppression.protect({"A", "B"}) == {"A", "B"}


def test_the_equations_of_each_cell_are_listed_in_order_and_a_cell_in_none_has_none():
    from wavecompare.release.moves import Grouped

    by_cell = Grouped(np.array([2, 0, 2, 3]), np.array([10, 11, 12, 13]), 4)  # cell 2 in equations 10 and 12
    assert [by_cell[cell] for cell in range(4)] == [[11], [], [10, 12], [13]]
