"""The normalized corpus on disk: reading a snapshot and the files it names.

Record and metadata files never change once written and are named by their sha256
(layout in reportmt.layout); a snapshot shares every file it has in common with the one
before, so a run writes only what changed and commits in one catalog transaction
(reportmt.snapshots). Readers go through ``read_snapshot`` (or reportmt.reader.Corpus).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from . import catalog
from .atomic import atomic_write_text, set_aside
from .errors import MalformedData, ReportmtError
from .layout import CATALOG, DOCUMENTS, FAILURES, LEGACY_MANIFEST, OBJECTS, RECORDS, SUFFIXES
from .records import CorpusRecord
from .snapshot_info import SnapshotInfo
from .unread import UnreadKind


class CorpusError(ReportmtError):
    """A normalized corpus that cannot be read; the message names the file."""


REBUILD_ACTION = ("run `reportmt run --rebuild`: it makes the corpus again from the reports, the translation cache "
                  "and the saved edits, calling the engine only for sentences the cache lacks")


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


@dataclass
class Snapshot:
    """One committed state of the corpus. ``info``: what the run that committed it knew
    (see reportmt.snapshot_info); ``documents``: its document entries (catalog.ENTRY_KEYS), read
    when first asked for."""

    out_dir: Path
    name: str
    info: SnapshotInfo
    _documents: list[dict] | None = field(default=None, repr=False)

    @cached_property
    def documents(self) -> list[dict]:
        if self._documents is not None:
            return self._documents
        with _reading_catalog(self.out_dir) as db:
            return catalog.documents(db, int(self.name))

    @cached_property
    def _by_id(self) -> dict[str, dict]:
        return {entry["doc_id"]: entry for entry in self.documents}

    def document(self, doc_id: str) -> dict | None:
        """One entry: from the catalog, unless every entry is read already."""
        return next(iter(self.entries([doc_id])), None)

    def entries(self, doc_ids: Iterable[str]) -> list[dict]:
        """The entries of these documents (those the snapshot has), by doc_id, read at once."""
        if self._documents is not None or "documents" in self.__dict__:
            return [self._by_id[doc_id] for doc_id in sorted(doc_ids) if doc_id in self._by_id]
        with _reading_catalog(self.out_dir) as db:
            return [entry for entry in (catalog.document(db, int(self.name), doc_id) for doc_id in sorted(doc_ids)) if entry]

    def as_manifest(self, doc_ids: Iterable[str] | None = None) -> dict:
        """Everything a run needs from the previous one, in one dict: with ``doc_ids``, only
        those documents (a run that reads only some files)."""
        documents = self.documents if doc_ids is None else self.entries(doc_ids)
        return {**self.info.to_json(), "documents": documents, "snapshot": self.name}

    def with_source(self, source_sha256: str) -> str | None:
        """The document made from a file with this content, if any."""
        with _reading_catalog(self.out_dir) as db:
            return catalog.with_source(db, int(self.name), source_sha256)


def read_snapshot(out_dir: Path) -> Snapshot:
    """The snapshot in force. A corpus written before the catalog is read from its manifest."""
    found = _in_force(out_dir)
    if found is None:
        if (out_dir / LEGACY_MANIFEST).is_file():
            return _read_legacy(out_dir)
        raise CorpusError(f"{out_dir / CATALOG}: no catalog with a committed snapshot; run `reportmt run` first")
    try:
        return Snapshot(out_dir, snapshot_name(found[0]), SnapshotInfo.from_json(found[1]))
    except MalformedData as exc:
        raise CorpusError(f"{out_dir / CATALOG}: the info of snapshot {found[0]}: {exc}", REBUILD_ACTION) from exc


def _in_force(out_dir: Path) -> tuple[int, dict] | None:
    if not (out_dir / CATALOG).is_file():
        return None
    with _reading_catalog(out_dir) as db:
        return catalog.in_force(db)


@contextmanager
def _reading_catalog(out_dir: Path) -> Iterator[sqlite3.Connection]:
    """The catalog, read-only; a catalog that cannot be read is a CorpusError naming it."""
    try:
        with closing(catalog.connect(out_dir / CATALOG)) as db:
            db.execute("PRAGMA query_only = ON")
            yield db
    except (sqlite3.Error, json.JSONDecodeError) as exc:
        raise CorpusError(f"{out_dir / CATALOG}: unreadable catalog ({exc})") from exc


def changes_between(out_dir: Path, since: str, snapshot: str) -> tuple[list[dict], list[str]] | None:
    """The entries added or changed from snapshot ``since`` to ``snapshot`` and the doc_ids
    removed, costing what changed; None when the catalog no longer holds ``since``."""
    if not (out_dir / CATALOG).is_file() or not (since.isdigit() and snapshot.isdigit()):
        return None
    with _reading_catalog(out_dir) as db:
        oldest = catalog.oldest(db)
        if oldest is None or int(since) < oldest:
            return None
        return catalog.changes(db, int(since), int(snapshot))


def previous_snapshot(out_dir: Path) -> Snapshot | None:
    """What a run builds on: the snapshot in force, None before the first commit."""
    if not has_corpus(out_dir):
        return None
    try:
        if _in_force(out_dir) is None and not (out_dir / LEGACY_MANIFEST).is_file():
            return None  # a catalog with changes noted before the first run committed
    except CorpusError:
        pass  # read_snapshot says what is wrong
    return read_snapshot(out_dir)


def note_changes(out_dir: Path, doc_ids: Iterable[str]) -> None:
    """Files seen changing, kept in the catalog for the next run that reads only changes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    catalog.create(out_dir / CATALOG)
    with closing(catalog.connect(out_dir / CATALOG)) as db:
        catalog.note_changes(db, doc_ids, time.time())


