"""A served flow run does not outlive `reportmt serve`, and no run stays stuck when it is killed.

`serve` starts each flow run as a child process. SIGKILL gives serve no chance to stop
them, so each run watches serve's process itself (`end_with_serve`): when serve is gone
it marks itself Crashed and ends with its own children (a preparation pool, a local Dask
cluster). A run serve had taken but not started has no process to notice: a restarted
serve marks such runs Crashed before it takes new ones (`crash_orphaned_runs`), and asks for
one run at once (`catch_up`), so that the files and saves they were for wait for no
schedule. The
corpus is safe either way: a run killed at any point leaves the previous corpus in force.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import psutil
from prefect.client.orchestration import get_client
from prefect.states import Crashed

from reportmt import store

from .coalesce import STARTED, run_is_waiting, runs_in_states, sync_deployment

SERVE_PID_ENV = "REPORTMT_SERVE_PID"  # set by `reportmt serve`, inherited by the runs it starts
POLL_SECONDS = 1.0


def mark_as_serve() -> None:
    """Called by `reportmt serve` before it starts runs: they will watch this process."""
    os.environ[SERVE_PID_ENV] = f"{os.getpid()}:{psutil.Process().create_time()}"


def served_by_reportmt() -> bool:
    """Is this process a flow run that `reportmt serve` started?"""
    return SERVE_PID_ENV in os.environ


def end_with_serve(flow_run_id: str | None) -> None:
    """In a run started by `reportmt serve`: end this process and its children once serve is gone."""
    pid, created = os.environ[SERVE_PID_ENV].split(":", 1)
    threading.Thread(target=_watch_serve, args=(int(pid), float(created), flow_run_id), daemon=True,
                     name="reportmt-end-with-serve").start()


def _serve_is_alive(pid: int, created: float) -> bool:
    try:
        serve = psutil.Process(pid)
        # the same process, not a later one with its pid; killed but not yet reaped counts as gone
        return serve.create_time() == created and serve.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _watch_serve(pid: int, created: float, flow_run_id: str | None) -> None:
    stop = threading.Event()
    while _serve_is_alive(pid, created):
        stop.wait(POLL_SECONDS)
    try:
        if flow_run_id is None:  # the restarted serve marks the run Crashed
            return
        with get_client(sync_client=True) as client:
            client.set_flow_run_state(flow_run_id, Crashed(message=f"`reportmt serve` (pid {pid}) stopped during the run; "
                                                                   "the next run completes the corpus"), force=True)
    finally:
        for child in psutil.Process().children(recursive=True):
            child.kill()
        os._exit(70)


def crash_orphaned_runs(out_dir: Path) -> int:
    """Runs of the output folder's deployment that a previous serve took and never finished:
    marked Crashed, so that they hold no concurrency slot and nobody waits on them."""
    with get_client(sync_client=True) as client:
        deployment = sync_deployment(client, out_dir)
        if deployment is None:
            return 0
        orphans = runs_in_states(client, deployment.id, STARTED, due=False)
        for run in orphans:
            client.set_flow_run_state(run.id, Crashed(message="the `reportmt serve` that ran it was stopped; "
                                                              "a new serve took over"), force=True)
    return len(orphans)


def catch_up(out_dir: Path, crashed: int) -> bool:
    """Ask for a run at once when a serve starts after runs were lost (``crashed``) or with
    changes `watch` noted that no run has read: they wait for no schedule. A run that
    crashed itself when its serve died left no orphan, but its changes are still noted."""
    noted = store.noted_changes(out_dir)
    if not crashed and not noted:
        return False
    with get_client(sync_client=True) as client:
        deployment = sync_deployment(client, out_dir)
        if deployment is None or run_is_waiting(client, deployment):
            return False
        # after a crash, edits may be waiting too: read everything; else only the noted files
        client.create_flow_run_from_deployment(deployment.id,
                                               parameters={**deployment.parameters, "changes_only": not crashed})
    return True
