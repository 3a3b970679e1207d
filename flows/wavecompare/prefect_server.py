"""A local Prefect server for schedules, started and stopped by `wavecompare serve`.

Prefect's ephemeral API cannot run schedules, so serving needs a real
server: the one named by PREFECT_API_URL when it is set, otherwise a local one,
on loopback, with its SQLite database under the project (`.wavecompare/prefect`)
and analytics off. It lives exactly as long as the `serve` command.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

DEFAULT_HOME = Path(".wavecompare") / "prefect"
DEFAULT_PORT = 4200
STARTUP_SECONDS = 120
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the server process (Linux): get SIGTERM when the process that started it dies,
    even by SIGKILL, so no server outlives its `serve` command."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class ServerError(RuntimeError):
    """The local Prefect server could not be started."""


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's whole session, then SIGKILL after 15 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@contextmanager
def local_server(home: Path = DEFAULT_HOME, port: int = DEFAULT_PORT) -> Iterator[str]:
    """Run `prefect server start` on 127.0.0.1:`port` for the block; yields its API URL."""
    if not _port_is_free(port):
        raise ServerError(f"port {port} on 127.0.0.1 is in use; choose another with --server-port")
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home.resolve()), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_until_healthy(process, url, home / "server.log")
        yield url
    finally:
        _stop(process)
        log.close()


def _wait_until_healthy(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"the Prefect server exited with status {process.returncode}; see {log}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise ServerError(f"the Prefect server did not answer within {STARTUP_SECONDS} s; see {log}")
