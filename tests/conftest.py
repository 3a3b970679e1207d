"""Shared fixtures: one Prefect test harness per session (it takes seconds to start)."""

from __future__ import annotations

import shutil

import wavecompare  # noqa: F401  (sets the offline defaults before Prefect is imported)

# isort: split
import pytest
from prefect.testing.utilities import prefect_test_harness

from published_runs import EXAMPLE, run


@pytest.fixture(autouse=True, scope="session")
def prefect_harness():
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def example_published(tmp_path_factory):
    """The example study, published once per module; each test works on a copy (`work`)."""
    work = tmp_path_factory.mktemp("ops")
    shutil.copytree(EXAMPLE, work / "study")
    assert run(work)[0] == 0
    return work


@pytest.fixture
def work(example_published, tmp_path):
    shutil.copytree(example_published, tmp_path / "w", symlinks=True)
    return tmp_path / "w"
