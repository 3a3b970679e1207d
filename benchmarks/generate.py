"""Write a synthetic study of any size in the input contract, for benchmarks.

    python benchmarks/generate.py OUT_DIR --responses N [--waves W] [--seed S]

The study is exactly reproducible for a given (responses, waves, seed): every
random draw comes from one seeded numpy Generator, in a fixed order. It is also
valid, so the real pipeline accepts it: interview counts equal
`planned_interviews`, dates fall inside each wave's month, and a level code gets
one level per interview. Columns are built as numpy code arrays wrapped in
pandas Categoricals and written by DuckDB's COPY, wave by wave, so ten million
responses take seconds and memory stays at one wave.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

SEGMENTS_PER_INTERVIEW = 20
GROUPS = [
    "Senior civil servants",
    "Regulators, inspectorates and third sector",
    "Council leaders",
    "Chief executives",
    "Elected members",
    "Partner organisations",
    "Professional bodies",
    "Trade unions",
]
ORG_TYPES = [
    "Government department", "Inspectorate", "Regulator", "Third sector", "Local authority", "Professional body",
]
MODES = ["Telephone", "Face to face", "Video call", "Phone"]
SERVICE_AREAS = ["Adult social care", "Children's services", "Cross-cutting", "Housing", "Public health"]
LEVEL_SETS = {
    "awareness": [
        ["not aware", "heard of it", "aware", "very familiar"],
        ["none", "some", "full"],
        ["never heard", "vaguely", "somewhat", "well informed", "expert"],
    ],
    "confidence": [
        ["not confident", "cautious", "conditional", "confident"],
        ["low", "medium", "high"],
        ["very low", "low", "moderate", "high", "very high"],
    ],
}
# (theme, kind, number of codes): 40 level codes, 260 mention codes.
CODE_PLAN = [
    ("awareness", "level", 20), ("confidence", "level", 20), ("awareness", "mention", 10),
    ("risk", "mention", 60), ("benefit", "mention", 60), ("improvement", "mention", 70), ("other", "mention", 60),
]
EXCERPTS = [
    "It works well in practice.",
    "Peers are not just coming in to inspect, they offer advice.",
    'They called it "a genuine partnership".',
    "We have seen real improvement, but it is slow.",
    "Funding is the worry; nobody has committed to it.",
    "The data are not comparable between councils.",
]


def _categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    """Text column from integer codes (-1 = empty), without building Python strings per row."""
    return pd.Categorical.from_codes(codes, categories=categories)


def _codebook(rng: np.random.Generator) -> pd.DataFrame:
    """About 300 codes in shuffled file order, so code order is the file's, not the ids'."""
    rows = []
    for theme, kind, count in CODE_PLAN:
        for i in range(1, count + 1):
            levels = LEVEL_SETS[theme][rng.integers(len(LEVEL_SETS[theme]))] if kind == "level" else None
            rows.append({
                "code_id": f"{theme[:5]}_{kind[:3]}_{i:02d}",
                "theme": theme,
                "label": f"{theme.capitalize()} {kind} code {i}, as coded",
                "kind": kind,
                "levels": "|".join(levels) if levels else None,
            })
    return pd.DataFrame(rows).iloc[rng.permutation(len(rows))].reset_index(drop=True)


def _copy(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, path: Path) -> None:
    """Write a frame as UTF-8 CSV with a header; DuckDB quotes where needed."""
    con.register("frame", frame)
    target = str(path).replace("'", "''")
    con.execute(f"COPY frame TO '{target}' (FORMAT csv, HEADER true)").complete()
    con.unregister("frame")


def generate(out_dir: Path, responses: int, waves: int = 20, seed: int = 1) -> dict:
    """Write the study to `out_dir`; returns its counts of waves, interviews, responses and codes."""
    if waves < 1 or responses < waves:
        raise ValueError("need at least one wave and one response per wave")
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()

    codebook = _codebook(rng)
    _copy(con, codebook, out_dir / "codebook.csv")
    is_level = (codebook["kind"] == "level").to_numpy()
    code_weight = 1.0 / (5.0 + rng.permutation(len(codebook)))  # a few codes common, most rare
    code_weight /= code_weight.sum()
    # Per level code: its column in the per-interview level matrix, its number of
    # levels, and the codes of its levels (lower case and Capitalised) in `values`.
    level_sets = [s.split("|") for s in codebook["levels"][is_level]]
    values = sorted({v for s in level_sets for v in s} | {v.capitalize() for s in level_sets for v in s}) + ["2"]
    value_code = {v: i for i, v in enumerate(values)}
    level_column = np.cumsum(is_level) - 1
    n_levels = np.zeros(len(codebook), dtype=np.int64)
    n_levels[is_level] = [len(s) for s in level_sets]
    lower_code = np.full((len(codebook), 5), -1)
    upper_code = np.full((len(codebook), 5), -1)
    for row, levels in zip(np.flatnonzero(is_level), level_sets):
        lower_code[row, : len(levels)] = [value_code[v] for v in levels]
        upper_code[row, : len(levels)] = [value_code[v.capitalize()] for v in levels]

    organisations = [f"{ORG_TYPES[i % len(ORG_TYPES)]} {i + 1:03d}" for i in range(200)]
    org_type = np.arange(200) % len(ORG_TYPES)
    group_p = rng.dirichlet(np.full(len(GROUPS), 2.0))
    mode_p, area_p = rng.dirichlet(np.full(len(MODES), 2.0)), rng.dirichlet(np.full(len(SERVICE_AREAS), 2.0))

    wave_rows, total_interviews = [], 0
    for w in range(waves):
        wave_id = f"w{w + 1:02d}"
        month = np.datetime64("2020-01", "M") + w
        start, end = month.astype("datetime64[D]"), (month + 1).astype("datetime64[D]") - 1
        n_resp = responses // waves + (w < responses % waves)
        n_int = max(1, round(n_resp / SEGMENTS_PER_INTERVIEW))

        # Interviews, in date order, numbered across the study.
        days = np.sort(rng.integers(0, (end - start).astype(int) + 1, n_int))
        org = rng.integers(0, len(organisations), n_int)
        area = np.where(rng.random(n_int) < 0.03, -1, rng.choice(len(SERVICE_AREAS), n_int, p=area_p))
        ids = [f"{wave_id}-{total_interviews + i + 1:06d}" for i in range(n_int)]
        interviews = pd.DataFrame({
            "interview_id": ids,
            "interview_date": (start + days).astype(str),
            "stakeholder_group": _categorical(rng.choice(len(GROUPS), n_int, p=group_p), GROUPS),
            "organisation_type": _categorical(org_type[org], ORG_TYPES),
            "organisation": _categorical(org, organisations),
            "mode": _categorical(rng.choice(len(MODES), n_int, p=mode_p), MODES),
            "duration_minutes": rng.integers(10, 121, n_int),
            "service_area": _categorical(area, SERVICE_AREAS),
        })
        (out_dir / wave_id).mkdir(exist_ok=True)
        _copy(con, interviews, out_dir / wave_id / "interviews.csv")

        # Responses: ~20 segments per interview, codes drawn by weight. A level code's
        # level is fixed per interview (drawn once into a matrix) and drifts upwards
        # wave by wave; it is sometimes written Capitalised, as real coders do.
        interview = np.repeat(np.arange(n_int), rng.multinomial(n_resp, np.full(n_int, 1.0 / n_int)))
        code = rng.choice(len(codebook), n_resp, p=code_weight)
        drift = rng.random((n_int, int(is_level.sum()))) ** (1.5 - w / max(waves - 1, 1))
        level = (drift[interview, level_column[code]] * n_levels[code]).astype(np.int64)
        capitalised = rng.random(n_resp) < 0.05
        value = np.where(capitalised, upper_code[code, level], lower_code[code, level])
        value = np.where(is_level[code], value, np.where(rng.random(n_resp) < 0.03, len(values) - 1, -1))
        excerpt = np.where(rng.random(n_resp) < 0.02, rng.integers(0, len(EXCERPTS), n_resp), -1)
        _copy(con, pd.DataFrame({
            "interview_id": _categorical(interview, ids),
            "code_id": _categorical(code, list(codebook["code_id"])),
            "value": _categorical(value, values),
            "excerpt": _categorical(excerpt, EXCERPTS),
        }), out_dir / wave_id / "responses.csv")

        wave_rows.append({
            "wave_id": wave_id,
            "label": f"Wave {w + 1} ({pd.Timestamp(start):%B %Y})",
            "fieldwork_start": str(start),
            "fieldwork_end": str(end),
            "planned_interviews": n_int,
        })
        total_interviews += n_int

    _copy(con, pd.DataFrame(wave_rows), out_dir / "waves.csv")
    con.close()
    return {"waves": waves, "interviews": total_interviews, "responses": responses, "codes": len(codebook)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--responses", type=int, required=True)
    parser.add_argument("--waves", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.out_dir, args.responses, args.waves, args.seed)
    print(f"{counts} written to {args.out_dir} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
