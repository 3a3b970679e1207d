"""Wave-on-wave change tests and intervals, from SciPy and statsmodels.

- Test: Fisher's exact test, two-sided, for two independent proportions:
  `scipy.stats.fisher_exact`'s own steps and tolerance, run on arrays of
  tables (`fisher_two_sided`), since one call per table costs about 2 ms and a
  tracker's release has tens of thousands of distinct tables. Boschloo's test is uniformly more powerful but
  maximises over a nuisance parameter numerically: about 4 s per row at bases
  of 500 (against 1 ms for Fisher), i.e. hours for the benchmark studies (20
  waves, 300 codes). Fisher is exact at any base, reproducible to the last digit
  and conservative, which suits small samples readers tend to over-read.
- Multiplicity: Holm's step-down correction over the tests of one table for
  one compared pair of waves (`holm`, the same arithmetic as
  `statsmodels.stats.multitest.multipletests(method="holm")`, which also runs a
  full garbage collection on every call: about 0.2 s per table in a run's
  process, where Prefect and Great Expectations hold many objects). A tracker's
  two pairs (latest against previous, first against latest) are two questions,
  each its own family, rather than one Holm over every pair of waves. It
  controls the chance of any false flag in the family under any dependence
  between rows; the
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

import numpy as np
import pandas as pd
from scipy.stats import hypergeom
from statsmodels.stats.proportion import proportion_confint

from . import hypergeometric
from .cells import join_text

PAIR_COLUMNS = ("n_a", "base_a", "n_b", "base_b")
"""Columns of the frame `change_tests` reads: counts and bases of the earlier (a) and later (b) wave."""


def wilson_intervals(n, base, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson (1 − alpha) intervals for n of base, element-wise, as percentages (bases above 0):
    one statsmodels call for a whole table's cells."""
    low, high = proportion_confint(np.asarray(n), np.asarray(base), alpha=alpha, method="wilson")
    return 100 * low, 100 * high


def p_texts(p, equals: str = "= ") -> np.ndarray:
    """p-values to two significant figures after `equals` ("= 0.012", "= 0.41", "= 1.0"), or "< 0.001",
    element-wise."""
    p = np.asarray(p, dtype=float)
    return np.where(p < 0.001, "< 0.001", join_text(equals, _number_texts("%#.2g", p)))


def _number_texts(template: str, values) -> np.ndarray:
    """`values` formatted by a %-template (e.g. "%.1f"), element-wise: each distinct value once, as a
    table repeats most of its percentages and p-values."""
    distinct, at = np.unique(np.asarray(values), return_inverse=True)
    return np.strings.mod(template, distinct)[at]


RELATIVE_TIE = 1e-14
"""Tables whose probability is within this relative distance of the observed
one's count as "as extreme" (SciPy's tolerance for floating-point ties)."""
LOG_MARGIN = 1e-8
"""Comparisons of probabilities closer than this in log space are settled with
the exact probabilities; log-probabilities are accurate to far less."""


