"""Reviewers' comments on sentences: kept beside the edits (``edits.sqlite3``), append-only,
never in a run's snapshot. A comment is open until a later row resolves it; resolving adds
a row and deletes nothing, so the whole discussion stays. Exports carry them (TMX notes)."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .edits import EditError, connect_store, utc_now
from .layout import EDITS_FILE
from .sqlite import create_schema, immediate_transaction

MAX_COMMENT_CHARS = 4000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS comments (
    comment_id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    body TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolves INTEGER REFERENCES comments (comment_id)  -- set: this row resolves that comment
);
CREATE INDEX IF NOT EXISTS comments_by_document ON comments (doc_id, record_id, comment_id);
CREATE INDEX IF NOT EXISTS comments_by_record ON comments (record_id, comment_id);
CREATE INDEX IF NOT EXISTS comments_resolving ON comments (resolves);
"""
_COLUMNS = "comment_id, record_id, doc_id, body, reviewer, created_at, resolves"


@dataclass(frozen=True)
class Comment:
    comment_id: int
    record_id: str
    doc_id: str
    body: str
    reviewer: str
    created_at: str
    resolved_by: str | None = None  # who resolved it, when it is resolved
    resolved_at: str | None = None

    @property
    def is_open(self) -> bool:
        return self.resolved_by is None

    def note(self) -> str:
        """One line for an export's note."""
        state = "open" if self.is_open else f"resolved by {self.resolved_by} {self.resolved_at}"
        return f"{self.reviewer} {self.created_at} ({state}): {self.body}"


class CommentStore:
    def __init__(self, out_dir: Path):
        self._db = connect_store(out_dir)
        create_schema(self._db, _SCHEMA)
        self._lock = threading.RLock()  # one connection, the workspace's threads in turn

    def close(self) -> None:
        self._db.close()

    def add(self, record: dict, body: str, reviewer: str) -> Comment:
        text = body.strip()
        if not text:
            raise EditError("an empty comment is refused", "write the comment")
        if len(text) > MAX_COMMENT_CHARS:
            raise EditError(f"a comment of {len(text)} characters is refused", f"keep it under {MAX_COMMENT_CHARS}")
        row = (record["record_id"], record["doc_id"], text, reviewer, utc_now())
        with self._lock:
            cursor = self._db.execute("INSERT INTO comments (record_id, doc_id, body, reviewer, created_at) VALUES (?, ?, ?, ?, ?)", row)
        return Comment(cursor.lastrowid, *row)

    def resolve(self, comment_id: int, reviewer: str) -> None:
        """Mark an open comment resolved (a new row); resolving it again changes nothing."""
        with self._lock, immediate_transaction(self._db):
            found = self._db.execute("SELECT record_id, doc_id FROM comments WHERE comment_id = ? AND resolves IS NULL",
                                     (comment_id,)).fetchone()
            if found is None:
                raise EditError(f"there is no comment {comment_id}")
            if not self._db.execute("SELECT 1 FROM comments WHERE resolves = ?", (comment_id,)).fetchone():
                self._db.execute("INSERT INTO comments (record_id, doc_id, body, reviewer, created_at, resolves) "
                                 "VALUES (?, ?, '', ?, ?, ?)", (*found, reviewer, utc_now(), comment_id))

    def in_document(self, doc_id: str) -> dict[str, list[Comment]]:
        """Each record's comments, oldest first, with their state."""
        return _threads(self._rows("WHERE doc_id = ?", (doc_id,)))

    def of_record(self, record_id: str) -> list[Comment]:
        return _threads(self._rows("WHERE record_id = ?", (record_id,))).get(record_id, [])

    def everywhere(self) -> dict[str, list[Comment]]:
        """Every record's comments (for an export)."""
        return _threads(self._rows("", ()))

    def open_by_document(self) -> Counter:
        with self._lock:
            rows = self._db.execute("SELECT doc_id, COUNT(*) FROM comments c WHERE resolves IS NULL AND NOT EXISTS "
                                    "(SELECT 1 FROM comments r WHERE r.resolves = c.comment_id) GROUP BY doc_id").fetchall()
        return Counter(dict(rows))

    def _rows(self, where: str, parameters: tuple) -> list[tuple]:
        with self._lock:
            return self._db.execute(f"SELECT {_COLUMNS} FROM comments {where} ORDER BY comment_id", parameters).fetchall()


def _threads(rows: list[tuple]) -> dict[str, list[Comment]]:
    resolutions = {row[6]: (row[4], row[5]) for row in rows if row[6] is not None}
    threads: dict[str, list[Comment]] = {}
    for comment_id, record_id, doc_id, body, reviewer, created_at, resolves in rows:
        if resolves is None:
            threads.setdefault(record_id, []).append(
                Comment(comment_id, record_id, doc_id, body, reviewer, created_at, *resolutions.get(comment_id, (None, None))))
    return threads


def read_comments(out_dir: Path) -> dict[str, list[Comment]]:
    """Every record's comments in the output folder (none without an edit store)."""
    if not (Path(out_dir) / EDITS_FILE).is_file():
        return {}
    store = CommentStore(out_dir)
    try:
        return store.everywhere()
    finally:
        store.close()
