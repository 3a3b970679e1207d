"""The benchmark's generator makes a study the pipeline accepts, and the pipeline's
tables equal, byte for byte, those of the DuckDB floor and of the pandas script."""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import REPO, query, run_pipeline

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

BENCHMARKS = REPO / "benchmarks"
TABLES = ("stakeholder_mix", "interview_duration", "awareness", "confidence", "risk_mentions")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    sys.path.insert(0, str(BENCHMARKS))
    from generate import generate

    root = tmp_path_factory.mktemp("generated")
    generate(root / "study", responses=6_000, waves=3, seed=7)
    state = run_pipeline(root / "study", root)
    assert state.is_completed(), state.message
    return root


def test_generated_study_has_the_asked_shape(generated):
    assert query(generated, "SELECT count(*) FROM staging.stg_waves") == [(3,)]
    [(responses,)] = query(generated, "SELECT count(*) FROM raw.responses")
    assert 5_000 <= responses <= 7_000
    [(codes,)] = query(generated, "SELECT count(*) FROM staging.stg_codebook")
    assert codes >= 200


@pytest.mark.parametrize("baseline", ["floor.py", "pandas_baseline.py"])
def test_baseline_tables_equal_the_pipeline_tables(generated, baseline):
    out = generated / baseline.removesuffix(".py")
    subprocess.run([sys.executable, str(BENCHMARKS / baseline), "study", out.name], cwd=generated, check=True,
                   timeout=300)
    for table in TABLES:
        assert (out / f"{table}.csv").read_bytes() == (generated / "processed" / "current" / f"{table}.csv").read_bytes(), table
