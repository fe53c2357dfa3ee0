"""`reportmt serve` and `reportmt watch`: scheduled and event-triggered runs on a Prefect server."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..summary import EXIT_USAGE
from .common import corpus_option, err, fail, glossary_option, load_normalizer, models_dir_option, out, out_option


def _require_prefect_api(command: str) -> None:
    if not os.environ.get("PREFECT_API_URL"):
        fail(
            f"`reportmt {command}` needs a running Prefect server: start one with `prefect server start` "
            "and set PREFECT_API_URL (for example http://127.0.0.1:4200/api)",
            EXIT_USAGE,
        )


@click.command()
@corpus_option()
@out_option
@glossary_option
@models_dir_option
@click.option("--cron", default="0 * * * *", show_default=True, help="Schedule of the full sync (cron, server time zone).")
def serve(corpus_dir: Path, out_dir: Path, glossary: str | None, models_dir: Path | None, cron: str) -> None:
    """Register the scheduled and the file-triggered deployment and run their flow runs (blocks)."""
    _require_prefect_api("serve")
    load_normalizer(glossary)
    from ..flows.deployments import SCHEDULED, TRIGGERED, build_deployments, serve_corpus

    try:
        deployments = build_deployments(corpus_dir, out_dir, glossary, str(models_dir) if models_dir else None, cron)
    except ValueError as exc:
        fail(f"--cron {cron!r}: {exc}", EXIT_USAGE)
    err.print(
        f"serving reportmt-corpus-run/{SCHEDULED} (cron {cron}) and reportmt-corpus-run/{TRIGGERED} "
        f"(on `reportmt watch` events) for {corpus_dir.resolve()} -> {out_dir.resolve()}; Ctrl+C stops",
        highlight=False,
        soft_wrap=True,
    )
    serve_corpus(deployments)


@click.command()
@corpus_option()
@click.option("--settle", default=2.0, show_default=True, help="Seconds a file must stop growing before it is reported.")
def watch(corpus_dir: Path, settle: float) -> None:
    """Watch the corpus folder and emit a Prefect event per new, changed or deleted file (blocks)."""
    _require_prefect_api("watch")
    from ..flows.watch import watch_corpus

    err.print(f"watching {corpus_dir.resolve()}; Ctrl+C stops", highlight=False, soft_wrap=True)
    try:
        watch_corpus(corpus_dir, settle_seconds=settle, on_event=lambda path, kind: out.print(f"{kind}: {path}", highlight=False))
    except KeyboardInterrupt:
        pass
