"""Deployments of the corpus flow: a cron-scheduled full sync and a run on corpus file events.

`reportmt serve` registers both with the Prefect server in PREFECT_API_URL and executes
their runs in this process (Prefect's `serve`: no work pool needed). `reportmt watch`
and the review workspace (`reportmt review`, on every saved edit) emit the events the
triggered deployment listens for.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from prefect import serve
from prefect.events import DeploymentEventTrigger

from .corpus_run import corpus_run

FILE_EVENT_PREFIX = "reportmt.corpus.file"
REVIEW_SAVED_EVENT = "reportmt.review.saved"  # emitted by the review workspace on every save
SCHEDULED = "scheduled-sync"
TRIGGERED = "on-corpus-change"


def corpus_resource_id(corpus_root: Path) -> str:
    """The Prefect resource id of a corpus folder: events and triggers agree on it."""
    return "reportmt.corpus." + hashlib.sha256(str(corpus_root.resolve()).encode()).hexdigest()[:16]


def normalized_resource_id(out_dir: Path) -> str:
    """The Prefect resource id of a normalized corpus: the review workspace's events name it."""
    return "reportmt.normalized." + hashlib.sha256(str(Path(out_dir).resolve()).encode()).hexdigest()[:16]


def build_deployments(corpus_dir: Path, out_dir: Path, glossary: str | None, models_dir: str | None, cron: str):
    parameters = {
        "corpus_dir": str(corpus_dir.resolve()),
        "out_dir": str(out_dir.resolve()),
        "glossary": str(Path(glossary).resolve()) if glossary else None,
        "models_dir": str(Path(models_dir).resolve()) if models_dir else None,
    }
    scheduled = corpus_run.to_deployment(
        name=SCHEDULED,
        cron=cron,
        parameters=parameters,
        description=f"Full incremental sync of {parameters['corpus_dir']} on a schedule.",
    )
    triggered = corpus_run.to_deployment(
        name=TRIGGERED,
        parameters=parameters,
        description=f"Runs when `reportmt watch` reports new, changed or deleted files in {parameters['corpus_dir']}, "
        f"and when a reviewer saves an edit of {parameters['out_dir']}.",
        triggers=[
            DeploymentEventTrigger(
                name=f"{TRIGGERED}-files",
                expect={f"{FILE_EVENT_PREFIX}.*"},
                match={"prefect.resource.id": corpus_resource_id(corpus_dir)},
            ),
            DeploymentEventTrigger(
                name=f"{TRIGGERED}-edits",
                expect={REVIEW_SAVED_EVENT},
                match={"prefect.resource.id": normalized_resource_id(out_dir)},
            ),
        ],
    )
    return [scheduled, triggered]


def serve_corpus(deployments) -> None:
    serve(*deployments, print_starting_message=False)
