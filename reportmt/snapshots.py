"""Writing a snapshot: a run's new files, then one catalog transaction that commits them.

Unchanged documents cost nothing: their files are shared with the previous snapshot and
their catalog rows stay as they are. A replaced snapshot stays readable for a retention
window (an hour by default, and the last two snapshots always), so a reader that started
on it (a page, an export) finishes on it; past the window its rows and the files no
retained snapshot names are removed after a commit, a bounded number at a time. A run
killed at any moment leaves the snapshot in force untouched; the files it wrote are
listed in its journal and removed by the next run.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import catalog
from .atomic import sync_file_system
from .errors import ReportmtError
from .layout import CATALOG, INCOMING, LEGACY_MANIFEST, LEGACY_SNAPSHOTS, OBJECTS
from .objects import ObjectWriter, parse_journal_line
from .records import CorpusRecord
from .snapshot_info import SnapshotInfo
from .store import (
    Snapshot,
    metadata_path,
    object_path,
    read_metadata,
    serialized_metadata,
    snapshot_name,
)

RETENTION_ENV = "REPORTMT_SNAPSHOT_RETENTION_SECONDS"
RETENTION_SECONDS = 3600  # how long a replaced snapshot stays readable, unless RETENTION_ENV says otherwise
SNAPSHOTS_KEPT = 2  # the snapshot in force and the one before it stay, whatever the retention
COLLECTED_PER_COMMIT = 1000  # catalog rows one commit forgets at least (twice what it wrote, if more)


@dataclass(frozen=True)
class Change:
    """What a commit changes: ``written`` entries added or replacing theirs, ``removed``
    doc_ids gone (None: every document of the previous snapshot goes, ``written`` being the
    whole corpus: a first run or a rebuild); ``changes_read_at``: the changes noted by then
    (store.note_changes) are taken in."""

    written: list[dict]
    removed: list[str] | None
    changes_read_at: float

    @property
    def size(self) -> int:
        return len(self.written) + len(self.removed or ())


class SnapshotWriter:
    """Writes one run's files; `commit` makes them the snapshot in force. Made under the
    run lock; it pickles, so that processes and workers write documents in parallel."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.objects = ObjectWriter(out_dir, uuid.uuid4().hex[:12])
        recover(out_dir)

    def write_document(self, metadata: dict, records: Iterable[CorpusRecord], source_stat: list[int] | None = None) -> dict:
        """Write one document's files; returns its catalog entry. ``source_stat``: what the
        source file's size, time and inode were when it was read (the next run trusts its
        hash while they stay the same)."""
        written = self.objects.write_records(records)
        metadata_text, metadata_sha256 = serialized_metadata(metadata)
        return {
            "doc_id": metadata["doc_id"],
            "language": metadata["language"],
            "source_sha256": metadata["source_sha256"],
            "source_stat": source_stat,
            "records": written.count,
            "records_sha256": written.sha256,
            "metadata_sha256": metadata_sha256,
            "model": written.model,
            "stats": written.stats,
            "metadata": metadata_text,  # into the catalog row (catalog.commit)
        }

    def write_renormalized(self, entry: dict, records: Iterable[CorpusRecord]) -> dict:
        """New records for an unchanged document; its metadata stays (``records`` may be read
        from the previous snapshot while they are written). Metadata that a corpus of schema
        3 or 4 kept in a file moves into the catalog."""
        written = self.objects.write_records(records)
        moved = {}
        if "metadata_file" in entry or metadata_path(self.out_dir, entry).is_file():
            metadata_text, metadata_sha256 = serialized_metadata(read_metadata(self.out_dir, entry))
            moved = {"metadata_sha256": metadata_sha256, "metadata": metadata_text}
        return {**{key: entry[key] for key in ("doc_id", "language", "source_sha256")}, "source_stat": entry.get("source_stat"),
                "records": written.count, "records_sha256": written.sha256, "metadata_sha256": entry.get("metadata_sha256"),
                "model": written.model, "stats": written.stats, **moved}

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The files of the documents written in the block are in place when it ends: a batch
        written in another process or on a worker ends so, as the commit will name them. A
        block that fails leaves no file still being written, for the run's discard to miss."""
        try:
            yield
        except BaseException:
            self.objects.close()
            raise
        self.objects.finish()

    def discard(self) -> None:
        """The run failed before its commit: the files it wrote go (the snapshot in force stays)."""
        self.objects.close()
        recover(self.out_dir)

    def commit(self, change: Change, info: SnapshotInfo) -> Snapshot:
        """Make the change the corpus in one catalog transaction; then remove what no reader
        can need. Costs what changed."""
        retention = retention_seconds()  # a bad setting stops the run before its commit, not after
        # Every new file on disk (written without fsync, one by one) before the catalog names
        # them: one sync of the output's file system, not of the whole machine.
        self.objects.finish()
        self.objects.close()
        sync_file_system(self.out_dir)
        catalog.create(self.out_dir / CATALOG)
        with closing(catalog.connect(self.out_dir / CATALOG)) as db:
            snapshot_id = catalog.commit(db, info.to_json(), change.written, change.removed, change.changes_read_at)
            _clear_journals(self.out_dir)
            _remove_legacy_layout(self.out_dir)
            _collect(self.out_dir, db, retention, max(COLLECTED_PER_COMMIT, 2 * change.size))
        return Snapshot(self.out_dir, snapshot_name(snapshot_id), info)


