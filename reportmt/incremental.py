"""What a run has to do, from the corpus folder and the previous manifest.

A source file is remembered by its path in the corpus (the doc_id) and its sha256: an
unchanged file is not read again; its records are carried over, or re-normalized from
their stored raw engine output when the glossary changed, or translated again when a
different model package now serves its language.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .documents import TRANSLATED_LANGUAGES, doc_id_for

_CHUNK = 1 << 20


@dataclass(frozen=True)
class SourceFile:
    doc_id: str
    path: Path
    sha256: str


@dataclass
class RunPlan:
    new: list[SourceFile] = field(default_factory=list)
    changed: list[SourceFile] = field(default_factory=list)
    retranslate: list[SourceFile] = field(default_factory=list)  # unchanged, but another model now
    renormalize: list[dict] = field(default_factory=list)  # manifest entries: glossary changed
    carry: list[dict] = field(default_factory=list)  # manifest entries kept as they are
    removed: list[dict] = field(default_factory=list)  # manifest entries whose file is gone

    @property
    def to_prepare(self) -> list[SourceFile]:
        return sorted(self.new + self.changed + self.retranslate, key=lambda s: s.doc_id)

    @property
    def unchanged(self) -> int:
        return len(self.retranslate) + len(self.renormalize) + len(self.carry)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def scan(paths: list[Path], corpus_root: Path) -> list[SourceFile]:
    return [SourceFile(doc_id_for(p, corpus_root), p, file_sha256(p)) for p in paths]


def plan_run(
    sources: list[SourceFile],
    previous: dict | None,
    glossary_version: str,
    models: dict[str, str],
) -> RunPlan:
    """``models``: language -> package@version installed now, for the translated languages."""
    plan = RunPlan()
    before = {entry["doc_id"]: entry for entry in (previous or {}).get("documents", [])}
    same_glossary = previous is not None and previous.get("glossary_version") == glossary_version
    for source in sources:
        entry = before.pop(source.doc_id, None)
        if entry is None:
            plan.new.append(source)
        elif entry["source_sha256"] != source.sha256:
            plan.changed.append(source)
        elif entry["language"] in TRANSLATED_LANGUAGES and models.get(entry["language"]) not in (None, entry["model"]):
            plan.retranslate.append(source)
        elif same_glossary:
            plan.carry.append(entry)
        else:
            plan.renormalize.append(entry)
    plan.removed = sorted(before.values(), key=lambda e: e["doc_id"])
    return plan