def noted_changes(out_dir: Path) -> list[str]:
    if not (out_dir / CATALOG).is_file():
        return []
    with _reading_catalog(out_dir) as db:
        return catalog.noted_changes(db)


def snapshot_name(snapshot_id: int) -> str:
    return f"{snapshot_id:06d}"


def has_corpus(out_dir: Path) -> bool:
    return (out_dir / CATALOG).is_file() or (out_dir / LEGACY_MANIFEST).is_file()


def _read_legacy(out_dir: Path) -> Snapshot:
    path = out_dir / LEGACY_MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        documents = manifest.pop("documents")
        name = manifest.pop("snapshot")
        info = SnapshotInfo.from_json(manifest)
    except (OSError, json.JSONDecodeError, KeyError, TypeError, AttributeError, MalformedData) as exc:
        raise CorpusError(f"{path}: unreadable manifest ({exc!r})") from exc
    return Snapshot(out_dir, name, info, documents)


def object_path(out_dir: Path, kind: str, sha256: str) -> Path:
    return out_dir / OBJECTS / kind / sha256[:2] / f"{sha256}{SUFFIXES[kind]}"


def records_path(out_dir: Path, entry: dict) -> Path:
    if "records_file" in entry:  # a corpus written before the catalog
        return out_dir / entry["records_file"]
    return object_path(out_dir, RECORDS, entry["records_sha256"])


def metadata_path(out_dir: Path, entry: dict) -> Path:
    """Where a document's metadata is in a file: in a corpus of schema 3 or 4 (from schema 5
    on it is in the catalog's metadata table, see catalog.FILE_COLUMNS)."""
    if "metadata_file" in entry:
        return out_dir / entry["metadata_file"]
    return object_path(out_dir, DOCUMENTS, entry["metadata_sha256"])


def serialized_metadata(metadata: dict) -> tuple[str, str]:
    """A document's metadata as the catalog holds it, and its sha256."""
    text = dumps(metadata)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_records(out_dir: Path, entry: dict) -> Iterator[CorpusRecord]:
    """A document's records, in order; a line that is not a sound record is a CorpusError
    naming its file and line."""
    path = records_path(out_dir, entry)
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    yield CorpusRecord.from_json(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise CorpusError(f"{path}:{number}: not a JSON record ({exc.msg})") from exc
                except MalformedData as exc:
                    raise CorpusError(f"{path}:{number}: {exc}", REBUILD_ACTION) from exc
    except FileNotFoundError as exc:
        raise CorpusError(f"{path}: listed in the catalog but missing") from exc


def read_document_records(out_dir: Path, entry: dict) -> Iterator[dict[str, Any]]:
    """A document's records as JSON objects, checked as ``read_records`` checks them (what
    reader.Corpus gives its users)."""
    return (record.to_json() for record in read_records(out_dir, entry))


def read_metadata(out_dir: Path, entry: dict) -> dict:
    return json.loads(read_metadata_text(out_dir, entry)[0])


def read_metadata_text(out_dir: Path, entry: dict) -> tuple[str, str]:
    """A document's metadata as stored (JSON), and where it was read, for messages."""
    if "metadata_file" not in entry:
        with _reading_catalog(out_dir) as db:
            text = catalog.metadata(db, entry["metadata_sha256"])
        if text is not None:
            return text, f"{out_dir / CATALOG}: metadata of {entry['doc_id']}"
    path = metadata_path(out_dir, entry)
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except FileNotFoundError as exc:
        raise CorpusError(f"{path}: listed in the catalog but missing") from exc


def write_failures_report(out_dir: Path, info: SnapshotInfo) -> None:
    """Every file of the last run that has no records, with the reason and what to do."""
    report = [item.report() for kind in UnreadKind for item in info.unread(kind)]
    atomic_write_text(out_dir / FAILURES, json.dumps(sorted(report, key=lambda r: r["file"]), ensure_ascii=False, indent=2) + "\n")


def check_output(out_dir: Path) -> None:
    """The corpus a run would build on reads: its catalog opens and names a snapshot. Raises
    CorpusError saying how to rebuild it. Only the first document's records file is looked
    at: checking every file would cost what the corpus holds (`reportmt corpus validate` does)."""
    try:
        previous = previous_snapshot(out_dir)
        first = previous.documents[:1] if previous else []
    except CorpusError as exc:
        raise CorpusError(str(exc), REBUILD_ACTION) from exc
    missing = [path for entry in first for path in [records_path(out_dir, entry)] if not path.is_file()]
    if missing:
        raise CorpusError(f"{missing[0]} is missing: the corpus's files were removed or moved", REBUILD_ACTION)


def set_aside_damaged_catalog(out_dir: Path) -> Path | None:
    """Before a rebuild: a catalog that does not read is moved aside (kept, not overwritten)."""
    try:
        previous_snapshot(out_dir)
        return None
    except CorpusError:
        path = out_dir / (CATALOG if (out_dir / CATALOG).exists() else LEGACY_MANIFEST)
        return set_aside(path, ("-wal", "-shm")) if path.exists() else None
