"""Watching the corpus folder and telling Prefect about new, changed and deleted files.

A file is reported once it has stopped growing, so a report still being copied in is
never read half-way; bursts of changes are debounced by watchfiles into one batch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from prefect.events import emit_event
from watchfiles import Change, watch

from reportmt.sources import has_settled

from .deployments import FILE_EVENT_PREFIX, corpus_resource_id

_KINDS = {Change.added: "added", Change.modified: "modified", Change.deleted: "deleted"}


def emit_file_event(corpus_root: Path, relative: str, kind: str) -> None:
    emit_event(
        event=f"{FILE_EVENT_PREFIX}.{kind}",
        resource={"prefect.resource.id": corpus_resource_id(corpus_root), "prefect.resource.name": str(corpus_root)},
        payload={"path": relative},
    )


def watch_corpus(
    corpus_root: Path,
    *,
    settle_seconds: float = 2.0,
    on_event: Callable[[str, str], None] | None = None,
    stop_event: threading.Event | None = None,
) -> None:
    corpus_root = corpus_root.resolve()
    for changes in watch(corpus_root, debounce=1000, step=100, stop_event=stop_event):
        batch: dict[Path, str] = {}
        for change, raw_path in changes:
            path = Path(raw_path)
            relative = path.relative_to(corpus_root)
            if any(part.startswith(".") for part in relative.parts) or path.is_dir():
                continue
            batch[path] = _KINDS[change]
        for path, kind in sorted(batch.items()):
            if kind != "deleted" and not has_settled(path, settle_seconds):
                kind = "deleted"
            relative = path.relative_to(corpus_root).as_posix()
            emit_file_event(corpus_root, relative, kind)
            if on_event:
                on_event(relative, kind)
