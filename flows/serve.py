"""Running the sync deployment's flow runs in this process tree (`reportmt serve`), and
stopping cleanly.

Prefect's runner executes the runs. On SIGTERM or SIGINT, `serve` stops taking runs and
pauses the deployment at once, lets the run in progress finish for the grace period, then
asks Prefect to cancel it (the runner kills its process and marks it Cancelled, which
releases the deployment's concurrency slot) and, should that not happen either, kills it
and marks it Crashed. It then exits 0: nothing is left Running or Pending. The corpus is
safe at every step, as a run commits whole or not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import psutil
from prefect.client.orchestration import get_client
from prefect.runner import Runner
from prefect.settings import PREFECT_RUNNER_POLL_FREQUENCY, temporary_settings
from prefect.states import Cancelling, Crashed

from .coalesce import STARTED, runs_in_states, sync_deployment
from .console_logs import strip_tracebacks

# How often `serve` asks the server for runs to start (Prefect's default is 10 s): a
# triggered run should begin a second or two after its event.
RUNNER_POLL_SECONDS = 2
CANCEL_SECONDS = 20.0  # after the grace period, Prefect has this long to cancel a run before it is killed
POLL_SECONDS = 1.0


def serve_corpus(deployment, out_dir: Path, grace_seconds: float, say: Callable[[str], None]) -> None:
    """Serve until SIGTERM or SIGINT, then stop as the module says."""
    # Prefect's own SIGTERM handler is replaced below; its coroutine warning would be noise.
    for coroutine in ("Runner.astop", "Runner._handle_cancellation_observer_failure"):
        warnings.filterwarnings("ignore", message=f"coroutine '{coroutine}' was never awaited", category=RuntimeWarning)
    strip_tracebacks()
    with temporary_settings({PREFECT_RUNNER_POLL_FREQUENCY: RUNNER_POLL_SECONDS}):
        runner = Runner(pause_on_shutdown=True)
        runner.add_deployment(deployment)
        asyncio.run(_serve_until_signalled(runner, out_dir, grace_seconds, say))


async def _serve_until_signalled(runner: Runner, out_dir: Path, grace_seconds: float,
                                 say: Callable[[str], None]) -> None:
    stop = asyncio.Event()
    serving = asyncio.create_task(runner.start())
    await asyncio.sleep(0)  # runner.start installs Prefect's SIGTERM handler first: ours replaces it
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    asked = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, asked}, return_when=asyncio.FIRST_COMPLETED)
    if serving.done():
        asked.cancel()
        serving.result()  # the runner ended by itself: say why
        return
    runner.stopping = True  # take no more runs (Prefect's runner has no public switch for this)
    runner._scheduled_run_poller.stopping = True
    loop.set_exception_handler(_quiet_while_stopping(say))
    try:
        await asyncio.to_thread(finish_or_cancel, out_dir, grace_seconds, say)
    except Exception as exc:  # the API is away: the next serve marks what is left Crashed
        say(f"stopping without the Prefect API ({type(exc).__name__}: {exc}); the next serve settles the runs left")
    await asyncio.to_thread(_wait_for_children, CANCEL_SECONDS)  # a finished run's process exits on its own
    await runner.astop()
    with contextlib.suppress(asyncio.CancelledError):
        await serving
    say("stopped; the deployment is paused until `reportmt serve` starts again")


def finish_or_cancel(out_dir: Path, grace_seconds: float, say: Callable[[str], None]) -> None:
    """Pause the deployment, give its run in progress the grace period, then cancel it."""
    with get_client(sync_client=True) as client:
        deployment = sync_deployment(client, out_dir)
        if deployment is None:
            return
        client.pause_deployment(deployment.id)
        started = _wait(client, deployment.id, grace_seconds)
        if not started:
            return
        say(f"stopping: the run in progress did not finish within {grace_seconds:g} s; cancelling it")
        for run in started:
            client.set_flow_run_state(run.id, Cancelling(message="`reportmt serve` was stopped"), force=True)
        for run in _wait(client, deployment.id, CANCEL_SECONDS):
            _kill_children()
            client.set_flow_run_state(run.id, Crashed(message="`reportmt serve` was stopped and the run did not "
                                                              "end when cancelled"), force=True)


def _wait(client, deployment_id, seconds: float) -> list:
    """The deployment's started runs, once none is left or after ``seconds``."""
    deadline = time.monotonic() + seconds
    while (started := runs_in_states(client, deployment_id, STARTED, due=False)) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
    return started


def _wait_for_children(seconds: float) -> None:
    """The runner would mark a run Cancelled whose process is still ending after it completed."""
    deadline = time.monotonic() + seconds
    while psutil.Process().children() and time.monotonic() < deadline:
        time.sleep(0.2)


def _quiet_while_stopping(say: Callable[[str], None]):
    """Prefect's observers end with their cancelled tasks as the runner stops: not an error.
    Anything else is said in one line."""
    def handle(loop, context: dict) -> None:
        error = context.get("exception")
        if error is None or isinstance(error, asyncio.CancelledError):
            return
        say(f"while stopping: {type(error).__name__}: {error}")
    return handle


def _kill_children() -> None:
    for child in psutil.Process().children(recursive=True):
        child.kill()
