"""The names that the flow, its deployment, `reportmt watch` and the review workspace share
with the Prefect server: one definition each, so that events and triggers agree. Plain
strings, in the core, so that every layer can name them without importing another."""

from __future__ import annotations

import hashlib
from pathlib import Path

FLOW_NAME = "reportmt-corpus-run"
FILES_CHANGED_EVENT = "reportmt.corpus.changed"  # one per batch of settled files, from `reportmt watch`
REVIEW_SAVED_EVENT = "reportmt.review.saved"  # emitted by the review workspace on every save


def deployment_name(out_dir: Path) -> str:
    """The sync deployment of one output folder: `sync-normalized-1a2b3c4d` (several folders
    can be served by one Prefect server)."""
    out = Path(out_dir).resolve()
    return f"sync-{out.name}-{hashlib.sha256(str(out).encode()).hexdigest()[:8]}"


def deployment_full_name(out_dir: Path) -> str:
    return f"{FLOW_NAME}/{deployment_name(out_dir)}"


def corpus_resource_id(corpus_root: Path) -> str:
    """The Prefect resource id of a corpus folder."""
    return "reportmt.corpus." + hashlib.sha256(str(Path(corpus_root).resolve()).encode()).hexdigest()[:16]


def normalized_resource_id(out_dir: Path) -> str:
    """The Prefect resource id of a normalized corpus: the review workspace's events name it."""
    return "reportmt.normalized." + hashlib.sha256(str(Path(out_dir).resolve()).encode()).hexdigest()[:16]
