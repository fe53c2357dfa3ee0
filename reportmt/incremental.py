"""What a run has to do, from the corpus folder and the previous snapshot (its info and
document entries in one dict, as ``store.Snapshot.as_manifest`` gives them).

A source file is remembered by its path in the corpus (the doc_id) and its sha256: an
unchanged file is not read again; its records are carried over, or re-normalized from
their stored raw engine output when the glossary changed, or translated again when a
different model package now serves its language.
"""

from __future__ import annotations

import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .documents import PreparedDocument, doc_id_for, special_file_kind
from .languages import TRANSLATED
from .qa.checks import CHECKS_VERSION
from .records import SCHEMA_VERSION
from .snapshot_info import SnapshotInfo
from .sources import READ_LATER, file_sha256, file_stat, has_settled
from .unread import UnreadFile, UnreadKind

DUPLICATE_ACTION = "remove one of the two copies; only the first name is in the corpus"


@dataclass(frozen=True)
class SourceFile:
    doc_id: str
    path: Path
    sha256: str | None  # None: a new file, hashed when it is read
    size: int
    stat: list[int] | None = None  # see sources.file_stat


@dataclass
class RunPlan:
    new: list[SourceFile] = field(default_factory=list)
    changed: list[SourceFile] = field(default_factory=list)
    retranslate: list[SourceFile] = field(default_factory=list)  # unchanged, but another model now
    renormalize: list[dict] = field(default_factory=list)  # manifest entries: glossary changed
    carry: list[dict] = field(default_factory=list)  # manifest entries kept as they are
    removed: list[dict] = field(default_factory=list)  # manifest entries whose file is gone
    previous: dict[str, dict] = field(default_factory=dict)  # manifest entries of files read again
    stat_changed: set[str] = field(default_factory=set)  # carried, but the file's size, time or inode moved
    same_glossary: bool = False

    def keep_previous(self, doc_id: str) -> None:
        """A file that cannot be read now (still being written, or changed while read) keeps the records it had."""
        entry = self.previous.get(doc_id)
        if entry is not None:
            (self.carry if self.same_glossary else self.renormalize).append(entry)

    def rebuild(self, doc_ids: set[str]) -> None:
        """Unchanged documents whose records must be made again from the stored ones (a
        human edit touches them): no engine, no source file."""
        self.renormalize += [entry for entry in self.carry if entry["doc_id"] in doc_ids]
        self.carry = [entry for entry in self.carry if entry["doc_id"] not in doc_ids]

    @property
    def to_prepare(self) -> list[SourceFile]:
        return sorted(self.new + self.changed + self.retranslate, key=lambda s: s.doc_id)

    @property
    def unchanged(self) -> int:
        return len(self.retranslate) + len(self.renormalize) + len(self.carry)

    @property
    def restated(self) -> list[dict]:
        """Carried entries the catalog must record again (their file's stat moved)."""
        return [entry for entry in self.carry if entry["doc_id"] in self.stat_changed]


@dataclass(frozen=True)
class Scope:
    """The files a run looks at: every file of the corpus folder (``doc_ids`` None), or only
    those noted as changed since the last run and those it deferred."""

    doc_ids: list[str] | None
    reason: str  # why, for the log

    def holds(self, doc_id: str) -> bool:
        return self.doc_ids is None or doc_id in self.doc_ids


def choose_scope(previous: SnapshotInfo | None, noted: list[str], *, changes_only: bool, glossary_version: str,
                 models: dict[str, str], last_edit: int) -> Scope:
    """Only the noted changes when the run was asked for them and nothing else can have
    changed the records (glossary, schema, checks, models, edits); else every file.
    ``previous``: the previous snapshot's info; ``models``: pair -> model installed now."""
    if not changes_only:
        return Scope(None, "every file of the corpus folder")
    if previous is None:
        return Scope(None, "every file: there is no previous corpus")
    if not previous.records_current(glossary_version):
        return Scope(None, "every file: the glossary, the record schema or the checks changed")
    if any(models.get(pair) != model for pair, model in previous.models.items()):
        return Scope(None, "every file: the installed models changed")
    if previous.applied_through != last_edit:
        return Scope(None, "every file: reviewers saved edits (a sentence's edit is reused wherever it occurs)")
    deferred = [item.file for item in previous.deferred]
    return Scope(sorted(set(noted) | set(deferred)), "the files noted as changed")


