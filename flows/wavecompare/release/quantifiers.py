"""Plain words for proportions, on one documented scale.

No fieldwork agency publishes its mapping; this follows the closest published
scale, Education Scotland's inspection terms (almost all over 90%, most 75–90%,
majority 50–74%, less than half 15–49%, few up to 15%), with three exact points
added so that the words are never wrong in plain English: none (0), half
(exactly 50%, which is not a majority) and all (100%). Words are chosen from the
exact proportion, not the rounded percentage. Qualitative researchers warn
against "verbal counting" (Sandelowski 2001), so the scale is printed wherever
the words are used (`scale_sentences`).
"""

from __future__ import annotations

import numpy as np


def words(n, base) -> np.ndarray:
    """The word for each n out of base, element-wise; None where the base is 0.

    The proportion n/base is compared with each bound a/b as n·b against a·base,
    in integers, so the comparison is exact."""
    n, base = np.asarray(n, dtype=np.int64), np.asarray(base, dtype=np.int64)
    counted = base > 0
    wrong = np.flatnonzero(counted & ((n < 0) | (n > base)))
    if len(wrong):
        raise ValueError(f"a count of {n[wrong[0]]} is not a part of a base of {base[wrong[0]]}")
    scale = [  # (where the proportion is, its word): the first that holds
        (~counted, None), (n == 0, "none"), (n == base, "all"), (2 * n == base, "half"),
        (100 * n < 15 * base, "a few"), (2 * n < base, "less than half"), (100 * n < 75 * base, "a majority"),
        (100 * n <= 90 * base, "most"), (counted, "almost all")]
    conditions, texts = zip(*scale)
    return np.array(texts, dtype=object)[np.select(conditions, list(range(len(scale))))]


def scale_sentences() -> tuple[str, ...]:
    """The scale as sentences for a table's notes."""
    return (
        "Words for proportions (after Education Scotland's scale; chosen from the exact count, not the rounded %): "
        "none = 0%; a few = above 0% and under 15%; less than half = 15% to under 50%; half = exactly 50%; "
        "a majority = above 50% and under 75%; most = 75% to 90%; almost all = above 90% and under 100%; all = 100%.",
        "With small bases one interview moves a proportion across several words: read the counts first.",
    )
