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
from .unread import UnreadFile, UnreadKind


@dataclass(frozen=True)
class SnapshotInfo:
    """The files without records are listed by kind (reportmt.unread keeps the shapes they
    are stored in). ``run`` is the only place for times and run ids,
    so that record files stay byte-identical across runs. ``glossary_version`` and
    ``pipeline_version`` are None only in a catalog that lacks them (validation says so)."""

    schema_version: str | None
    pipeline_version: str | None
    glossary_version: str | None
    checks_version: str | None
    models: dict[str, str] = field(default_factory=dict)  # pair -> package@version
    pending: list[UnreadFile] = field(default_factory=list)
    failed: list[UnreadFile] = field(default_factory=list)
    deferred: list[UnreadFile] = field(default_factory=list)
    duplicates: list[UnreadFile] = field(default_factory=list)
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
            pending=_unread_files(data, UnreadKind.PENDING),
            failed=_unread_files(data, UnreadKind.FAILED),
            deferred=_unread_files(data, UnreadKind.DEFERRED),
            duplicates=_unread_files(data, UnreadKind.DUPLICATE),
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
            **{kind.info_key: [item.to_json() for item in self.unread(kind)] for kind in UnreadKind},
            "edits": {"applied_through": self.applied_through},
            "run": self.run,
        }

    def records_current(self, glossary_version: str) -> bool:
        """Were the records made with this glossary and today's schema and checks?"""
        return (self.glossary_version, self.schema_version, self.checks_version) == (
            glossary_version, SCHEMA_VERSION, CHECKS_VERSION)

    def unread(self, kind: UnreadKind) -> list[UnreadFile]:
        """The files of one kind."""
        items: list[UnreadFile] = getattr(self, kind.info_key)
        return items


def _unread_files(data: Mapping[str, Any], kind: UnreadKind) -> list[UnreadFile]:
    return [UnreadFile.from_json(item, kind) for item in data.get(kind.info_key) or []]


def build_info(
    *,
    entries: list[dict],
    glossary_version: str,
    pending: list[UnreadFile],
    failed: list[UnreadFile],
    deferred: list[UnreadFile],
    duplicates: list[UnreadFile],
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