def fisher_two_sided(n_a, base_a, n_b, base_b) -> np.ndarray:
    """Two-sided p of Fisher's exact test for n_a of base_a against n_b of base_b, element-wise.

    The result of `scipy.stats.fisher_exact` on [[n_a, base_a − n_a],
    [n_b, base_b − n_b]], step for step with SciPy's hypergeometric distribution:
    the observed tail plus the far tail of tables no more probable than the
    observed one, capped at 1; 1 when a margin is 0 or the observed table is
    (within the tolerance) the most probable. SciPy's exact probabilities cost
    up to 0.1 ms each at bases in the tens of thousands, so which tables are
    "as extreme" is decided on log-probabilities (`hypergeom.logpmf`), falling
    back to the exact ones only for near-ties; the tails are summed by
    `hypergeometric.tail`, to 1e-13 of SciPy's where p is above 1e-200 and to
    2e-12 below (a probability of e^-600 is only as precise as its logarithm).
    """
    n_a, base_a, n_b, base_b = (np.asarray(v, dtype=np.int64) for v in (n_a, base_a, n_b, base_b))
    total, drawn = base_a + base_b, n_a + n_b
    p = np.ones(n_a.shape)
    idx = np.flatnonzero((base_a > 0) & (base_b > 0) & (drawn > 0) & (drawn < total))
    if not len(idx):
        return p
    law = _Hypergeometric(n_a[idx], total[idx], base_a[idx], drawn[idx])
    mode = (law.d + 1) * (law.k + 1) // (law.m + 2)
    tie = law.ties(mode)
    lower = law.x < mode
    far_end = np.where(lower, law.d, 0)
    two_tails = ~tie & (law.compare(far_end, np.arange(len(idx))) <= 0)
    result = np.where(tie, 1.0, law.tail(law.x, lower))
    s = np.flatnonzero(two_tails)
    if len(s):
        # below the mode, SciPy searches (mode, d] for the last table more probable than the
        # threshold; above it, [0, mode) for the last table no more probable
        down = lower[s]
        sign = np.where(down, -1, 1)
        guess = _ascending_search(lambda at, r: sign[r] * law.compare(at, s[r]),
                                  np.where(down, mode[s], 0), np.where(down, law.d[s], mode[s]))
        result[s] += law.tail(guess, ~down, s, beyond=True)
    p[idx] = np.minimum(result, 1.0)
    return p


class _Hypergeometric:
    """The null distribution of n_a for each table (SciPy's M, n, N = m, k, d), and the
    observed value x; `compare` and `tail` take positions into these arrays."""

    def __init__(self, x, m, k, d):
        self.x, self.m, self.k, self.d = x, m, k, d
        self.log_observed = hypergeom.logpmf(x, m, k, d)

    def equally_probable(self, at, rows=slice(None)) -> np.ndarray:
        """Whether P(at) = P(x) by symmetry, per row: at is x, or its mirror when a margin is half the
        total (P(x) = P(d − x) when 2k = m, and P(x) = P(k − x) when 2d = m). Such exact ties are common
        (equal bases in both waves), and settling them here spares SciPy's slow exact probabilities."""
        x, m, k, d = self.x[rows], self.m[rows], self.k[rows], self.d[rows]
        return (at == x) | ((2 * k == m) & (at == d - x)) | ((2 * d == m) & (at == k - x))

    def ties(self, at) -> np.ndarray:
        """Whether P(at) is within RELATIVE_TIE of P(x), per table (SciPy's test that the observed
        table is as probable as the mode)."""
        gap = hypergeom.logpmf(at, self.m, self.k, self.d) - self.log_observed
        tie = (np.abs(gap) <= RELATIVE_TIE) | self.equally_probable(at)
        near = np.flatnonzero((np.abs(np.abs(gap) - RELATIVE_TIE) < LOG_MARGIN) & ~tie)
        if len(near):
            exact, observed = self._exact(at[near], near)
            tie[near] = np.abs(observed - exact) / np.maximum(observed, exact) <= RELATIVE_TIE
        return tie

    def compare(self, at, rows) -> np.ndarray:
        """sign(P(at) − P(x)·(1 + RELATIVE_TIE)) per row: above, at or below SciPy's threshold for
        a table "as extreme" as the observed one."""
        factor = 1 + RELATIVE_TIE
        threshold = self.log_observed[rows] + np.log(factor)
        gap = hypergeom.logpmf(at, self.m[rows], self.k[rows], self.d[rows]) - threshold
        sign = np.sign(gap).astype(np.int64)
        # an exact tie is below the threshold, which is a factor 1 + RELATIVE_TIE above P(x)
        equal = self.equally_probable(at, rows)
        sign[equal] = -1
        near = np.flatnonzero((np.abs(gap) < LOG_MARGIN) & ~equal)
        if len(near):
            exact, observed = self._exact(at[near], rows[near])
            sign[near] = np.sign(exact - observed * factor).astype(np.int64)
        return sign

    def _exact(self, at, rows) -> tuple[np.ndarray, np.ndarray]:
        """SciPy's exact P(at) and P(x) for the given rows (slow at large bases: near-ties only)."""
        m, k, d = self.m[rows], self.k[rows], self.d[rows]
        return hypergeom.pmf(at, m, k, d), hypergeom.pmf(self.x[rows], m, k, d)

    def tail(self, at, below, rows=slice(None), beyond: bool = False) -> np.ndarray:
        """P(X ≤ at) where `below`, else P(X ≥ at); with `beyond`, P(X ≤ at) and P(X > at) instead
        (`hypergeometric.tail`: SciPy's exact CDF costs 0.1 ms an element at tracker bases)."""
        at = np.asarray(at) + np.where(below, 0, 1 if beyond else 0)
        return hypergeometric.tail(at, self.m[rows], self.k[rows], self.d[rows], below)


