"""The corpus flow on a Dask cluster, through prefect-dask's DaskTaskRunner.

Reading (prepare-documents) and translating (translate-shard) run on the cluster's
workers; translation is cut into shards of planned batches, two per worker, so that every
worker stays busy. Records are streamed into the snapshot by the flow's own process. Workers keep their model loaded between shards (one per process).
"""

from __future__ import annotations

import os

from prefect_dask import DaskTaskRunner

from reportmt.run_options import Decoding, RunOptions

SHARDS_PER_WORKER = 2


def dask_run(flow, address: str | None, options: RunOptions):
    """The flow with a DaskTaskRunner, and the options for its workers: a shard count, and
    decoding options."""
    if address:
        from distributed import Client

        with Client(address, timeout="30s") as client:
            workers = max(1, len(client.scheduler_info()["workers"]))
        runner = DaskTaskRunner(address=address)
        decoding = options.decoding
    else:
        workers = os.cpu_count() or 1
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})
        # One single-threaded translator per core: workers must not each take every core.
        decoding = Decoding(**{"intra_threads": 1, **options.decoding.overrides()})
    return flow.with_options(task_runner=runner), options.model_copy(
        update={"shards": workers * SHARDS_PER_WORKER, "decoding": decoding})
