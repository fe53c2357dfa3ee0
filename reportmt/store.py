"""The normalized corpus on disk: snapshots of record and metadata files, and the manifest.

Layout (schema version in records.SCHEMA_VERSION)::

    normalized/
      manifest.json                             the commit point: names the current snapshot
      snapshots/<n>/records/<doc_id>.jsonl      one JSON record per source sentence
      snapshots/<n>/documents/<doc_id>.json     metadata: furniture, language, encoding, hashes
      cache/translations.sqlite3                raw engine output, reused across runs

A run writes a new snapshot folder next to the current one, every file through a
temporary file and a rename, then replaces manifest.json in one rename: that is the
commit. A replaced snapshot stays readable for a retention window (an hour by default,
and the last two snapshots always), so a reader that started on it (a page, an export)
finishes on it; older ones are removed after a commit, a bounded number at a time. A run
killed at any moment leaves the previous manifest, and the snapshot it names, untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import reportmt

from .atomic import atomic_file, atomic_write_text, set_aside, sync_file_system
from .errors import ReportmtError
from .languages import language_pair
from .qa.checks import CHECKS_VERSION
from .records import SCHEMA_VERSION, CorpusRecord

MANIFEST = "manifest.json"
FAILURES = "failures.json"
SNAPSHOTS = "snapshots"
REPLACED = "REPLACED"  # in a snapshot folder: when the snapshot stopped being the one in force
RETENTION_ENV = "REPORTMT_SNAPSHOT_RETENTION_SECONDS"
RETENTION_SECONDS = 3600  # how long a replaced snapshot stays readable, unless RETENTION_ENV says otherwise
SNAPSHOTS_KEPT = 2  # the snapshot in force and the one before it stay, whatever the retention
COLLECTED_PER_COMMIT = 20  # snapshot folders one commit removes at most: the cost of a commit stays bounded


class CorpusError(ReportmtError):
    """A normalized corpus that cannot be read; the message names the file."""


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


@dataclass
class WrittenRecords:
    count: int
    sha256: str
    model: str | None  # the first model named by a record


def write_records(path: Path, records: Iterable[CorpusRecord]) -> WrittenRecords:
    """Records streamed into a JSONL file, one at a time."""
    digest = hashlib.sha256()
    count = 0
    model = None
    with atomic_file(path, durable=False) as handle:  # made durable with the snapshot: SnapshotWriter.commit
        for record in records:
            line = (dumps(record.as_dict()) + "\n").encode("utf-8")
            handle.write(line)
            digest.update(line)
            count += 1
            model = model or record.model
    return WrittenRecords(count, digest.hexdigest(), model)


class SnapshotWriter:
    """Writes one run's files into a fresh snapshot folder; `commit` makes it current."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        existing = [int(p.name) for p in (out_dir / SNAPSHOTS).glob("*") if p.name.isdigit()]
        self.name = f"{SNAPSHOTS}/{max(existing, default=0) + 1:06d}"
        (out_dir / self.name).mkdir(parents=True)

    def write_document(self, metadata: dict, records: Iterable[CorpusRecord], source_stat: list[int] | None = None) -> dict:
        """Write one document's files; returns its manifest entry. ``source_stat``: what the
        source file's size, time and inode were when it was read (the next run trusts its
        hash while they stay the same)."""
        doc_id = metadata["doc_id"]
        records_file = f"{self.name}/records/{doc_id}.jsonl"
        metadata_file = f"{self.name}/documents/{doc_id}.json"
        written = write_records(self.out_dir / records_file, records)
        with atomic_file(self.out_dir / metadata_file, durable=False) as handle:
            handle.write((json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))
        return {
            "doc_id": doc_id,
            "language": metadata["language"],
            "source_sha256": metadata["source_sha256"],
            "records": written.count,
            "records_file": records_file,
            "records_sha256": written.sha256,
            "metadata_file": metadata_file,
            "model": written.model,
            "source_stat": source_stat,
        }

    def carry_over(self, entry: dict) -> dict:
        """Bring an unchanged document's files from the previous snapshot into this one."""
        moved = dict(entry)
        for key in ("records_file", "metadata_file"):
            source = self.out_dir / entry[key]
            target_name = f"{self.name}/{entry[key].split('/', 2)[2]}"
            target = self.out_dir / target_name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)  # snapshots never modify a file, so sharing it is safe
            except OSError:
                shutil.copy2(source, target)
            moved[key] = target_name
        return moved

    def write_renormalized(self, entry: dict, records: Iterable[CorpusRecord]) -> dict:
        """New records for an unchanged document; its metadata file is carried over.
        ``records`` may be read from the previous snapshot while this one is written."""
        moved = self.carry_over(entry)
        written = write_records(self.out_dir / moved["records_file"], records)
        moved["records_sha256"] = written.sha256
        moved["records"] = written.count
        return moved

    def discard(self) -> None:
        """Remove this snapshot: the run failed before its commit (the snapshot in force stays).
        A snapshot the manifest already names is in force and stays."""
        if _snapshot_in_force(self.out_dir) != self.name:
            shutil.rmtree(self.out_dir / self.name, ignore_errors=True)

    def commit(self, manifest: dict) -> dict:
        """Replace the manifest (the commit point), mark the snapshot it replaces, then
        remove the snapshots past the retention window; returns the manifest as written."""
        manifest = {**manifest, "snapshot": self.name}
        retention = retention_seconds()  # a bad setting stops the run before its commit, not after
        replaced = _snapshot_in_force(self.out_dir)
        # Every file of the snapshot on disk (written without fsync, one by one) before the
        # manifest names it: one sync of the output's file system, not of the whole machine.
        sync_file_system(self.out_dir / self.name)
        atomic_write_text(self.out_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        if replaced and replaced != self.name and (self.out_dir / replaced).is_dir():
            atomic_write_text(self.out_dir / replaced / REPLACED, f"{time.time():.3f}\n")
        self._collect(retention)
        return manifest

    def _collect(self, retention: float) -> None:
        """Remove snapshot folders no reader can need: never in force (a run that died before
        its commit), or replaced longer ago than the retention window and not among the last
        SNAPSHOTS_KEPT; at most COLLECTED_PER_COMMIT, oldest first."""
        others = sorted((f for f in (self.out_dir / SNAPSHOTS).iterdir() if f"{SNAPSHOTS}/{f.name}" != self.name),
                        key=lambda f: f.name)
        replaced = [f for f in others if (f / REPLACED).exists()]
        kept = set(replaced[-(SNAPSHOTS_KEPT - 1):]) if SNAPSHOTS_KEPT > 1 else set()
        oldest_kept = time.time() - retention
        gone = [f for f in others if f not in kept and (f not in replaced or _replaced_at(f) < oldest_kept)]
        for folder in gone[:COLLECTED_PER_COMMIT]:
            shutil.rmtree(folder, ignore_errors=True)


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


def _snapshot_in_force(out_dir: Path) -> str | None:
    """The snapshot the manifest names; None without a readable manifest."""
    try:
        return read_manifest(out_dir).get("snapshot")
    except CorpusError:
        return None


def _replaced_at(folder: Path) -> float:
    try:
        return float((folder / REPLACED).read_text())
    except (OSError, ValueError):
        return 0.0  # a mark that cannot be read: as old as can be


def build_manifest(
    *,
    entries: list[dict],
    glossary_version: str,
    pending: list[dict],
    failed: list[dict],
    deferred: list[dict],
    duplicates: list[dict],
    run: dict,
    last_edit: int = 0,
) -> dict:
    """The manifest of a run (without ``snapshot``, which the commit adds). ``run`` is the
    only place for times and run ids, so record files stay byte-identical across runs."""
    documents = sorted(entries, key=lambda e: e["doc_id"])
    return {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": reportmt.__version__,
        "glossary_version": glossary_version,
        "checks_version": CHECKS_VERSION,
        "documents": documents,
        "models": {language_pair(e["language"]): e["model"] for e in documents if e["model"]},
        "pending": pending,
        "failed": failed,
        "deferred": deferred,
        "duplicates": duplicates,
        "edits": {"applied_through": last_edit},  # edits up to this id are in the records
        "run": run,
    }


def write_failures_report(out_dir: Path, manifest: dict) -> None:
    """Every file of the last run that has no records, with the reason and what to do."""
    report = [
        {"file": item["doc_id"], "kind": "pending", "reason": item.get("reason") or f"no {item['pair']} model is installed",
         "action": item["install_command"]}
        for item in manifest["pending"]
    ]
    report += manifest["failed"] + manifest["deferred"] + manifest["duplicates"]
    atomic_write_text(out_dir / FAILURES, json.dumps(sorted(report, key=lambda r: r["file"]), ensure_ascii=False, indent=2) + "\n")


def read_manifest(out_dir: Path) -> dict:
    path = out_dir / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(f"{path}: no manifest; run `reportmt run` first") from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise CorpusError(f"{path}: unreadable manifest ({exc})") from exc


REBUILD_ACTION = ("run `reportmt run --rebuild`: it makes the corpus again from the reports, the translation cache "
                  "and the saved edits, calling the engine only for sentences the cache lacks")


def check_output(out_dir: Path) -> None:
    """The corpus a run would build on is whole: its manifest reads, and every file it names
    is there. Raises CorpusError saying how to rebuild it."""
    if not (out_dir / MANIFEST).is_file():
        return
    try:
        manifest = read_manifest(out_dir)
        missing = [entry[key] for entry in manifest["documents"] for key in ("records_file", "metadata_file")
                   if not (out_dir / entry[key]).is_file()]
    except CorpusError as exc:
        raise CorpusError(str(exc), REBUILD_ACTION) from exc
    except (KeyError, TypeError) as exc:
        raise CorpusError(f"{out_dir / MANIFEST}: not a manifest of reportmt ({exc!r} is wrong)", REBUILD_ACTION) from exc
    if missing:
        raise CorpusError(f"{out_dir / missing[0]} is missing ({len(missing)} files of the snapshot in force are)", REBUILD_ACTION)


def set_aside_damaged_manifest(out_dir: Path) -> Path | None:
    """Before a rebuild: a manifest that does not read is moved aside (kept, not overwritten)."""
    path = out_dir / MANIFEST
    try:
        read_manifest(out_dir)
        return None
    except CorpusError:
        return set_aside(path) if path.exists() else None


def read_document_records(out_dir: Path, entry: dict) -> Iterator[dict]:
    path = out_dir / entry["records_file"]
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CorpusError(f"{path}:{number}: not a JSON record ({exc.msg})") from exc
    except FileNotFoundError as exc:
        raise CorpusError(f"{path}: listed in the manifest but missing") from exc
