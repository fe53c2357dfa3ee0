"""What a snapshot records besides its documents: the versions its records were made with,
the models serving each pair, the files without records, the edits applied, the run.

Stored as JSON in the catalog (and, in a corpus of schema 3, in its manifest); read and
written here only, with the keys corpora have always had, so old corpora read as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import reportmt

from .languages import language_pair
from .qa.checks import CHECKS_VERSION
from .records import SCHEMA_VERSION

UNREAD_KINDS = ("pending", "failed", "deferred", "duplicates")


@dataclass(frozen=True)
class SnapshotInfo:
    """``pending`` items name their file ``doc_id``; ``failed``, ``deferred`` and
    ``duplicates`` items name it ``file``. ``run`` is the only place for times and run ids,
    so that record files stay byte-identical across runs. ``glossary_version`` and
    ``pipeline_version`` are None only in a catalog that lacks them (validation says so)."""

    schema_version: str | None
    pipeline_version: str | None
    glossary_version: str | None
    checks_version: str | None
    models: dict[str, str] = field(default_factory=dict)  # pair -> package@version
    pending: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    deferred: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    applied_through: int = 0  # edits up to this id are in the records
    run: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SnapshotInfo:
        return cls(
            schema_version=data.get("schema_version"),
            pipeline_version=data.get("pipeline_version"),
            glossary_version=data.get("glossary_version"),
            checks_version=data.get("checks_version"),
            models=dict(data.get("models") or {}),
            pending=list(data.get("pending") or []),
            failed=list(data.get("failed") or []),
            deferred=list(data.get("deferred") or []),
            duplicates=list(data.get("duplicates") or []),
            applied_through=(data.get("edits") or {}).get("applied_through", 0),
            run=dict(data.get("run") or {}),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "pipeline_version": self.pipeline_version,
            "glossary_version": self.glossary_version,
            "checks_version": self.checks_version,
            "models": self.models,
            "pending": self.pending,
            "failed": self.failed,
            "deferred": self.deferred,
            "duplicates": self.duplicates,
            "edits": {"applied_through": self.applied_through},
            "run": self.run,
        }

    def records_current(self, glossary_version: str) -> bool:
        """Were the records made with this glossary and today's schema and checks?"""
        return (self.glossary_version, self.schema_version, self.checks_version) == (
            glossary_version, SCHEMA_VERSION, CHECKS_VERSION)

    def unread(self, kind: str) -> list[dict]:
        """The files of one of UNREAD_KINDS."""
        items: list[dict] = getattr(self, kind)
        return items


def build_info(
    *,
    entries: list[dict],
    glossary_version: str,
    pending: list[dict],
    failed: list[dict],
    deferred: list[dict],
    duplicates: list[dict],
    run: dict[str, str],
    last_edit: int = 0,
    models: dict[str, str] | None = None,
) -> SnapshotInfo:
    """The info of a snapshot this pipeline commits. ``entries``: the documents the run
    looked at; ``models``: those of the documents it did not look at."""
    made_with = {language_pair(e["language"]): e["model"] for e in sorted(entries, key=lambda e: e["doc_id"]) if e["model"]}
    return SnapshotInfo(
        schema_version=SCHEMA_VERSION,
        pipeline_version=reportmt.__version__,
        glossary_version=glossary_version,
        checks_version=CHECKS_VERSION,
        models={**(models or {}), **made_with},
        pending=pending,
        failed=failed,
        deferred=deferred,
        duplicates=duplicates,
        applied_through=last_edit,
        run=run,
    )