def unread_outside(previous: SnapshotInfo | None, scope: Scope) -> dict[UnreadKind, list[UnreadFile]]:
    """The previous run's pending, failed, deferred and duplicate files that this run does
    not look at: they stay listed as they were."""
    if previous is None or scope.doc_ids is None:
        return {kind: [] for kind in UnreadKind}
    return {kind: [item for item in previous.unread(kind) if not scope.holds(item.file)] for kind in UnreadKind}


@dataclass(frozen=True)
class Unread:
    """The files of a run that have no records, by kind, as the summary and failures.json list them."""

    failed: list[UnreadFile]  # cannot be used as they are
    deferred: list[UnreadFile]  # the next run reads them; their previous records stay
    duplicates: list[UnreadFile]  # the same content is in the corpus under another name

    @property
    def all(self) -> list[UnreadFile]:
        return self.failed + self.deferred + self.duplicates


def sort_unread(failures: list[UnreadFile]) -> Unread:
    by_kind = {kind: [f for f in failures if f.kind is kind] for kind in UnreadKind}
    return Unread(by_kind[UnreadKind.FAILED], by_kind[UnreadKind.DEFERRED], by_kind[UnreadKind.DUPLICATE])


@dataclass
class ScanResult:
    sources: list[SourceFile] = field(default_factory=list)
    skipped: list[UnreadFile] = field(default_factory=list)


def scan(paths: list[Path], corpus_root: Path, *, previous: dict | None = None, verify: bool = False,
         settle_seconds: float = 2.0) -> ScanResult:
    """Every report with its sha256; leave out links out of the corpus, files still being
    written, and second copies of the same content (the first name in sorted order is kept).

    A file of the previous run whose size, modification time and inode are unchanged keeps
    its hash without being read (``verify``: hash every file); a new file is hashed once,
    when it is read (its sha256 is None here)."""
    result = ScanResult()
    root = corpus_root.resolve()
    known = {entry["doc_id"]: entry for entry in (previous or {}).get("documents", [])}
    first_by_hash: dict[str, str] = {}
    for path in paths:
        doc_id = doc_id_for(path, corpus_root)
        if _plain_settled_file(path, settle_seconds):  # most files of a large corpus: one stat, no more checks
            pass
        elif path.is_symlink() and not path.resolve().is_relative_to(root):
            result.skipped.append(UnreadFile(doc_id, f"is a symbolic link to {path.resolve()}, outside the corpus folder; not followed",
                                             "copy the report into the corpus folder instead of linking to it"))
            continue
        elif special := special_file_kind(path):
            result.skipped.append(UnreadFile(doc_id, f"is not a regular file ({special}); not read",
                                             "remove it from the corpus folder; only regular files are reports"))
            continue
        elif not has_settled(path, settle_seconds, patience=settle_seconds):
            result.skipped.append(UnreadFile(doc_id, "is still being written", READ_LATER, UnreadKind.DEFERRED))
            continue
        entry = known.get(doc_id)
        try:
            stat = file_stat(path)
            if entry is None:
                sha256 = None
            elif not verify and entry.get("source_stat") == stat:
                sha256 = entry["source_sha256"]
            else:
                sha256 = file_sha256(path)
        except OSError as exc:
            result.skipped.append(UnreadFile(doc_id, f"cannot read file: {exc.strerror or exc}", "check its permissions"))
            continue
        if sha256 in first_by_hash:
            result.skipped.append(UnreadFile(doc_id, f"has the same content as {first_by_hash[sha256]}", DUPLICATE_ACTION,
                                             UnreadKind.DUPLICATE))
            continue
        if sha256 is not None:
            first_by_hash[sha256] = doc_id
        result.sources.append(SourceFile(doc_id, path, sha256, stat[0], stat))
    return result


def _plain_settled_file(path: Path, settle_seconds: float) -> bool:
    """A regular file, not a link, untouched for ``settle_seconds``."""
    try:
        status = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and time.time() - status.st_mtime >= settle_seconds


