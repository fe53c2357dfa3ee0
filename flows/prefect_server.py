"""A Prefect API server on loopback for one command, with its output kept out of the terminal.

The temporary server that Prefect starts by itself prints tracebacks from its services
when it shuts down; this one writes everything it says to a log file instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reportmt.errors import ReportmtError


class PrefectServerError(ReportmtError):
    """The Prefect API a run needs could not be started or reached."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api_is_healthy(api_url: str, timeout: float = 2) -> bool:
    """The one probe of a Prefect API: does /health answer 200?"""
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


API_WAIT_FIRST_SECONDS = 0.5
API_WAIT_MAX_SECONDS = 10.0


def wait_for_api(api_url: str, say: Callable[[str], None], *, sleep: Callable[[float], None] = time.sleep) -> None:
    """Return once the API answers, probing with backoff (0.5 s doubling to 10 s) and saying
    once that it waits: a service may start before the server, or outlive its restart."""
    pause = API_WAIT_FIRST_SECONDS
    said = False
    while not api_is_healthy(api_url):
        if not said:
            say(f"waiting for the Prefect API at {api_url} (start it with `prefect server start`)")
            said = True
        sleep(pause)
        pause = min(pause * 2, API_WAIT_MAX_SECONDS)
    if said:
        say(f"the Prefect API at {api_url} answers")


def _drain_clients() -> None:
    """Send the logs and events still queued in this process before the server goes away."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)
    EventsWorker.drain_all(timeout=10)


@contextmanager
def local_prefect_server(log_file: Path, *, services: bool = False, timeout: float = 120,
                         port: int | None = None) -> Iterator[str]:
    """Start `prefect server start` on 127.0.0.1 (on a free port unless given) and yield its
    API URL until the block ends."""
    port = port or free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"]
    if not services:
        command.append("--no-services")
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_API_URL": api_url}
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + timeout
        while not api_is_healthy(api_url):
            if process.poll() is not None:
                raise PrefectServerError(f"the Prefect server exited with code {process.returncode}; see {log_file}")
            if time.monotonic() > deadline:
                raise PrefectServerError(f"the Prefect server did not answer within {timeout:.0f}s; see {log_file}")
            time.sleep(0.25)
        yield api_url
    finally:
        try:
            _drain_clients()  # on every exit, a failed run's included: nothing may try to reach a stopped server
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

