"""The catalog of the normalized corpus: which documents each snapshot holds, in SQLite.

A document row is valid over a range of snapshots, ``first <= snapshot < until`` (until is
NULL while it is in force), as table formats such as Apache Iceberg and Delta Lake track
data files: a commit that adds, changes or removes k documents inserts k rows and closes
k, whatever the size of the corpus, and readers of an older snapshot see it unchanged.
One transaction is the commit point. Rows no retained snapshot can see are deleted later,
a bounded number at a time (see store.SnapshotWriter).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from . import sqlite
from .layout import DOCUMENTS, RECORDS
from .sqlite import immediate_transaction

BUSY_TIMEOUT_SECONDS = sqlite.BUSY_TIMEOUT_SECONDS  # a reader or the committing run holds the database briefly

_SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY, committed_at REAL NOT NULL, replaced_at REAL, info TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT NOT NULL, first INTEGER NOT NULL, until INTEGER,
    language TEXT NOT NULL, source_sha256 TEXT NOT NULL, source_stat TEXT,
    records INTEGER NOT NULL, records_sha256 TEXT NOT NULL, metadata_sha256 TEXT NOT NULL,
    model TEXT, stats TEXT NOT NULL,
    PRIMARY KEY (doc_id, first));
CREATE INDEX IF NOT EXISTS documents_in_force ON documents (until, doc_id);
CREATE INDEX IF NOT EXISTS documents_first ON documents (first);
CREATE INDEX IF NOT EXISTS documents_records ON documents (records_sha256);
CREATE INDEX IF NOT EXISTS documents_metadata ON documents (metadata_sha256);
CREATE INDEX IF NOT EXISTS documents_source ON documents (source_sha256);
CREATE TABLE IF NOT EXISTS changes (doc_id TEXT PRIMARY KEY, noted_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS metadata (sha256 TEXT PRIMARY KEY, text TEXT NOT NULL);
"""

# The column naming each kind of object a document row points to (layout.RECORDS, layout.DOCUMENTS).
# Metadata objects are rows of the `metadata` table, named by their sha256 as files are: a file
# each would double the files a run of many small reports creates. A corpus of schema 4 has
# them in files, which stay until the rows naming them are collected.
FILE_COLUMNS = {RECORDS: "records_sha256", DOCUMENTS: "metadata_sha256"}

# A document entry as the rest of reportmt sees it: these keys, one per column.
ENTRY_KEYS = ("doc_id", "language", "source_sha256", "source_stat", "records", "records_sha256", "metadata_sha256",
              "model", "stats")
_JSON_KEYS = ("source_stat", "stats")
_COLUMNS = ", ".join(ENTRY_KEYS)


def connect(path: Path) -> sqlite3.Connection:
    # WAL: readers never wait for the commit, nor it for them; durable: a commit that
    # returned survives a power cut
    return sqlite.connect(path, durable=True, timeout=BUSY_TIMEOUT_SECONDS, any_thread=True)


def create(path: Path) -> None:
    """The catalog's tables, created where missing (a catalog of schema 4 gains ``metadata``)."""
    with closing(connect(path)) as db:
        sqlite.create_schema(db, _SCHEMA)


def metadata(db: sqlite3.Connection, sha256: str) -> str | None:
    """A document's metadata (JSON text); None where it is in a file (schema 4)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'metadata'").fetchone():
        return None  # a catalog of schema 4, read before the run that upgrades it
    row = db.execute("SELECT text FROM metadata WHERE sha256 = ?", (sha256,)).fetchone()
    return row[0] if row else None


def in_force(db: sqlite3.Connection) -> tuple[int, dict] | None:
    """The snapshot in force (the last committed) and its info; None before the first commit."""
    row = db.execute("SELECT id, info FROM snapshots ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], json.loads(row[1])) if row else None


def documents(db: sqlite3.Connection, snapshot: int) -> list[dict]:
    """Every document entry of a snapshot, by doc_id."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM documents WHERE first <= ? AND (until IS NULL OR until > ?) "
                      "ORDER BY doc_id", (snapshot, snapshot))
    return [_entry(row) for row in rows]


def document(db: sqlite3.Connection, snapshot: int, doc_id: str) -> dict | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM documents WHERE doc_id = ? AND first <= ? AND (until IS NULL OR until > ?)",
                     (doc_id, snapshot, snapshot)).fetchone()
    return _entry(row) if row else None


def with_source(db: sqlite3.Connection, snapshot: int, source_sha256: str) -> str | None:
    """The document of the snapshot made from a file with this content, if any."""
    row = db.execute("SELECT min(doc_id) FROM documents WHERE source_sha256 = ? AND first <= ? AND (until IS NULL OR until > ?)",
                     (source_sha256, snapshot, snapshot)).fetchone()
    return row[0]


def note_changes(db: sqlite3.Connection, doc_ids: Iterable[str], now: float) -> None:
    """Files seen changing (by `reportmt watch`), for the next run to read."""
    db.executemany("INSERT INTO changes VALUES (?, ?) ON CONFLICT (doc_id) DO UPDATE SET noted_at = excluded.noted_at",
                   [(doc_id, now) for doc_id in doc_ids])


def noted_changes(db: sqlite3.Connection) -> list[str]:
    return [row[0] for row in db.execute("SELECT doc_id FROM changes ORDER BY doc_id")]


