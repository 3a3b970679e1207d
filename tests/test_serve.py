"""`wavecompare serve` on a real Prefect server: it starts its own server on a free
loopback port, serves the deployment, runs what the API asks for, and stops the
server when it is stopped."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from support import EXAMPLE

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WAVECOMPARE = Path(sys.executable).with_name("wavecompare")
TIMEOUT = 120  # seconds for each step: server start, deployment, run


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def until(what: str, check, timeout: float = TIMEOUT):
    """Poll `check` until it returns something truthy; fail after `timeout` seconds.

    A refused connection or an error status counts as "not yet": a local Prefect
    server on SQLite answers 503 now and then when its database is locked by its own
    services (PrefectHQ/prefect#18934), and expects clients to retry, as Prefect's own do.
    """
    deadline = time.monotonic() + timeout
    last = "nothing yet"
    while time.monotonic() < deadline:
        try:
            found = check()
        except httpx.HTTPStatusError as error:
            found, last = None, f"{error.response.status_code} {error.response.text[:500]}"
        except httpx.HTTPError as error:
            found, last = None, repr(error)
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}; last answer: {last}")


def call(client: httpx.Client, method: str, path: str, **kwargs):
    """The JSON of a successful API call; raises httpx.HTTPStatusError on an error status."""
    return client.request(method, path, **kwargs).raise_for_status().json()


@pytest.fixture
def served(tmp_path):
    """`wavecompare serve` running in tmp_path with its own local Prefect server; its API URL."""
    shutil.copytree(EXAMPLE, tmp_path / "study")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [str(WAVECOMPARE), "serve", "--raw-dir", "study", "--warehouse", "w.duckdb", "--out-dir", "out",
         "--interval", "86400", "--name", "nightly", "--server-port", str(port)],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        yield process, f"http://127.0.0.1:{port}/api"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_serve_runs_a_deployment_triggered_through_the_api_and_stops_its_server(served, tmp_path):
    process, api = served
    with httpx.Client(base_url=api, timeout=10) as client:
        [deployment] = until("the deployment", lambda: call(
            client, "POST", "/deployments/filter", json={"deployments": {"name": {"any_": ["nightly"]}}}))
        assert deployment["schedules"][0]["schedule"]["interval"] == 86400.0
        assert deployment["parameters"]["raw_dir"] == str(tmp_path / "study")
        run = until("the flow run to be created", lambda: call(
            client, "POST", f"/deployments/{deployment['id']}/create_flow_run", json={}))
        final = until("the flow run to finish", lambda: (
            state := call(client, "GET", f"/flow_runs/{run['id']}")["state_type"]
        ) in ("COMPLETED", "FAILED", "CRASHED") and state)
        assert final == "COMPLETED", (tmp_path / "serve.log").read_text()
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.risk_mentions").fetchall() == [(36,)]
        assert con.execute("SELECT flow_run_id FROM lineage.run_manifest").fetchall() == [(run["id"],)]
    manifest = json.loads((tmp_path / "out" / "current" / "run_manifest.json").read_text())
    assert manifest["flow_run_id"] == run["id"]
    assert (tmp_path / ".wavecompare" / "prefect" / "prefect.db").is_file()  # the server's SQLite, in the project

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{api}/health", timeout=2)
