"""The flow deployed to a process work pool and run by two `prefect worker start` workers, on a real Prefect
server on loopback: how scheduled runs go beyond `wavecompare serve`. Checked through the API and the files:
the runs' states, the published tables, and that one warehouse is never built by two runs at once (the
deployment's concurrency limit queues a second run; the warehouse's lock refuses a run that gets past it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import duckdb
import httpx
import pytest

from support import EXAMPLE, REPO, snapshot
from test_serve import call, until
from wavecompare.prefect_server import free_port, local_server, stop_session
from wavecompare.runlock import run_lock

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

POOL, DEPLOYMENT = "wavecompare-pool", "multi-worker"
WORKERS = ("worker-1", "worker-2")
DEPLOY = """
import sys
from prefect import flow
from prefect.client.schemas.objects import ConcurrencyLimitConfig
flow.from_source(source=sys.argv[1], entrypoint="flows/wavecompare/pipeline.py:wavecompare_flow").deploy(
    name=sys.argv[2], work_pool_name=sys.argv[3], parameters=dict(zip(["raw_dir", "warehouse", "out_dir"], sys.argv[4:])),
    concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy="ENQUEUE"), print_next_steps=False)
"""
"""Deploy the flow from this checkout (the workers run it where it is) with at most one run at a time; a run
created meanwhile waits for the slot."""
FAST = {"PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS": "2"}
"""Polls and waits of seconds rather than Prefect's 10 and 30, so that a queued run starts soon after the slot
frees."""
TERMINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


@pytest.fixture
def pool(tmp_path, monkeypatch):
    """A Prefect server (its own home, a free port), a process work pool and two workers polling it; yields the
    API URL and the environment that points a process at it. Everything is stopped afterwards."""
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)  # the server reads its settings from this process's environment
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with ExitStack() as stack:
        url = stack.enter_context(local_server(tmp_path / "prefect", port=free_port()))
        env = {**os.environ, "PREFECT_API_URL": url, "PREFECT_HOME": str(tmp_path / "prefect"),
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        prefect = [sys.executable, "-m", "prefect"]
        _succeeds([*prefect, "work-pool", "create", POOL, "--type", "process"], env)
        for name in WORKERS:
            log = stack.enter_context((tmp_path / f"{name}.log").open("w"))
            worker = subprocess.Popen([*prefect, "worker", "start", "--pool", POOL, "--name", name], env=env,
                                      stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            stack.callback(stop_session, worker)
        yield url, env


def _succeeds(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def _finished(client: httpx.Client, run_id: str) -> dict | None:
    run = call(client, "GET", f"/flow_runs/{run_id}")
    return run if run["state_type"] in TERMINAL else None


def test_two_workers_run_the_deployed_flow_one_build_of_the_warehouse_at_a_time(pool, tmp_path):
    url, env = pool
    shutil.copytree(EXAMPLE, tmp_path / "study")
    warehouse, out = tmp_path / "warehouse.duckdb", tmp_path / "processed"  # where `support.snapshot` looks
    _succeeds([sys.executable, "-c", DEPLOY, str(REPO), DEPLOYMENT, POOL, str(tmp_path / "study"), str(warehouse),
               str(out)], env)
    with httpx.Client(base_url=url, timeout=10) as client:
        online = until("both workers to poll the pool", lambda: (names := sorted(
            w["name"] for w in call(client, "POST", f"/work_pools/{POOL}/workers/filter", json={})
            if w["status"] == "ONLINE")) == list(WORKERS) and names)
        assert online == list(WORKERS)
        [deployment] = until("the deployment", lambda: call(
            client, "POST", "/deployments/filter", json={"deployments": {"name": {"any_": [DEPLOYMENT]}}}))
        assert deployment["global_concurrency_limit"]["limit"] == 1
        create = f"/deployments/{deployment['id']}/create_flow_run"
        first, second = (until("a flow run", lambda: call(client, "POST", create, json={}))
                         for _ in range(2))  # at once: one of them must wait for the other
        runs = {run["id"]: until(f"flow run {run['id']} to finish", lambda run=run: _finished(client, run["id"]),
                                 timeout=300) for run in (first, second)}
        logs = {name: (tmp_path / f"{name}.log").read_text() for name in WORKERS}
        assert [run["state_type"] for run in runs.values()] == ["COMPLETED", "COMPLETED"], logs
        earlier, later = sorted(runs.values(), key=lambda run: run["start_time"])
        assert earlier["end_time"] <= later["start_time"]  # never two builds at once
        assert later["state"]["message"] == "Up to date"  # the second found the first one's build published
        waited = until("the states", lambda: call(client, "GET", "/flow_run_states/",
                                                  params={"flow_run_id": later["id"]}))
        assert "AwaitingConcurrencySlot" in [state["name"] for state in waited], [s["name"] for s in waited]
        assert all("submitting flow run" in log for log in logs.values()), logs  # each worker took part

        published = snapshot(tmp_path)
        with run_lock(warehouse, "a run the limit did not see"):  # e.g. `wavecompare run` by hand meanwhile
            created = until("a flow run", lambda: call(client, "POST", create, json={}))
            refused = until("the refused run to finish", lambda: _finished(client, created["id"]), timeout=300)
        assert (refused["state_type"], refused["state"]["name"]) == ("FAILED", "Busy")
        assert "another run is in progress on" in refused["state"]["message"]
        assert snapshot(tmp_path) == published  # nothing published changed

    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.risk_mentions").fetchall() == [(36,)]
        assert con.execute("SELECT flow_run_id FROM lineage.run_manifest").fetchall() == [(earlier["id"],)]
    assert Path(out / "current" / "run_manifest.json").is_file()
