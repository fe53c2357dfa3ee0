"""Watching the corpus folder and asking the served deployment for a run when reports change.

A file is reported once it has stopped growing, so a report still being copied in is
never read half-way. Changes are folded: one event per batch, and none while a run of the
deployment waits (it will read them), so a burst of files makes one or two runs, not one
per file. On start, the folder is compared with the last committed run, so what changed
while `watch` was down is reported at once. A batch that cannot be sent (the API is down)
is kept and sent again; the scheduled sync stays the safety net behind all of this.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.events import Event
from watchfiles import Change, watch

from reportmt import store
from reportmt.documents import discover_sources
from reportmt.events import FILES_CHANGED_EVENT, corpus_resource_id
from reportmt.incremental import unprocessed
from reportmt.sources import has_settled

from .announce import deliver
from .coalesce import run_is_waiting, runs_in_states, sync_deployment

_KINDS = {Change.added: "added", Change.modified: "modified", Change.deleted: "deleted"}
TICK_MS = 1000  # how often unreported changes are looked at again when the folder is quiet
EVENT_TO_RUN_SECONDS = 5.0  # after an event, the time the server takes to make its run, then looked for
PAYLOAD_FILES = 100  # files named in one event, for people; the run reads the changes noted in the catalog


class ChangeReporter:
    """Settled changes not yet reported, and when to report them."""

    def __init__(self, corpus_root: Path, out_dir: Path, on_report: Callable[[str], None]):
        self.corpus_root = corpus_root
        self.out_dir = out_dir
        self.on_report = on_report
        self.unreported: dict[str, str] = {}  # doc_id -> added, modified, deleted or unprocessed
        self.unconfirmed: dict[str, str] = {}  # sent, and no run has come of the event yet
        self.sent_at: datetime | None = None
        self.quiet_until = 0.0
        self.said = ""  # the last reason given for keeping changes

    def add(self, changes: dict[str, str]) -> None:
        """Changes noted in the corpus's catalog at once (the run they ask for reads only
        them, see corpus_run's ``changes_only``), then reported when due."""
        try:
            store.note_changes(self.out_dir, changes)
        except (sqlite3.Error, OSError) as exc:  # the next scheduled sync reads every file anyway
            self.on_report(f"cannot note the changes in {self.out_dir} ({exc}); the next run reads every file")
        self.unreported.update(changes)

    def report_if_due(self) -> None:
        if not (self.unreported or self.unconfirmed) or time.monotonic() < self.quiet_until:
            return
        try:
            with get_client(sync_client=True) as client:
                deployment = sync_deployment(client, self.out_dir)
                if deployment is None:  # nothing would hear the event: keep the changes until serve is up
                    self._keep("no `reportmt serve` serves this corpus yet")
                    return
                if self.unconfirmed:
                    self._confirm(client, deployment)
                    if not self.unreported:
                        return
                if run_is_waiting(client, deployment):
                    self.on_report(f"{len(self.unreported)} changed file(s) left to the run that is waiting")
                    self.unreported.clear()
                    return
            sent_at = datetime.now(UTC)
            self._send(sorted(self.unreported))
        except Exception as exc:  # the API is down or restarting: keep the batch, try again next tick
            self._keep(f"cannot reach the Prefect API ({type(exc).__name__}: {exc})")
            return
        self.said = ""
        self.on_report(f"asked for a run: {len(self.unreported)} changed file(s)")
        self.unconfirmed, self.unreported, self.sent_at = self.unreported, {}, sent_at
        self.quiet_until = time.monotonic() + EVENT_TO_RUN_SECONDS

    def _confirm(self, client, deployment) -> None:
        """Did a run come of the last event? An event can be lost (the deployment's triggers
        not loaded yet, just after `serve` started): if not, its changes are sent again."""
        if not runs_in_states(client, deployment.id, since=self.sent_at - timedelta(seconds=1)):
            self.on_report(f"no run came of the last event; {len(self.unconfirmed)} change(s) sent again")
            self.unreported.update(self.unconfirmed)
        self.unconfirmed = {}

    def _keep(self, reason: str) -> None:
        """Nothing sent this tick: say why, once while the reason stays the same."""
        if reason != self.said:
            self.on_report(f"{reason}; {len(self.unreported)} change(s) kept, sent as soon as they can be")
        self.said = reason

    def _send(self, files: list[str]) -> None:
        deliver(Event(event=FILES_CHANGED_EVENT,
                      resource={"prefect.resource.id": corpus_resource_id(self.corpus_root),
                                "prefect.resource.name": str(self.corpus_root)},
                      payload={"files": files[:PAYLOAD_FILES], "count": len(files)}))


def changes_since_last_run(corpus_root: Path, out_dir: Path) -> dict[str, str]:
    """What the last committed run over ``out_dir`` has not seen (all files before any run)."""
    try:
        manifest = store.read_snapshot(out_dir).as_manifest()
    except store.CorpusError:
        manifest = None
    return dict.fromkeys(unprocessed(discover_sources(corpus_root), corpus_root, manifest), "unprocessed")


def watch_corpus(
    corpus_root: Path,
    out_dir: Path,
    *,
    settle_seconds: float = 2.0,
    on_change: Callable[[str, str], None] | None = None,
    on_report: Callable[[str], None] = lambda line: None,
    stop_event: threading.Event | None = None,
) -> None:
    corpus_root = corpus_root.resolve()
    reporter = ChangeReporter(corpus_root, out_dir, on_report)
    missed = changes_since_last_run(corpus_root, out_dir)
    if missed:
        on_report(f"{len(missed)} file(s) changed since the last run")
        reporter.add(missed)
    reporter.report_if_due()
    for changes in watch(corpus_root, debounce=1000, step=100, rust_timeout=TICK_MS, yield_on_timeout=True,
                         stop_event=stop_event):
        batch: dict[Path, str] = {}
        for change, raw_path in changes:
            path = Path(raw_path)
            relative = path.relative_to(corpus_root)
            if any(part.startswith(".") for part in relative.parts) or path.is_dir():
                continue
            batch[path] = _KINDS[change]
        settled = {}
        for path, kind in sorted(batch.items()):
            if kind != "deleted" and not has_settled(path, settle_seconds):
                kind = "deleted"  # gone before it settled
            relative = path.relative_to(corpus_root).as_posix()
            settled[relative] = kind
            if on_change:
                on_change(relative, kind)
        reporter.add(settled)
        reporter.report_if_due()