def drop_duplicates(prepared: list[PreparedDocument], scanned: ScanResult,
                    in_corpus: Callable[[str], str | None] = lambda sha256: None,
                    ) -> tuple[list[PreparedDocument], list[UnreadFile]]:
    """New files (hashed when read) whose content another file of the corpus already has:
    the file already in the corpus is kept, or among new ones the first name in sorted order.
    ``in_corpus``: the document outside the run's scope made from a file with this sha256."""
    first_by_hash = {s.sha256: s.doc_id for s in scanned.sources if s.sha256 is not None}
    kept, duplicates = [], []
    for doc in sorted(prepared, key=lambda d: d.doc_id):
        known = in_corpus(doc.source_sha256)
        if known is not None:
            first_by_hash.setdefault(doc.source_sha256, known)
        original = first_by_hash.setdefault(doc.source_sha256, doc.doc_id)
        if original == doc.doc_id:
            kept.append(doc)
        else:
            doc.discard_sentences()
            duplicates.append(UnreadFile(doc.doc_id, f"has the same content as {original}", DUPLICATE_ACTION, UnreadKind.DUPLICATE))
    return kept, duplicates


def plan_run(
    scanned: ScanResult,
    previous: dict | None,
    glossary_version: str,
    models: dict[str, str],
) -> RunPlan:
    """``models``: language -> package@version installed now, for the translated languages.
    A file being rewritten keeps its previous records until the run that can read it."""
    plan = RunPlan(
        same_glossary=previous is not None
        and previous.get("glossary_version") == glossary_version
        and previous.get("schema_version") == SCHEMA_VERSION  # records of another schema are made again
        and previous.get("checks_version") == CHECKS_VERSION  # ... and records checked by other checks
    )
    before = {entry["doc_id"]: entry for entry in (previous or {}).get("documents", [])}
    for skipped in scanned.skipped:
        if skipped.kind is UnreadKind.DEFERRED and skipped.file in before:
            plan.previous[skipped.file] = before.pop(skipped.file)
            plan.keep_previous(skipped.file)
    for source in scanned.sources:
        entry = before.pop(source.doc_id, None)
        if entry is None or source.sha256 is None:
            plan.new.append(source)
            continue
        if entry["source_sha256"] != source.sha256:
            plan.changed.append(source)
            plan.previous[source.doc_id] = entry
            continue
        if entry.get("source_stat") != source.stat:  # the same content (perhaps touched): trust the new stat
            entry = {**entry, "source_stat": source.stat}
            plan.stat_changed.add(source.doc_id)
        if entry["language"] in TRANSLATED and models.get(entry["language"]) not in (None, entry["model"]):
            plan.retranslate.append(source)
            plan.previous[source.doc_id] = entry
        elif plan.same_glossary:
            plan.carry.append(entry)
        else:
            plan.renormalize.append(entry)
    plan.removed = sorted(before.values(), key=lambda e: e["doc_id"])
    return plan


def unprocessed(paths: list[Path], corpus_root: Path, manifest: dict | None) -> list[str]:
    """The files (doc_ids) that the last committed run did not see as they are now: new,
    changed (size, modification time or inode), removed, or deferred by that run. A file it
    could not use (failed, duplicate, pending) counts only if it changed after the run began.
    Cheap (no file is read): `reportmt watch` asks it on start to catch up."""
    if manifest is None:
        return [doc_id_for(p, corpus_root) for p in paths]
    stats = {entry["doc_id"]: entry.get("source_stat") for entry in manifest["documents"]}
    deferred = {item["file"] for item in manifest["deferred"]}
    unusable = {item["file"] for key in ("failed", "duplicates") for item in manifest[key]}
    unusable |= {item["doc_id"] for item in manifest["pending"]}
    began = datetime.fromisoformat(manifest["run"]["started_at"]).timestamp()
    found = []
    for path in paths:
        doc_id = doc_id_for(path, corpus_root)
        try:
            stat = file_stat(path)
        except OSError:
            continue  # gone again, or unreadable: the run will say which
        if doc_id in deferred or (doc_id in stats and stats[doc_id] != stat) or (
            doc_id not in stats and (doc_id not in unusable or stat[1] / 1e9 >= began)
        ):
            found.append(doc_id)
    present = {doc_id_for(p, corpus_root) for p in paths}
    return sorted(found + [doc_id for doc_id in stats if doc_id not in present])
