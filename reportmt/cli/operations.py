"""`reportmt serve` and `reportmt watch`: scheduled and event-triggered runs on a Prefect server."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import click

from ..summary import EXIT_USAGE
from .common import (
    corpus_option, err, fail, glossary_option, load_normalizer, models_dir_option, out, out_option, warn,
)

DEFAULT_CRON = "0 * * * *"


def _wait_for_prefect_api(command: str) -> None:
    """A service may start before the Prefect server: wait for its API (saying so once)."""
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        fail(
            f"`reportmt {command}` needs a running Prefect server: start one with `prefect server start` "
            "and set PREFECT_API_URL (for example http://127.0.0.1:4200/api)",
            EXIT_USAGE,
        )
    from ..flows.prefect_server import wait_for_api

    def stop_waiting(*_) -> None:
        raise SystemExit(0)

    previous = {signum: signal.signal(signum, stop_waiting) for signum in (signal.SIGTERM, signal.SIGINT)}
    wait_for_api(api_url, lambda line: err.print(line, highlight=False, soft_wrap=True))
    for signum, handler in previous.items():
        signal.signal(signum, handler)


@click.command()
@corpus_option()
@out_option
@glossary_option
@models_dir_option
@click.option("--cron", help="Schedule of the sync (cron, server time zone) [default: 0 * * * *].")
@click.option("--interval", type=click.FloatRange(min=1), help="Seconds between scheduled syncs, instead of --cron.")
@click.option("--grace", type=click.FloatRange(min=0), default=60, show_default=True,
              help="On SIGTERM or Ctrl+C, seconds the run in progress may take to finish before it is cancelled.")
def serve(corpus_dir: Path, out_dir: Path, glossary: str | None, models_dir: Path | None, cron: str | None,
          interval: float | None, grace: float) -> None:
    """Register the sync deployment (scheduled, and triggered by `reportmt watch` and by
    reviewers' saves) and run its flow runs (blocks; SIGTERM or Ctrl+C stops cleanly)."""
    _wait_for_prefect_api("serve")
    if cron and interval:
        fail("--cron and --interval: give one schedule", EXIT_USAGE)
    load_normalizer(glossary)
    from ..flows.deployments import build_deployment
    from ..events import deployment_full_name
    from ..flows.orphans import catch_up, crash_orphaned_runs, mark_as_serve
    from ..flows.serve import serve_corpus

    cron = cron or (None if interval else DEFAULT_CRON)
    try:
        deployment = build_deployment(corpus_dir, out_dir, glossary, str(models_dir) if models_dir else None,
                                      cron=cron, interval=interval)
    except ValueError as exc:
        fail(f"--cron {cron!r}: {exc}", EXIT_USAGE)
    crashed = crash_orphaned_runs(out_dir)
    if crashed:
        warn(f"{crashed} run(s) of {deployment_full_name(out_dir)} left by a serve that was stopped are marked Crashed; "
             "the next run completes the corpus")
    if catch_up(out_dir, crashed):
        err.print("asked for a run at once: changes or runs were left when the last serve stopped", highlight=False)
    schedule = f"every {interval:g} s" if interval else f"cron {cron}"
    err.print(
        f"serving {deployment_full_name(out_dir)} ({schedule}; on `reportmt watch` events and reviewers' saves) for "
        f"{corpus_dir.resolve()} -> {out_dir.resolve()}; Ctrl+C stops",
        highlight=False,
        soft_wrap=True,
    )
    mark_as_serve()
    serve_corpus(deployment, out_dir, grace, lambda line: err.print(line, highlight=False, soft_wrap=True))


@click.command()
@corpus_option()
@click.option("--out", "out_dir", default="normalized", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The normalized corpus the served deployment writes: on start, files its last run has not seen are reported.")
@click.option("--settle", default=2.0, show_default=True, help="Seconds a file must stop growing before it is reported.")
def watch(corpus_dir: Path, out_dir: Path, settle: float) -> None:
    """Watch the corpus folder and ask the served sync deployment for a run when reports
    change; on start, report what changed since the last run in --out (blocks)."""
    _wait_for_prefect_api("watch")
    from ..flows.watch import watch_corpus

    err.print(f"watching {corpus_dir.resolve()}; Ctrl+C stops", highlight=False, soft_wrap=True)
    stop = threading.Event()  # SIGTERM and Ctrl+C end the watch within a second, with exit 0
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    watch_corpus(corpus_dir, out_dir, settle_seconds=settle, stop_event=stop,
                 on_change=lambda path, kind: out.print(f"{kind}: {path}", highlight=False),
                 on_report=lambda line: err.print(line, highlight=False, soft_wrap=True))
    err.print("stopped watching", highlight=False)
