"""One run of the corpus flow, as `reportmt run` starts it: locally or on Dask, against the
Prefect API in PREFECT_API_URL or one started on loopback for the run alone."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, nullcontext
from pathlib import Path

from reportmt import store
from reportmt.run_options import RunOptions
from reportmt.summary import RunSummary

from .corpus_run import corpus_run


def run_once(options: RunOptions, *, runner: str = "local", address: str | None = None,
             on_local_server: Callable[[Path], None] | None = None) -> RunSummary:
    """``runner``: local (threads in this process) or dask (prefect-dask, on the cluster at
    ``address`` or a local one). Without PREFECT_API_URL a Prefect API is started on
    127.0.0.1 for the run, its output going to ``$PREFECT_HOME/reportmt-server.log`` (told
    to ``on_local_server``) so that nothing it prints on shutdown reaches the terminal."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if not options.rebuild:
        store.check_output(Path(options.out_dir))  # a damaged corpus: say so now, and how to rebuild it
    flow = corpus_run
    if runner == "dask":
        from .scale import dask_run

        flow, options = dask_run(corpus_run, address, options)
    with _prefect_api(on_local_server):
        return flow(**options.flow_parameters())


def _prefect_api(on_local_server: Callable[[Path], None] | None) -> AbstractContextManager:
    if os.environ.get("PREFECT_API_URL"):
        return nullcontext()
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME, temporary_settings

    from .prefect_server import local_prefect_server

    log_file = Path(PREFECT_HOME.value()) / "reportmt-server.log"
    if on_local_server:
        on_local_server(log_file)
    stack = ExitStack()
    api_url = stack.enter_context(local_prefect_server(log_file))
    stack.enter_context(temporary_settings({PREFECT_API_URL: api_url}))
    return stack