def retention_seconds() -> float:
    """How long a replaced snapshot stays readable: RETENTION_ENV, else an hour."""
    value = os.environ.get(RETENTION_ENV, "")
    try:
        seconds = float(value) if value else RETENTION_SECONDS
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise ReportmtError(f"{RETENTION_ENV}={value!r} is not a number of seconds",
                            f"set it to how long a replaced snapshot must stay readable, e.g. {RETENTION_SECONDS}")
    return seconds


def recover(out_dir: Path) -> None:
    """Remove the files that runs which never committed wrote (listed in their journals) and
    that no snapshot names. Called under the run lock, so no run is writing."""
    for partial in (out_dir / OBJECTS).glob("*/.*.part"):  # a write cut short
        partial.unlink(missing_ok=True)
    journals = sorted((out_dir / INCOMING).glob("*.list"))
    if not journals:
        return
    db = catalog.connect(out_dir / CATALOG) if (out_dir / CATALOG).is_file() else None
    try:
        for journal in journals:
            for line in journal.read_text(encoding="ascii", errors="replace").splitlines():
                listed = parse_journal_line(line)
                if listed and not (db and catalog.named(db, *listed)):
                    object_path(out_dir, *listed).unlink(missing_ok=True)
            journal.unlink()
    finally:
        if db:
            db.close()


def _clear_journals(out_dir: Path) -> None:
    for journal in (out_dir / INCOMING).glob("*.list"):
        journal.unlink()


def _remove_legacy_layout(out_dir: Path) -> None:
    """After the first commit into the catalog, the manifest and snapshot folders of a
    corpus written before it go (their files were copied into objects by this run)."""
    (out_dir / LEGACY_MANIFEST).unlink(missing_ok=True)
    shutil.rmtree(out_dir / LEGACY_SNAPSHOTS, ignore_errors=True)


def _collect(out_dir: Path, db: sqlite3.Connection, retention: float, limit: int) -> None:
    """Forget the snapshots past the retention window (all but the last SNAPSHOTS_KEPT) and
    up to ``limit`` rows only they saw; remove the files no remaining row names."""
    keep_from = catalog.retained_from(db, SNAPSHOTS_KEPT, time.time() - retention)
    for kind, sha256 in catalog.expire(db, keep_from, limit):
        object_path(out_dir, kind, sha256).unlink(missing_ok=True)
