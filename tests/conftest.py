"""Shared fixtures. The Prefect test harness (seconds to start) starts once per session, and only for tests
marked `e2e` (a test is marked so when it, or a fixture it uses, needs the harness); the studies they publish
are published once per session and copied per test."""

from __future__ import annotations

import shutil

import pytest

import wavecompare  # noqa: F401  (sets the offline defaults before Prefect is imported)
from support import EXAMPLE, run, write_tiny_study


def pytest_collection_modifyitems(items):
    """A test that needs the harness is e2e; an e2e test gets the harness first, before any fixture of its
    module runs a flow."""
    for item in items:
        if "prefect_harness" in item.fixturenames:
            item.add_marker(pytest.mark.e2e)
        elif item.get_closest_marker("e2e"):
            item.fixturenames.insert(0, "prefect_harness")


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def _published(tmp_path_factory, name, write_study):
    work = tmp_path_factory.mktemp(name)
    write_study(work / "study")
    status, out, err = run(work)
    assert status == 0, out + err
    return work


@pytest.fixture(scope="session")
def example_published(tmp_path_factory, prefect_harness):
    """The example study (data/raw), published once per session; tests work on copies (`work`)."""
    return _published(tmp_path_factory, "example", lambda study: shutil.copytree(EXAMPLE, study))


@pytest.fixture(scope="session")
def tiny_published(tmp_path_factory, prefect_harness):
    """The tiny study of support.py, published once per session; tests work on copies (`tiny_work`)."""
    return _published(tmp_path_factory, "tiny", write_tiny_study)


@pytest.fixture
def work(example_published, tmp_path):
    shutil.copytree(example_published, tmp_path / "w", symlinks=True)
    return tmp_path / "w"


@pytest.fixture
def tiny_work(tiny_published, tmp_path):
    shutil.copytree(tiny_published, tmp_path / "w", symlinks=True)
    return tmp_path / "w"
