"""The normalized corpus on disk: reading a snapshot, writing record and metadata files.

Record and metadata files never change once written and are named by their sha256
(layout in reportmt.layout); a snapshot shares every file it has in common with the one
before, so a run writes only what changed and commits in one catalog transaction
(reportmt.snapshots). Readers go through ``read_snapshot`` (or reportmt.reader.Corpus).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import reportmt

from . import catalog
from .atomic import atomic_write_text, current_umask, set_aside
from .errors import ReportmtError
from .languages import language_pair
from .layout import (
    CATALOG, DOCUMENTS, FAILURES, INCOMING, LEGACY_MANIFEST, OBJECTS, RECORDS, SUFFIXES,
)
from .qa.checks import CHECKS_VERSION
from .qa.flags import family
from .records import SCHEMA_VERSION, CorpusRecord

class CorpusError(ReportmtError):
    """A normalized corpus that cannot be read; the message names the file."""


REBUILD_ACTION = ("run `reportmt run --rebuild`: it makes the corpus again from the reports, the translation cache "
                  "and the saved edits, calling the engine only for sentences the cache lacks")


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


@dataclass
class Snapshot:
    """One committed state of the corpus. ``info``: what the run that committed it knew
    (schema, pipeline, glossary and checks versions, models, pending, failed, deferred,
    duplicates, edits, run); ``documents``: its document entries (catalog.ENTRY_KEYS), read
    when first asked for."""

    out_dir: Path
    name: str
    info: dict
    _documents: list[dict] | None = field(default=None, repr=False)

    @cached_property
    def documents(self) -> list[dict]:
        if self._documents is not None:
            return self._documents
        try:
            with closing(_open_catalog(self.out_dir)) as db:
                return catalog.documents(db, int(self.name))
        except sqlite3.Error as exc:
            raise CorpusError(f"{self.out_dir / CATALOG}: unreadable catalog ({exc})") from exc

    @cached_property
    def _by_id(self) -> dict[str, dict]:
        return {entry["doc_id"]: entry for entry in self.documents}

    def document(self, doc_id: str) -> dict | None:
        """One entry: from the catalog, unless every entry is read already."""
        if self._documents is not None or "documents" in self.__dict__:
            return self._by_id.get(doc_id)
        try:
            with closing(_open_catalog(self.out_dir)) as db:
                return catalog.document(db, int(self.name), doc_id)
        except sqlite3.Error as exc:
            raise CorpusError(f"{self.out_dir / CATALOG}: unreadable catalog ({exc})") from exc

    def as_manifest(self, doc_ids: Iterable[str] | None = None) -> dict:
        """Everything a run needs from the previous one, in one dict: with ``doc_ids``, only
        those documents (a run that reads only some files)."""
        documents = self.documents if doc_ids is None else [e for e in map(self.document, sorted(doc_ids)) if e]
        return {**self.info, "documents": documents, "snapshot": self.name}

    def with_source(self, source_sha256: str) -> str | None:
        """The document made from a file with this content, if any."""
        with closing(_open_catalog(self.out_dir)) as db:
            return catalog.with_source(db, int(self.name), source_sha256)

    def count(self) -> int:
        with closing(_open_catalog(self.out_dir)) as db:
            return catalog.count(db, int(self.name))


def read_snapshot(out_dir: Path) -> Snapshot:
    """The snapshot in force. A corpus written before the catalog is read from its manifest."""
    found = _in_force(out_dir)
    if found is None:
        if (out_dir / LEGACY_MANIFEST).is_file():
            return _read_legacy(out_dir)
        raise CorpusError(f"{out_dir / CATALOG}: no catalog with a committed snapshot; run `reportmt run` first")
    return Snapshot(out_dir, snapshot_name(found[0]), found[1])


def _in_force(out_dir: Path) -> tuple[int, dict] | None:
    path = out_dir / CATALOG
    if not path.is_file():
        return None
    try:
        with closing(_open_catalog(out_dir)) as db:
            return catalog.in_force(db)
    except (sqlite3.Error, json.JSONDecodeError) as exc:
        raise CorpusError(f"{path}: unreadable catalog ({exc})") from exc


def changes_between(out_dir: Path, since: str, snapshot: str) -> tuple[list[dict], list[str]] | None:
    """The entries added or changed from snapshot ``since`` to ``snapshot`` and the doc_ids
    removed, costing what changed; None when the catalog no longer holds ``since``."""
    if not (out_dir / CATALOG).is_file() or not (since.isdigit() and snapshot.isdigit()):
        return None
    try:
        with closing(_open_catalog(out_dir)) as db:
            oldest = catalog.oldest(db)
            if oldest is None or int(since) < oldest:
                return None
            return catalog.changes(db, int(since), int(snapshot))
    except sqlite3.Error as exc:
        raise CorpusError(f"{out_dir / CATALOG}: unreadable catalog ({exc})") from exc


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
    with closing(_open_catalog(out_dir)) as db:
        return catalog.noted_changes(db)


def snapshot_name(snapshot_id: int) -> str:
    return f"{snapshot_id:06d}"


def has_corpus(out_dir: Path) -> bool:
    return (out_dir / CATALOG).is_file() or (out_dir / LEGACY_MANIFEST).is_file()


def _open_catalog(out_dir: Path) -> sqlite3.Connection:
    db = catalog.connect(out_dir / CATALOG)
    db.execute("PRAGMA query_only = ON")
    return db


def _read_legacy(out_dir: Path) -> Snapshot:
    path = out_dir / LEGACY_MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        documents = manifest.pop("documents")
        name = manifest.pop("snapshot")
    except (OSError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise CorpusError(f"{path}: unreadable manifest ({exc!r})") from exc
    return Snapshot(out_dir, name, manifest, documents)


def object_path(out_dir: Path, kind: str, sha256: str) -> Path:
    return out_dir / OBJECTS / kind / sha256[:2] / f"{sha256}{SUFFIXES[kind]}"


def records_path(out_dir: Path, entry: dict) -> Path:
    if "records_file" in entry:  # a corpus written before the catalog
        return out_dir / entry["records_file"]
    return object_path(out_dir, RECORDS, entry["records_sha256"])


def metadata_path(out_dir: Path, entry: dict) -> Path:
    if "metadata_file" in entry:
        return out_dir / entry["metadata_file"]
    return object_path(out_dir, DOCUMENTS, entry["metadata_sha256"])


def read_document_records(out_dir: Path, entry: dict) -> Iterator[dict]:
    path = records_path(out_dir, entry)
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CorpusError(f"{path}:{number}: not a JSON record ({exc.msg})") from exc
    except FileNotFoundError as exc:
        raise CorpusError(f"{path}: listed in the catalog but missing") from exc


def read_metadata(out_dir: Path, entry: dict) -> dict:
    path = metadata_path(out_dir, entry)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(f"{path}: listed in the catalog but missing") from exc


class DocumentStatistics:
    """What `corpus stats` sums, counted per document as its records are written, so the
    corpus's figures come from the catalog without reading a record."""

    def __init__(self) -> None:
        self.languages: dict[str, Counter] = {}
        self.terms: Counter = Counter()
        self.qa_flags: Counter = Counter()

    def add(self, record: dict) -> None:
        counts = self.languages.setdefault(record["src_lang"], Counter())
        counts["sentences"] += 1
        counts["source_words"] += len(record["src_text"].split())
        counts["english_words"] += len(record["en_text"].split())
        counts["reviewed"] += record.get("review") is not None
        self.terms.update(record["terms"])
        self.qa_flags.update({family(flag) for flag in record["qa"]})  # records per family

    def as_dict(self) -> dict:
        return {"languages": {lang: dict(c) for lang, c in sorted(self.languages.items())},
                "terms": dict(sorted(self.terms.items())), "qa_flags": dict(sorted(self.qa_flags.items()))}


