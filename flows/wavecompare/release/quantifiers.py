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

from fractions import Fraction
from functools import cache


@cache
def words(n: int, base: int) -> str | None:
    """The word for n out of base, or None when the base is 0 (cached: tables repeat few pairs)."""
    if base <= 0:
        return None
    if not 0 <= n <= base:
        raise ValueError(f"a count of {n} is not a part of a base of {base}")
    p = Fraction(n, base)
    if p == 0:
        return "none"
    if p == 1:
        return "all"
    if p == Fraction(1, 2):
        return "half"
    if p < Fraction(15, 100):
        return "a few"
    if p < Fraction(1, 2):
        return "less than half"
    if p < Fraction(75, 100):
        return "a majority"
    if p <= Fraction(90, 100):
        return "most"
    return "almost all"


def scale_sentences() -> tuple[str, ...]:
    """The scale as sentences for a table's notes."""
    return (
        "Words for proportions (after Education Scotland's scale; chosen from the exact count, not the rounded %): "
        "none = 0%; a few = above 0% and under 15%; less than half = 15% to under 50%; half = exactly 50%; "
        "a majority = above 50% and under 75%; most = 75% to 90%; almost all = above 90% and under 100%; all = 100%.",
        "With small bases one interview moves a proportion across several words: read the counts first.",
    )
