"""Batches of local work on every core: in a pool of processes when there is enough of it
and the flow runs its tasks in threads (starting a process costs about a second)."""

from __future__ import annotations

import os

from prefect.context import get_run_context
from prefect.futures import as_completed
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from reportmt import progress

# Below this much text, processes cost more than they save. Measured on 2 cores (English
# reports of 3 to 8 KB, `bench/preparation.py`'s): 11.5 MB took 17.5 s in processes and
# 10.9 s in the flow's process; 34.5 MB took 28.9 s and 31.2 s. Each process imports Prefect
# and runs its tasks through the API, for each stage.
PROCESS_POOL_MIN_BYTES = 32 * 1024 * 1024


def cores() -> int:
    return os.cpu_count() or 1


def worth_processes(total_bytes: int, batches: int) -> bool:
    """Whether a pool of processes pays: several cores, several batches (one batch gains
    nothing, and its progress shows only in this process), enough bytes, and a flow whose
    tasks run in threads (a distributed runner has workers of its own)."""
    return (cores() > 1 and batches > 1 and total_bytes >= PROCESS_POOL_MIN_BYTES
            and isinstance(get_run_context().task_runner, ThreadPoolTaskRunner))


def distributed() -> bool:
    """Whether the flow's tasks run on the workers of a distributed runner (Dask)."""
    return not isinstance(get_run_context().task_runner, (ThreadPoolTaskRunner, ProcessPoolTaskRunner))


def on_processes(task, arguments: list[dict], steps: list[float], phase: str) -> list:
    """``task`` on each batch's arguments in a pool of processes, the results in order; a
    process has no display, so the phase moves by a batch's ``steps`` when it is done."""
    with ProcessPoolTaskRunner(max_workers=cores()) as pool:
        futures = {pool.submit(task, args): step for args, step in zip(arguments, steps)}
        for future in as_completed(list(futures)):
            progress.advance(phase, futures[future])
        return [future.result() for future in futures]
