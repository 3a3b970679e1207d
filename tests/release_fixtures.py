"""Release tables written by hand, shaped as the data layer hands them to the writers.

Two waves ("Wave 1 (2012)", base 10; "Wave 2 (2013)", base 15); one suppressed
cell with its secondary partner, changes not tested for a small group base (one
of them, +100 pp, larger than any tested change), a stakeholder mix whose
changes are not tested, and text cells that a spreadsheet would run as formulas.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from wavecompare.release.model import CHANGE_TYPES, ROW_TYPES, VALUE_TYPES, ReleaseTable, Wave, typed
from wavecompare.release.model import SUPPRESSED as C
from wavecompare.release.runinfo import RunInfo

W1, W2 = "Wave 1 (2012)", "Wave 2 (2013)"
MEASURES = ("n", "base", "%", "n of base", "95% CI", "words")

RUN = RunInfo(
    run_id="run-fixture-1",
    time=datetime(2026, 11, 1, 10, 30, tzinfo=UTC),
    sources=("waves.csv", "codebook.csv", "2012/interviews.csv", "2013/responses.csv"),
    conventions=(
        "Bases under 30 interviews are small: read their percentages as indicative.",
        "Changes are tested with Boschloo's exact test, Holm-adjusted across each table; "
        "a change is tested only when both bases are 10 or more.",
        "Words for proportions: all (100%), almost all (over 90%), most (75-90%), a majority (50-74%), "
        "a minority (15-49%), a few (under 15%), none (0%).",
    ),
    title="Sector-led improvement: stakeholder perceptions",
)

NOTES = (
    "Wave 1 (2012) has a base of 10, under 30: its percentages are indicative only.",
    f"Cells under 3 interviews are suppressed ({C}), with others so they cannot be worked out from totals.",
)


WAVES = (Wave("2012", W1), Wave("2013", W2))


def _wave_values(row: int, wave: str, cells: list, is_base: bool) -> dict:
    """A typed value row from the cells a reader sees: [n, base, %, "n of base", "low–high", words]."""
    n, base_n, pct, _, interval = cells[:5]
    withheld = n == C
    low, high = (float(x.rstrip("%")) for x in interval.split("–")) if isinstance(interval, str) and "–" in interval else (None,) * 2
    return {"row": row, "wave_id": wave, "n": base_n if is_base else None if withheld else n, "base": base_n,
            "pct": None if withheld or is_base else pct, "ci_low": low, "ci_high": high,
            "withheld": withheld and not is_base}


def banner(name, title, rows, notes=NOTES, tested=True) -> ReleaseTable:
    """A typed ReleaseTable from rows of (labels, wave-1 cells, wave-2 cells, change cells), as a reader sees
    them: labels (group, code label[, level]) or, for a mix, (dimension, category); base rows from `base`; the
    change cells are the change and, where `tested`, the test's text and then, for a tested row, its raw and
    adjusted p."""
    mix = not tested
    lines, values, changes, block = [], [], [], -1
    for row, (labels, first, second, change) in enumerate(rows):
        is_base = first[0] is None
        block += is_base
        if mix:
            group, code_id, label, level = "All", *(("", "") if is_base else labels), ""
        else:
            group, label, level = (labels + ("",))[:3]
            label, level = ("", "") if is_base else (label, "" if level == "mentioned" else level)
            code_id = label.lower().replace(" ", "_")
        lines.append({"row": row, "block": block, "group": group, "code_id": code_id, "label": label,
                      "level": level, "is_base": is_base, "is_net": False})
        values += [_wave_values(row, wave.wave_id, cells, is_base) for wave, cells in zip(WAVES, (first, second))]
        if is_base:
            continue
        withheld = change[0] == C
        test = "" if mix or withheld else change[1]
        p_values = change[2:4] if len(change) == 4 else (None, None)
        changes.append({"row": row, "earlier": "2012", "later": "2013", "change_pp": None if withheld else change[0],
                        "withheld": withheld, "base_a": first[1], "base_b": second[1], "tested": len(change) == 4,
                        "p": p_values[0], "p_adjusted": p_values[1], "test": test})
    return ReleaseTable(name, title, WAVES, typed(pd.DataFrame(lines), ROW_TYPES),
                        typed(pd.DataFrame(values), VALUE_TYPES), typed(pd.DataFrame(changes), CHANGE_TYPES),
                        notes, tested)


def base(labels, first=10, second=15):
    """A base row: only the wave bases filled."""
    blank = [None] * 6
    return labels, [None, first, *blank[2:]], [None, second, *blank[2:]], [None, None]


STAKEHOLDER_MIX = banner(
    "stakeholder_mix",
    "Stakeholder mix by wave",
    [
        base(("", "Base (interviews)")),
        (
            ("stakeholder_group", "Regulators, inspectorates and third sector"),
            [4, 10, 40.0, "4 of 10", "16.8–68.7", "a minority"],
            [10, 15, 66.7, "10 of 15", "41.7–84.8", "a majority"],
            [26.7],
        ),
        (
            ("stakeholder_group", "Senior civil servants"),
            [6, 10, 60.0, "6 of 10", "31.3–83.2", "a majority"],
            [5, 15, 33.3, "5 of 15", "15.2–58.3", "a minority"],
            [-26.7],
        ),
        (
            ("mode", "face_to_face"),
            [4, 10, 40.0, "4 of 10", "16.8–68.7", "a minority"],
            [C, 15, C, C, C, C],
            [C],
        ),
        (
            ("mode", "telephone"),
            [6, 10, 60.0, "6 of 10", "31.3–83.2", "a majority"],
            [C, 15, C, C, C, C],
            [C],
        ),
    ],
    tested=False,
)

AWARENESS = banner(
    "awareness",
    "Awareness of sector-led improvement by wave",
    [
        base(("All", "", "Base (interviews)")),
        (
            ("All", "Awareness of the theory", "heard of it"),
            [3, 10, 30.0, "3 of 10", "10.8–60.3", "a minority"],
            [3, 15, 20.0, "3 of 15", "7.0–45.2", "a minority"],
            [-10.0, "no significant change, p = 0.653 (adjusted 1.000)", 0.653, 1.0],
        ),
        (
            ("All", "Awareness of the theory", "aware"),
            [4, 10, 40.0, "4 of 10", "16.8–68.7", "a minority"],
            [4, 15, 26.7, "4 of 15", "10.9–52.0", "a minority"],
            [-13.3, "no significant change, p = 0.667 (adjusted 1.000)", 0.667, 1.0],
        ),
        (
            ("All", "Awareness of the theory", "very familiar"),
            [3, 10, 30.0, "3 of 10", "10.8–60.3", "a minority"],
            [8, 15, 53.3, "8 of 15", "30.1–75.2", "a majority"],
            [23.3, "no significant change, p = 0.414 (adjusted 1.000)", 0.414, 1.0],
        ),
        (
            ("All", "Recalls the peer challenge offer", "mentioned"),
            [5, 10, 50.0, "5 of 10", "23.7–76.3", "a majority"],
            [14, 15, 93.3, "14 of 15", "70.2–98.8", "almost all"],
            [43.3, "up, p = 0.006 (adjusted 0.024)", 0.006, 0.024],
        ),
        base(("Senior civil servants", "", "Base (interviews)"), 6, 5),
        (
            ("Senior civil servants", "Awareness of the theory", "aware"),
            [3, 6, 50.0, "3 of 6", "18.8–81.2", "a majority"],
            [3, 5, 60.0, "3 of 5", "23.1–88.2", "a majority"],
            [10.0, "not tested (base 5)"],
        ),
    ],
)

CONFIDENCE = banner(
    "confidence",
    "Confidence in sector-led improvement by wave",
    [
        base(("All", "", "Base (interviews)")),
        (
            ("All", "Confidence in the theory", "cautious"),
            [6, 10, 60.0, "6 of 10", "31.3–83.2", "a majority"],
            [5, 15, 33.3, "5 of 15", "15.2–58.3", "a minority"],
            [-26.7, "no significant change, p = 0.238 (adjusted 0.476)", 0.238, 0.476],
        ),
        (
            ("All", "Confidence in the theory", "confident"),
            [4, 10, 40.0, "4 of 10", "16.8–68.7", "a minority"],
            [10, 15, 66.7, "10 of 15", "41.7–84.8", "a majority"],
            [26.7, "no significant change, p = 0.238 (adjusted 0.476)", 0.238, 0.476],
        ),
    ],
)

RISK_MENTIONS = banner(
    "risk_mentions",
    "Risks mentioned by wave",
    [
        base(("All", "Base (interviews)")),
        (
            ("All", "Lack of evidence of improvement"),
            [3, 10, 30.0, "3 of 10", "10.8–60.3", "a minority"],
            [9, 15, 60.0, "9 of 15", "35.7–80.2", "a majority"],
            [30.0, "no significant change, p = 0.227 (adjusted 0.681)", 0.227, 0.681],
        ),
        (
            ("All", "Poor performers will not engage"),
            [6, 10, 60.0, "6 of 10", "31.3–83.2", "a majority"],
            [10, 15, 66.7, "10 of 15", "41.7–84.8", "a majority"],
            [6.7, "no significant change, p = 1.000 (adjusted 1.000)", 1.0, 1.0],
        ),
        (
            ("All", "Peer challenge not robust enough"),
            [C, 10, C, C, C, C],
            [3, 15, 20.0, "3 of 15", "7.0–45.2", "a minority"],
            [C, C],
        ),
        base(("Senior civil servants", "Base (interviews)"), 6, 5),
        (
            ("Senior civil servants", "Lack of evidence of improvement"),
            [0, 6, 0.0, "0 of 6", "0.0–39.0", "none"],
            [5, 5, 100.0, "5 of 5", "56.6–100.0", "all"],
            [100.0, "not tested (base 5)"],
        ),
    ],
)

INJECTION = ('=HYPERLINK("http://example.com","click")', "+1", "-2+3", "@SUM(1)")

THEME_IMPROVEMENT = banner(
    "theme_improvement",
    "Improvements suggested by wave",
    [
        base(("All", "Base (interviews)")),
        *(
            (
                ("All", text),
                [5, 10, 50.0, "5 of 10", "23.7–76.3", "-5% (typed)"],
                [4, 15, 26.7, "4 of 15", "", ""],
                [-23.3, "no significant change, p = 0.400 (adjusted 1.000)", 0.4, 1.0],
            )
            for text in INJECTION
        ),
    ],
)

TABLES = [STAKEHOLDER_MIX, AWARENESS, CONFIDENCE, RISK_MENTIONS, THEME_IMPROVEMENT]

QUOTES = pd.DataFrame(
    {
        "wave": [W2, W2, W1],
        "code_id": ["offer_peer_challenge", "aware_theory", "risk_funding_commitment"],
        "code label": [
            "Recalls the peer challenge offer",
            "Awareness of the theory",
            "Central government not committed",
        ],
        "theme": ["awareness", "awareness", "risk"],
        "attribution": ["a senior civil servant", "a regulator", "a senior civil servant"],
        "excerpt": [
            "peer support is valued because it's people who do the same thing as you",
            '=HYPERLINK("http://example.com","click") and call [phone redacted]',
            "@SUM(1) is not what [organisation redacted] meant",
        ],
        "redacted": ["", "phone number", "organisation name"],
    }
)
