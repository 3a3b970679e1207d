"""The few numbers a release depends on, checked once so a typo fails loudly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReleaseSettings:
    """Thresholds for release tables; every default is a published convention.

    - `min_group` (k): no answers are published for a group (stakeholder group,
      service area, or a wave's difference between two releases) of fewer
      interviews; such groups are merged ("Other service areas") or their split
      is left out for the wave (docs/threat-model.md).
    - `min_unanimous_group` (g): no group of fewer interviews is shown, or can be
      worked out, to answer unanimously (everyone at one level, or everyone
      mentioning a code).
    - `min_cell`: the statistical-agency rule, for studies that need it: answer
      counts of 1 to min_cell − 1 are withheld, and no withheld count can be
      shown to lie in that range. 1 (the default) turns it off: the design
      facts and the `All` row's small counts are the study's findings (the seed
      report itself publishes "2 face to face").
    - `small_base`: a wave/group column on fewer interviews is flagged in the
      notes as a small base (30, the tracking-survey convention: Quantum
      `smbase=30`, Quantipy `flag_bases`).
    - `min_test_base`: both bases must reach it before a change is tested. 10 is
      the UK LLC / ONS Longitudinal Study minimum; below it only a near-total
      reversal (none to all) could reach significance, so a test would mostly
      print noise that reads as "no change".
    - `quantifiers`: whether the long CSVs' "words" column is filled.
    - `alpha`: significance level of the adjusted p-values.
    - `quotes_per_group`: excerpts the quote bank keeps per code, wave and
      attribution (a stakeholder group, or the small groups read alike, see
      `quotes`), the first in the study's files. A coded tracker has
      hundreds of thousands of excerpts, which no one reads as a bank; a few per
      group still give each code its range of voices, and each excerpt
      released is one more chance to recognise someone.
    - `organisations`: release the organisation dimension of the stakeholder
      mix. Off by default: almost every organisation is one interview, so the
      dimension would be a list of names, each suppressed, that still says who
      took part.
    """

    min_group: int = 3
    min_unanimous_group: int = 5
    min_cell: int = 1
    small_base: int = 30
    min_test_base: int = 10
    quantifiers: bool = True
    alpha: float = 0.05
    organisations: bool = False
    quotes_per_group: int = 3

    def __post_init__(self) -> None:
        for name in ("min_group", "min_unanimous_group", "min_cell", "small_base", "min_test_base", "quotes_per_group"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"ReleaseSettings.{name} must be a whole number of at least 1, not {value!r}")
        for name in ("quantifiers", "organisations"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"ReleaseSettings.{name} must be True or False, not {getattr(self, name)!r}")
        if isinstance(self.alpha, bool) or not isinstance(self.alpha, (int, float)) or not 0 < self.alpha < 1:
            raise ValueError(f"ReleaseSettings.alpha must be a number between 0 and 1, not {self.alpha!r}")
