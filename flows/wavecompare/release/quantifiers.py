"""Plain words for proportions, on one documented scale.

No fieldwork agency publishes its mapping; this follows the closest published
scale, Education Scotland's inspection terms (almost all over 90%, most 75–90%,
majority 50–74%, less than half 15–49%, few up to 15%), with three exact points
added so that the words are never wrong in plain English: none (0), half
(exactly 50%, which is not a majority) and all (100%). Words are chosen from the
exact proportion, not the rounded percentage. Qualitative researchers warn
against "verbal counting" (Sandelowski 2001), so the scale is printed wherever
the words are used (`scale_sentences`), with the smallest base at which each
word can occur where that is more than a handful: "a few" needs 7 interviews
(1 of 7 is 14%; 1 of 6 is already 17%, "less than half").
"""

from __future__ import annotations

from functools import cache

import numpy as np

from wavecompare.problems import joined

SMALL = 3
"""A base up to which no one expects every word: the scale sentence names the words that need a larger one."""


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


SCALE = (("none", "0%"), ("a few", "above 0% and under 15%"), ("less than half", "15% to under 50%"),
         ("half", "exactly 50%"), ("a majority", "above 50% and under 75%"), ("most", "75% to 90%"),
         ("almost all", "above 90% and under 100%"), ("all", "100%"))
"""Each word and where its proportions lie, as `words` chooses them, lowest first."""


def scale_sentences() -> tuple[str, ...]:
    """The scale as sentences for a table's notes."""
    return (
        "Words for proportions (after Education Scotland's scale; chosen from the exact count, not the rounded %): "
        + "; ".join(f"{word} = {where}" for word, where in SCALE) + ".",
        "With small bases one interview moves a proportion across several words, and some words cannot occur: "
        + joined([f"'{word}' needs a base of at least {base} ({n} of {base})" for word, n, base in first_bases()
                  if base > SMALL]) + ". Read the counts first.",
    )


@cache
def first_bases(largest: int = 100) -> tuple[tuple[str, int, int], ...]:
    """(word, n, base) for the smallest base (up to `largest`) at which each word of the scale occurs, and the
    first count there that takes it, in the order the words first occur."""
    base = np.repeat(np.arange(1, largest + 1), np.arange(2, largest + 2))
    n = np.concatenate([np.arange(b + 1) for b in range(1, largest + 1)])
    said, first = np.unique(words(n, base).astype(str), return_index=True)
    order = np.argsort(first)
    return tuple((str(said[i]), int(n[first[i]]), int(base[first[i]])) for i in order)
