"""The release charts drawn from hand-written tables and read back from matplotlib's artists and the files."""

from __future__ import annotations

from release_fixtures import RUN, banner, base
from wavecompare.release.charts import levels_chart
from wavecompare.release.model import SUPPRESSED as C

LEVELS = ("not aware", "heard of it", "aware", "very familiar")


def awareness(second_wave: list[list]) -> object:
    """An awareness table of one code, wave 1 all shown (1, 2, 3, 4 of 10), wave 2 given as rows of cells."""
    first = [[n, 10, n * 10.0, f"{n} of 10", "", ""] for n in (1, 2, 3, 4)]
    return banner("awareness", "Awareness by wave", ("Group", "Code", "Label", "Level"), [
        base(("All", "", "", "Base (interviews)")),
        *((("All", "aware_theory", "Awareness of the theory", level), one, two, [None, ""])
          for level, one, two in zip(LEVELS, first, second_wave)),
    ])


WITHHELD_ONE = awareness([
    [3, 15, 20.0, "3 of 15", "", ""],
    [C, 15, C, C, C, C],
    [4, 15, 26.7, "4 of 15", "", ""],
    [6, 15, 40.0, "6 of 15", "", ""],
])


def segments(ax, y: int) -> list[tuple[float, float, str]]:
    """The (left, width, hatch) of each bar segment of the y-th wave, left to right."""
    bars = [p for p in ax.patches if abs(p.get_y() + p.get_height() / 2 - y) < 1e-9]
    return sorted((round(p.get_x(), 1), round(p.get_width(), 1), p.get_hatch() or "") for p in bars)


def test_a_withheld_level_is_one_hatched_segment_of_the_rest_and_the_others_keep_their_place():
    ax = levels_chart(WITHHELD_ONE, RUN, "Awareness levels by wave").subfigs[1].axes[0]
    assert [(left, width) for left, width, _ in segments(ax, 0)] == [(0.0, 10.0), (10.0, 20.0), (30.0, 30.0),
                                                                      (60.0, 40.0)]
    second = segments(ax, 1)
    assert [(left, width) for left, width, _ in second] == [(0.0, 20.0), (20.0, 13.3), (33.3, 26.7), (60.0, 40.0)]
    assert second[1][2] == "////" and "////" not in {hatch for _, _, hatch in second[::2]}
