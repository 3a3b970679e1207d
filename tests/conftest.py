"""Shared fixtures: one Prefect test harness per session (it takes seconds to start)."""

from __future__ import annotations

import pytest

import wavecompare  # noqa: F401  (sets the offline defaults before Prefect is imported)
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(autouse=True, scope="session")
def prefect_harness():
    with prefect_test_harness(server_startup_timeout=120):
        yield