def document_statistics(records: Iterable[dict]) -> dict:
    statistics = DocumentStatistics()
    for record in records:
        statistics.add(record)
    return statistics.as_dict()


@dataclass
class WrittenRecords:
    count: int
    sha256: str
    model: str | None  # the first model named by a record
    stats: dict


class ObjectWriter:
    """Writes record and metadata files under their sha256, each listed first in this
    process's journal in objects/incoming, so that the files of a run that never commits
    can be found and removed (snapshots.recover) without looking at the others."""

    def __init__(self, out_dir: Path, run_token: str):
        self.out_dir = out_dir
        self.run_token = run_token

    def write_records(self, records: Iterable[CorpusRecord]) -> WrittenRecords:
        """Records streamed into a JSONL file, one at a time."""
        statistics = DocumentStatistics()
        model = None

        def lines() -> Iterator[bytes]:
            nonlocal model
            for record in records:
                data = record.as_dict()
                statistics.add(data)
                model = model or record.model
                yield (dumps(data) + "\n").encode("utf-8")

        sha256, count = self._write(RECORDS, lines())
        return WrittenRecords(count, sha256, model, statistics.as_dict())

    def write_metadata(self, metadata: dict) -> str:
        text = json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        return self._write(DOCUMENTS, [text.encode("utf-8")])[0]

    def import_file(self, kind: str, path: Path) -> str:
        """A file of a corpus written before the catalog, as an object."""
        with path.open("rb") as handle:
            return self._write(kind, iter(lambda: handle.read(1 << 20), b""))[0]

    def _write(self, kind: str, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Not synced one by one: the commit syncs the file system once before it names them."""
        folder = self.out_dir / OBJECTS / kind
        folder.mkdir(parents=True, exist_ok=True)
        digest, count = hashlib.sha256(), 0
        fd, partial = tempfile.mkstemp(prefix=".", suffix=".part", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                    digest.update(chunk)
                    count += 1
                os.fchmod(handle.fileno(), 0o444 & ~current_umask())  # never changed once written
            sha256 = digest.hexdigest()
            target = object_path(self.out_dir, kind, sha256)
            if target.exists():  # the same content is there already (another document, another snapshot)
                os.unlink(partial)
            else:
                self._journal(kind, sha256)
                target.parent.mkdir(exist_ok=True)
                os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return sha256, count

    def _journal(self, kind: str, sha256: str) -> None:
        path = self.out_dir / INCOMING / f"{self.run_token}-{os.uname().nodename}-{os.getpid()}.list"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="ascii") as journal:
            journal.write(f"{kind} {sha256}\n")


def parse_journal_line(line: str) -> tuple[str, str] | None:
    kind, _, sha256 = line.strip().partition(" ")
    return (kind, sha256) if kind in SUFFIXES and len(sha256) == 64 else None


def build_info(
    *,
    entries: list[dict],
    glossary_version: str,
    pending: list[dict],
    failed: list[dict],
    deferred: list[dict],
    duplicates: list[dict],
    run: dict,
    last_edit: int = 0,
    models: dict[str, str] | None = None,
) -> dict:
    """What a snapshot records besides its documents. ``run`` is the only place for times
    and run ids, so record files stay byte-identical across runs. ``entries``: the documents
    the run looked at; ``models``: those of the documents it did not look at."""
    return {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": reportmt.__version__,
        "glossary_version": glossary_version,
        "checks_version": CHECKS_VERSION,
        "models": {**(models or {}), **{language_pair(e["language"]): e["model"]
                                        for e in sorted(entries, key=lambda e: e["doc_id"]) if e["model"]}},
        "pending": pending,
        "failed": failed,
        "deferred": deferred,
        "duplicates": duplicates,
        "edits": {"applied_through": last_edit},  # edits up to this id are in the records
        "run": run,
    }


def write_failures_report(out_dir: Path, info: dict) -> None:
    """Every file of the last run that has no records, with the reason and what to do."""
    report = [
        {"file": item["doc_id"], "kind": "pending", "reason": item.get("reason") or f"no {item['pair']} model is installed",
         "action": item["install_command"]}
        for item in info["pending"]
    ]
    report += info["failed"] + info["deferred"] + info["duplicates"]
    atomic_write_text(out_dir / FAILURES, json.dumps(sorted(report, key=lambda r: r["file"]), ensure_ascii=False, indent=2) + "\n")


def check_output(out_dir: Path) -> None:
    """The corpus a run would build on reads: its catalog opens and names a snapshot. Raises
    CorpusError saying how to rebuild it. Only the first document's files are looked at:
    checking every file would cost what the corpus holds (`reportmt corpus validate` does)."""
    try:
        previous = previous_snapshot(out_dir)
        first = previous.documents[:1] if previous else []
    except CorpusError as exc:
        raise CorpusError(str(exc), REBUILD_ACTION) from exc
    missing = [path for entry in first for path in (records_path(out_dir, entry), metadata_path(out_dir, entry))
               if not path.is_file()]
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
