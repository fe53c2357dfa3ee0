"""The deployment of the corpus flow that `reportmt serve` registers and runs.

One deployment per output folder, `reportmt-corpus-run/sync-NAME-HASH`: a schedule (cron or a
fixed interval) is the safety net that reconciles everything, and triggers start a run
when `reportmt watch` reports changed files or a reviewer saves an edit (`reportmt
review`). Its concurrency limit of one (runs beyond it wait on the server, without a
process) keeps one run working at a time; see flows.coalesce for how the waiting ones are
folded together. `serve` executes the runs in its own process tree (flows.serve: no
work pool needed).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.events import DeploymentEventTrigger

from reportmt.events import (
    FILES_CHANGED_EVENT,
    REVIEW_SAVED_EVENT,
    corpus_resource_id,
    deployment_name,
    normalized_resource_id,
)
from reportmt.run_options import RunOptions

from .corpus_run import corpus_run


def build_deployment(corpus_dir: Path, out_dir: Path, glossary: str | None, models_dir: str | None, *,
                     cron: str | None = None, interval: float | None = None):
    """The sync deployment on a cron schedule or every ``interval`` seconds (one of them)."""
    parameters = RunOptions(
        corpus_dir=str(corpus_dir.resolve()),
        out_dir=str(out_dir.resolve()),
        glossary=str(Path(glossary).resolve()) if glossary else None,
        models_dir=str(Path(models_dir).resolve()) if models_dir else None,
    ).given()
    schedule = {"interval": timedelta(seconds=interval)} if interval else {"cron": cron}
    name = deployment_name(out_dir)
    return corpus_run.to_deployment(
        name=name,
        parameters=parameters,
        description=f"Incremental sync of {parameters['corpus_dir']} into {parameters['out_dir']}: on a schedule, "
        "when `reportmt watch` reports changed files, and when a reviewer saves an edit.",
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        triggers=[
            DeploymentEventTrigger(
                name=f"{name}-files",
                expect={FILES_CHANGED_EVENT},
                match={"prefect.resource.id": corpus_resource_id(corpus_dir)},
                parameters={**parameters, "changes_only": True},  # the watcher noted them: a run costs what changed
            ),
            DeploymentEventTrigger(
                name=f"{name}-edits",
                expect={REVIEW_SAVED_EVENT},
                match={"prefect.resource.id": normalized_resource_id(out_dir)},
            ),
        ],
        **schedule,
    )
