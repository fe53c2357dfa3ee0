"""Where a stage's batches run, decided here for preparation and writing alike: on the
workers of a distributed runner (Dask), on every core in a pool of processes when there is
enough work and the flow runs its tasks in threads (starting a process costs about a
second), or in one task in the flow's process."""

from __future__ import annotations

import os
from collections.abc import Callable

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


def in_batches(task, arguments: list[dict], steps: list[float], phase: str, *, total_bytes: int,
               here: Callable[[], list]) -> list:
    """The results of ``task`` on each batch's arguments, in order, as one list: on the
    workers of a distributed runner when there are several batches; in a pool of processes
    when that pays (``worth_processes``); else ``here()``, one task in this process over
    every batch at once (threads would share one core's worth of Python, and each task costs
    Prefect's bookkeeping, which a corpus of many small reports would pay many times).
    ``steps`` is how far each batch moves the phase ``phase``."""
    if len(arguments) > 1 and distributed():
        done = on_workers(task, arguments, steps, phase)
    elif worth_processes(total_bytes, len(arguments)):
        done = on_processes(task, arguments, steps, phase)
    else:
        return here()
    return [result for batch in done for result in batch]


def on_workers(task, arguments: list[dict], steps: list[float], phase: str) -> list:
    """``task`` on each batch's arguments on the runner's workers, the results in order; the
    workers report no progress here, so the phase reaches its end once they are done."""
    futures = [task.submit(**args) for args in arguments]  # not quoted: Dask would get a tuple
    done = [future.result() for future in futures]
    progress.reach(phase, sum(steps))
    return done


def on_processes(task, arguments: list[dict], steps: list[float], phase: str) -> list:
    """``task`` on each batch's arguments in a pool of processes, the results in order; a
    process has no display, so the phase moves by a batch's ``steps`` when it is done."""
    with ProcessPoolTaskRunner(max_workers=cores()) as pool:
        futures = {pool.submit(task, args): step for args, step in zip(arguments, steps)}
        for future in as_completed(list(futures)):
            progress.advance(phase, futures[future])
        return [future.result() for future in futures]