def _ascending_search(compare, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """For each element, the i in [lo − 1, hi] with compare(i) ≤ 0 < compare(i + 1), where
    compare(at, rows) is −1/0/1 and ascending in at: SciPy's `_binary_search_for_binom_tst`, on arrays."""
    lo, hi = lo.copy(), hi.copy()
    found = np.full(len(lo), -1, dtype=np.int64)
    active = np.flatnonzero(lo < hi)
    while len(active):
        mid = lo[active] + (hi[active] - lo[active]) // 2
        sign = compare(mid, active)
        lo[active[sign < 0]] = mid[sign < 0] + 1
        hi[active[sign > 0]] = mid[sign > 0] - 1
        found[active[sign == 0]] = mid[sign == 0]
        active = active[sign != 0]
        active = active[lo[active] < hi[active]]
    rest = np.flatnonzero(found < 0)
    found[rest] = np.where(compare(lo[rest], rest) <= 0, lo[rest], lo[rest] - 1)
    return found


def change_tests(pairs: pd.DataFrame, *, min_base: int, alpha: float) -> pd.DataFrame:
    """The test of each row of `pairs` (PAIR_COLUMNS), one family per call: its cell text (`test`), whether
    it was tested (`tested`), and the raw and Holm-adjusted p (`p`, `p_adjusted`, NaN where not tested).

    Rows whose smaller base is under `min_base` read "not tested (base n)"; the
    others are tested, corrected together (Holm) and read "up, p = 0.012
    (adjusted 0.036)", "down, …" or "no significant change, p = 0.41 (adjusted 0.62)".
    The p-values are kept as numbers so that the report can rank changes by them, not by their text.
    """
    missing = set(PAIR_COLUMNS) - set(pairs.columns)
    if missing:
        raise ValueError(f"change_tests needs the columns {', '.join(sorted(missing))}")
    smaller = pairs[["base_a", "base_b"]].min(axis=1).to_numpy()
    cells = join_text("not tested (base ", smaller.astype(np.int64), ")")
    tested = smaller >= min_base
    raw, adjusted = np.full(len(pairs), np.nan), np.full(len(pairs), np.nan)
    if tested.any():
        n_a, base_a, n_b, base_b = (pairs[column].to_numpy()[tested].astype(int) for column in PAIR_COLUMNS)
        raw[tested] = fisher_two_sided(n_a, base_a, n_b, base_b)
        significant, adjusted[tested] = holm(raw[tested], alpha)
        direction = np.where(significant, np.where(n_b * base_a > n_a * base_b, "up", "down"),
                             "no significant change")
        cells[tested] = join_text(direction, ", p ", p_texts(raw[tested]), " (adjusted ",
                                  p_texts(adjusted[tested], equals=""), ")")
    return pd.DataFrame({"test": cells, "tested": tested, "p": raw, "p_adjusted": adjusted}, index=pairs.index)


def holm(p, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Holm's step-down test of a family of p-values: (rejected, adjusted p), element-wise.

    The p-values are taken smallest first, the j-th of m against alpha / (m − j + 1), and rejected up to
    the first that fails; the adjusted p is the running maximum of (m − j + 1)·p, capped at 1.
    """
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    steps = np.arange(len(p), 0, -1)
    ranked = p[order]
    fails = ranked > alpha / steps
    first_failure = int(np.argmax(fails)) if fails.any() else len(p)
    rejected, adjusted = np.empty(len(p), dtype=bool), np.empty(len(p))
    rejected[order] = np.arange(len(p)) < first_failure
    adjusted[order] = np.minimum(np.maximum.accumulate(ranked * steps), 1.0)
    return rejected, adjusted
