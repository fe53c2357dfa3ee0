"""How reportmt opens its SQLite files, in one place: the catalog, the reviewers' store
(edits and comments), the review index and the translation cache.

Every connection is in autocommit mode (``isolation_level=None``): nothing is written
except inside ``immediate_transaction``, which takes the write lock at once, so that what a
transaction reads cannot change before it writes, and which is whole or not at all.
Writable files are in WAL mode, so readers never wait for a writer nor it for them; how
hard a commit is synced is the store's choice (``durable``). Read-only connections use
SQLite's ``mode=ro`` URI: SQLite itself refuses any write on them.

On-disk formats are the stores' own: no store keeps a schema number in the file (the
catalog's schema is in each snapshot's info, the index's in its file name, the edits
table's in its CHECK), so ``create_schema`` applies ``IF NOT EXISTS`` statements and a
store's own upgrade by shape, in one transaction, and writes no ``user_version``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# How long a connection waits for another one's write lock before SQLite says "database is
# locked": a run commits, or a reviewer saves, in well under this.
BUSY_TIMEOUT_SECONDS = 30.0


def connect(path: Path | str, *, readonly: bool = False, durable: bool = True,
            timeout: float = BUSY_TIMEOUT_SECONDS, any_thread: bool = False) -> sqlite3.Connection:
    """A connection to the SQLite file at ``path``.

    ``readonly``: opened with ``mode=ro`` (the file must exist; every write is refused).
    ``durable``: a commit that returned survives a power cut (``synchronous=FULL``); without
    it (``synchronous=NORMAL``, for what can be made again: the cache, the index) a power cut
    may lose the last commits, never the file, and a killed process loses nothing.
    ``any_thread``: the connection may be used from other threads than the one that opened
    it (the caller makes sure one at a time, e.g. with a lock).
    """
    if readonly:
        # as_uri() percent-encodes the path: a folder named with '?' or '#' stays a path
        db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=timeout,
                             isolation_level=None, check_same_thread=not any_thread)
        return db
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=not any_thread)
    db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer, nor it for them
    db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
    return db


@contextmanager
def immediate_transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE; COMMIT when the block ends, ROLLBACK if it raises (whatever it raises:
    a KeyboardInterrupt mid-commit leaves nothing half written)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def create_schema(db: sqlite3.Connection, script: str,
                  upgrade: Callable[[sqlite3.Connection], None] | None = None) -> None:
    """Bring the file to the store's schema in one transaction: first ``upgrade`` (the
    store's change of an older file, found by its shape), then every statement of ``script``
    (``IF NOT EXISTS`` statements, or a new file's). Two processes opening a new file at once
    create it once: the second finds it made."""
    with immediate_transaction(db):
        if upgrade is not None:
            upgrade(db)
        for statement in statements(script):
            db.execute(statement)


def statements(script: str) -> list[str]:
    """The statements of a script, one by one. (``executescript`` would commit the
    transaction it is run in first.) A semicolon inside a string or a trigger does not end one."""
    found, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\n;"):
                found.append(pending.strip())
            pending = ""
    return found
