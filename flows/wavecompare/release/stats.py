"""Wave-on-wave change tests and intervals, from SciPy and statsmodels.

- Test: Fisher's exact test, two-sided, for two independent proportions
  (`scipy.stats.fisher_exact`). Boschloo's test is uniformly more powerful but
  maximises over a nuisance parameter numerically: about 4 s per row at bases
  of 500 (against 1 ms for Fisher), i.e. hours for the benchmark studies (20
  waves, 300 codes). Fisher is exact at any base, reproducible to the last digit
  and conservative, which suits small samples readers tend to over-read.
- Multiplicity: Holm's step-down correction over every test of one table
  (`statsmodels.stats.multitest.multipletests(method="holm")`). It controls the
  chance of any false flag in the table under any dependence between rows; the
  levels of one code are negatively dependent (they sum to the base), which
  Benjamini–Hochberg's positive-dependence condition does not cover.
- Intervals: Wilson score intervals
  (`statsmodels.stats.proportion.proportion_confint(method="wilson")`), which
  stay inside 0–100% and keep their coverage at small bases, unlike the normal
  approximation.
- A row is tested only when both bases reach the minimum; otherwise its cell
  reads "not tested (base n)" with the smaller base, never "no change".
"""

from __future__ import annotations

from functools import cache

import pandas as pd
from scipy.stats import fisher_exact
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

PAIR_COLUMNS = ("n_a", "base_a", "n_b", "base_b")
"""Columns of the frame `change_tests` reads: counts and bases of the earlier (a) and later (b) wave."""


def wilson_interval(n: int, base: int, alpha: float) -> tuple[float, float] | None:
    """The Wilson (1 − alpha) interval for n of base, as percentages; None when the base is 0."""
    if base <= 0:
        return None
    low, high = proportion_confint(n, base, alpha=alpha, method="wilson")
    return 100 * float(low), 100 * float(high)


@cache
def interval_text(n: int, base: int, alpha: float) -> str | None:
    """The interval as it is printed, e.g. "16.8–68.7%"."""
    interval = wilson_interval(n, base, alpha)
    return None if interval is None else f"{interval[0]:.1f}–{interval[1]:.1f}%"


def p_text(p: float) -> str:
    """A p-value to two significant figures ("= 0.012", "= 0.41", "= 1.0"), or "< 0.001"."""
    return "< 0.001" if p < 0.001 else f"= {p:#.2g}"


def _fisher_p(pairs: pd.DataFrame) -> list[float]:
    """Fisher's two-sided p for each row, computed once per distinct (n_a, base_a, n_b, base_b):
    with small bases most rows of a large table repeat a handful of tables."""
    distinct = pairs.drop_duplicates().reset_index(drop=True)
    distinct["p"] = [fisher_exact([[n_a, base_a - n_a], [n_b, base_b - n_b]]).pvalue
                     for n_a, base_a, n_b, base_b in distinct[list(PAIR_COLUMNS)].itertuples(index=False)]
    return pairs.merge(distinct, on=list(PAIR_COLUMNS), how="left").p.tolist()


def change_tests(pairs: pd.DataFrame, *, min_base: int, alpha: float) -> pd.Series:
    """The test cell of each row of `pairs` (PAIR_COLUMNS), one family per call.

    Rows whose smaller base is under `min_base` read "not tested (base n)"; the
    others are tested, corrected together (Holm) and read "up, p = 0.012
    (adjusted 0.036)", "down, …" or "no significant change, p = 0.41 (adjusted 0.62)".
    """
    missing = set(PAIR_COLUMNS) - set(pairs.columns)
    if missing:
        raise ValueError(f"change_tests needs the columns {', '.join(sorted(missing))}")
    smaller = pairs[["base_a", "base_b"]].min(axis=1)
    cells = pd.Series([f"not tested (base {int(b)})" for b in smaller], index=pairs.index, dtype=object)
    tested = pairs[smaller >= min_base]
    if tested.empty:
        return cells
    raw = _fisher_p(tested[list(PAIR_COLUMNS)].astype(int))
    significant, adjusted, _, _ = multipletests(raw, alpha=alpha, method="holm")
    for (index, row), p, p_adj, flag in zip(tested.iterrows(), raw, adjusted, significant):
        if flag:
            direction = "up" if row.n_b * row.base_a > row.n_a * row.base_b else "down"
        else:
            direction = "no significant change"
        cells[index] = f"{direction}, p {p_text(p)} (adjusted {p_text(p_adj).removeprefix('= ')})"
    return cells
