"""Prefect servers that wavecompare starts itself, on loopback, for as long as its command runs.

- `local_server`: a real server for `wavecompare serve`. Prefect's ephemeral API
  cannot run schedules, so serving needs one: the one named by PREFECT_API_URL
  when it is set, otherwise this, with its SQLite database under the project
  (`.wavecompare/prefect`) and analytics off.
- `TemporaryAPI`: Prefect's own ephemeral API for `wavecompare run`, started
  earlier than Prefect would start it (see the class).
"""

from __future__ import annotations

import atexit
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


def stop_session(process: subprocess.Popen) -> None:
    """SIGTERM to a process started in a session of its own (a server, a worker) and all it started, then
    SIGKILL after 15 s."""
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
        stop_session(process)
        log.close()


def _wait_until_healthy(process: subprocess.Popen, url: str, log: Path | str, poll: float = 0.25) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"the Prefect server exited with status {process.returncode}; see {log}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(poll)
    raise ServerError(f"the Prefect server did not answer within {STARTUP_SECONDS} s; see {log}")


def free_port() -> int:
    """A port on 127.0.0.1 that is free now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TemporaryAPI:
    """Prefect's ephemeral API for one `wavecompare run`, started before Prefect is imported.

    Prefect starts its ephemeral API at the first flow call: it imports its server package in
    this process (about 3 s) only to launch a subprocess that imports it again (about 6 s), one
    after the other. Started first thing instead, the subprocess's start overlaps this process's
    own imports: about 5 s less per run. It is the server Prefect would start (its uvicorn app
    factory, ephemeral settings, the same database), on 127.0.0.1, announced on stderr, stopped at
    exit (after Prefect has flushed its logs and events to it) and sent SIGTERM by the kernel if
    this process dies first.

    Nothing is started when a Prefect API is already configured: PREFECT_API_URL in the
    environment, or, once Prefect is imported, in its settings (a profile, a test harness); a
    server started before that could be known is stopped unused.
    """

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.url = ""
        if not os.environ.get("PREFECT_API_URL") and "prefect" not in sys.modules:
            self._start()

    def _start(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/api"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
            env={**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
                 "PREFECT__SERVER_FINAL": "1"},
            start_new_session=True, preexec_fn=_die_with_parent,
        )
        atexit.register(stop_session, self.process)  # before Prefect registers its flushes, so it runs after them

    @contextmanager
    def serving(self) -> Iterator[None]:
        """The block runs its flows against this API, if it was started and no other is configured."""
        from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

        if self.process is None:
            yield
            return
        if get_current_settings().api.url:
            stop_session(self.process)
            yield
            return
        print(f"wavecompare: started a temporary Prefect API for this run at {self.url} "
              "(stopped when the run ends; set PREFECT_API_URL to use a running server)", file=sys.stderr, flush=True)
        _wait_until_healthy(self.process, self.url, "the messages above", poll=0.05)
        with temporary_settings(updates={PREFECT_API_URL: self.url}):
            yield