def changes(db: sqlite3.Connection, since: int, snapshot: int) -> tuple[list[dict], list[str]]:
    """What changed from snapshot ``since`` to ``snapshot``: the entries added or changed
    (as ``snapshot`` has them) and the doc_ids removed. Costs what changed."""
    added = [_entry(row) for row in db.execute(
        f"SELECT {_COLUMNS} FROM documents WHERE first > ? AND first <= ? AND (until IS NULL OR until > ?)",
        (since, snapshot, snapshot))]
    gone = {row[0] for row in db.execute(
        "SELECT doc_id FROM documents WHERE first <= ? AND until > ? AND until <= ?", (since, since, snapshot))}
    return added, sorted(gone - {entry["doc_id"] for entry in added})


def oldest(db: sqlite3.Connection) -> int | None:
    """The oldest snapshot whose rows are all still there."""
    return db.execute("SELECT min(id) FROM snapshots").fetchone()[0]


def retained_from(db: sqlite3.Connection, kept: int, replaced_after: float) -> int:
    """The oldest snapshot to keep: the last ``kept`` ones and every one replaced after
    ``replaced_after`` (a run of the newest, as snapshots are replaced in order)."""
    rows = db.execute("SELECT id, replaced_at FROM snapshots ORDER BY id DESC").fetchall()
    oldest_kept = rows[0][0]
    for position, (snapshot, replaced_at) in enumerate(rows):
        if position >= kept and replaced_at is not None and replaced_at <= replaced_after:
            break
        oldest_kept = snapshot
    return oldest_kept


def commit(db: sqlite3.Connection, info: dict, written: Iterable[dict], removed: Iterable[str] | None,
           changes_read_at: float) -> int:
    """One transaction: a new snapshot that holds the previous one's documents, with
    ``written`` entries added or replacing theirs and ``removed`` doc_ids gone (None: all of
    the previous ones go, ``written`` being every document); the changes noted before
    ``changes_read_at`` are taken in. An entry with a "metadata" key brings its document's
    metadata (JSON text, named by metadata_sha256). Returns its id."""
    with immediate_transaction(db):
        previous = in_force(db)
        snapshot = (previous[0] if previous else 0) + 1
        now = time.time()
        db.execute("INSERT INTO snapshots (id, committed_at, info) VALUES (?, ?, ?)",
                   (snapshot, now, json.dumps(info, ensure_ascii=False, sort_keys=True)))
        if previous:
            db.execute("UPDATE snapshots SET replaced_at = ? WHERE id = ?", (now, previous[0]))
        written = list(written)
        db.executemany("INSERT OR IGNORE INTO metadata VALUES (?, ?)",
                       [(entry["metadata_sha256"], entry["metadata"]) for entry in written if "metadata" in entry])
        if removed is None:
            db.execute("UPDATE documents SET until = ? WHERE until IS NULL", (snapshot,))
        for doc_id in [*(removed or ()), *(entry["doc_id"] for entry in written)]:
            db.execute("UPDATE documents SET until = ? WHERE doc_id = ? AND until IS NULL", (snapshot, doc_id))
        db.executemany(f"INSERT INTO documents (first, {_COLUMNS}) VALUES (?, {', '.join('?' * len(ENTRY_KEYS))})",
                       [(snapshot, *_row(entry)) for entry in written])
        db.execute("DELETE FROM changes WHERE noted_at <= ?", (changes_read_at,))
    return snapshot


def expire(db: sqlite3.Connection, keep_from: int, limit: int) -> list[tuple[str, str]]:
    """Forget snapshots before ``keep_from`` and at most ``limit`` document rows that no
    snapshot from ``keep_from`` on can see, and the metadata no remaining row names.
    Returns the forgotten rows' files that no row names any more, as (kind, sha256)."""
    with immediate_transaction(db):
        db.execute("DELETE FROM snapshots WHERE id < ?", (keep_from,))
        rows = db.execute(f"SELECT rowid, {', '.join(FILE_COLUMNS.values())} FROM documents WHERE until <= ? LIMIT ?",
                          (keep_from, limit)).fetchall()
        db.executemany("DELETE FROM documents WHERE rowid = ?", [(row[0],) for row in rows])
        unused = [pair for pair in dict.fromkeys(pair for row in rows for pair in zip(FILE_COLUMNS, row[1:])) if not named(db, *pair)]
        in_catalog = {sha256 for kind, sha256 in unused if kind == DOCUMENTS
                      and db.execute("DELETE FROM metadata WHERE sha256 = ?", (sha256,)).rowcount}
        unused = [(kind, sha256) for kind, sha256 in unused if sha256 not in in_catalog]
    return unused


def named(db: sqlite3.Connection, kind: str, sha256: str) -> bool:
    """Whether any row (of any retained snapshot) names this file."""
    return db.execute(f"SELECT 1 FROM documents WHERE {FILE_COLUMNS[kind]} = ? LIMIT 1", (sha256,)).fetchone() is not None


def _row(entry: dict) -> tuple:
    return tuple(json.dumps(entry.get(key), sort_keys=True) if key in _JSON_KEYS else entry.get(key) for key in ENTRY_KEYS)


def _entry(row: tuple) -> dict:
    return {key: json.loads(value) if key in _JSON_KEYS and value is not None else value for key, value in zip(ENTRY_KEYS, row)}
