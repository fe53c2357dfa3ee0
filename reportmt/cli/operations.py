"""`reportmt serve` and `reportmt watch`: scheduled and event-triggered runs on a Prefect server."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..summary import EXIT_USAGE
from .common import (
    corpus_option, err, fail, glossary_option, load_normalizer, models_dir_option, out, out_option, user_errors, warn,
)

DEFAULT_CRON = "0 * * * *"


def _require_prefect_api(command: str) -> None:
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        fail(
            f"`reportmt {command}` needs a running Prefect server: start one with `prefect server start` "
            "and set PREFECT_API_URL (for example http://127.0.0.1:4200/api)",
            EXIT_USAGE,
        )
    from ..flows.prefect_server import api_is_healthy

    if not api_is_healthy(api_url, timeout=10):
        fail(f"the Prefect API at {api_url} does not answer", EXIT_USAGE,
             "start the server (`prefect server start`) or correct PREFECT_API_URL")


@click.command()
@corpus_option()
@out_option
@glossary_option
@models_dir_option
@click.option("--cron", help="Schedule of the sync (cron, server time zone) [default: 0 * * * *].")
@click.option("--interval", type=click.FloatRange(min=1), help="Seconds between scheduled syncs, instead of --cron.")
def serve(corpus_dir: Path, out_dir: Path, glossary: str | None, models_dir: Path | None, cron: str | None,
          interval: float | None) -> None:
    """Register the sync deployment (scheduled, and triggered by `reportmt watch` and by
    reviewers' saves) and run its flow runs (blocks; SIGTERM or Ctrl+C stops)."""
    _require_prefect_api("serve")
    if cron and interval:
        fail("--cron and --interval: give one schedule", EXIT_USAGE)
    load_normalizer(glossary)
    from ..flows.deployments import build_deployment, serve_corpus
    from ..flows.names import deployment_full_name
    from ..flows.orphans import crash_orphaned_runs, mark_as_serve

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
    schedule = f"every {interval:g} s" if interval else f"cron {cron}"
    err.print(
        f"serving {deployment_full_name(out_dir)} ({schedule}; on `reportmt watch` events and reviewers' saves) for "
        f"{corpus_dir.resolve()} -> {out_dir.resolve()}; Ctrl+C stops",
        highlight=False,
        soft_wrap=True,
    )
    mark_as_serve()
    serve_corpus(deployment)


@click.command()
@corpus_option()
@click.option("--out", "out_dir", default="normalized", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The normalized corpus the served deployment writes: on start, files its last run has not seen are reported.")
@click.option("--settle", default=2.0, show_default=True, help="Seconds a file must stop growing before it is reported.")
def watch(corpus_dir: Path, out_dir: Path, settle: float) -> None:
    """Watch the corpus folder and ask the served sync deployment for a run when reports
    change; on start, report what changed since the last run in --out (blocks)."""
    _require_prefect_api("watch")
    from ..flows.watch import watch_corpus

    err.print(f"watching {corpus_dir.resolve()}; Ctrl+C stops", highlight=False, soft_wrap=True)
    try:
        with user_errors():
            watch_corpus(corpus_dir, out_dir, settle_seconds=settle,
                         on_change=lambda path, kind: out.print(f"{kind}: {path}", highlight=False),
                         on_report=lambda line: err.print(line, highlight=False, soft_wrap=True))
    except KeyboardInterrupt:
        pass
