"""The normalized corpus on disk: record files, document metadata, and the manifest.

Layout (schema version in records.SCHEMA_VERSION)::

    normalized/
      manifest.json             written last: the commit point of a run
      records/<doc_id>.jsonl    one JSON record per source sentence
      documents/<doc_id>.json   metadata: furniture, language, encoding, hashes

Every file is written to a temporary file in the same folder and renamed into place, so
a reader never sees half a file and a killed run leaves the previous corpus readable.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .records import CorpusRecord

MANIFEST = "manifest.json"
RECORDS_DIR = "records"
DOCUMENTS_DIR = "documents"


class CorpusError(Exception):
    """A normalized corpus that cannot be read; the message names the file."""


def atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def records_file(doc_id: str) -> str:
    return f"{RECORDS_DIR}/{doc_id}.jsonl"


def metadata_file(doc_id: str) -> str:
    return f"{DOCUMENTS_DIR}/{doc_id}.json"


def write_document(out_dir: Path, metadata: dict, records: list[CorpusRecord]) -> dict:
    """Write one document's files; returns its manifest entry."""
    doc_id = metadata["doc_id"]
    body = "".join(dumps(r.as_dict()) + "\n" for r in records)
    atomic_write_text(out_dir / records_file(doc_id), body)
    atomic_write_text(out_dir / metadata_file(doc_id), json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return {
        "doc_id": doc_id,
        "language": metadata["language"],
        "source_sha256": metadata["source_sha256"],
        "records": len(records),
        "records_file": records_file(doc_id),
        "records_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        "metadata_file": metadata_file(doc_id),
        "model": records[0].model if records else None,
    }


def commit(out_dir: Path, manifest: dict) -> None:
    """Write the manifest, then drop files that no manifest entry names any more."""
    atomic_write_text(out_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    keep = {out_dir / d[key] for d in manifest["documents"] for key in ("records_file", "metadata_file")}
    for folder in (RECORDS_DIR, DOCUMENTS_DIR):
        for path in sorted((out_dir / folder).rglob("*")):
            if path.is_file() and path not in keep:
                path.unlink()


def read_manifest(out_dir: Path) -> dict:
    path = out_dir / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(f"{path}: no manifest; run `reportmt run` first") from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise CorpusError(f"{path}: unreadable manifest ({exc})") from exc


def iter_records(out_dir: Path, lang: str | None = None) -> Iterator[dict]:
    """Records of every committed document, in manifest order, optionally of one source language."""
    manifest = read_manifest(out_dir)
    for entry in manifest["documents"]:
        if lang and entry["language"] != lang:
            continue
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
