"""Raw engine output, kept across runs: no sentence is translated twice by the same engine.

Keyed by the engine signature (model package, version, archive hash, decoding options)
and the source sentence. SQLite gives one transaction per batch of new translations, so
a killed run loses at most the batch it was writing, never the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from .atomic import set_aside
from .sqlite import connect, create_schema, immediate_transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    signature TEXT NOT NULL,
    source TEXT NOT NULL,
    output TEXT NOT NULL,
    PRIMARY KEY (signature, source)
)
"""
_LOOKUP_CHUNK = 500  # SQLite limits the number of parameters in one statement


class TranslationCache:
    """``damaged``: where a cache that failed its integrity check when opened was moved (it
    is a cache: a new one is started, and what it lacks is translated again)."""

    def __init__(self, path: Path):
        self.path = path
        self.damaged: tuple[Path, str] | None = None  # (where it was moved, what was wrong)
        path.parent.mkdir(parents=True, exist_ok=True)
        problem = self._check()
        if problem:
            self.damaged = (set_aside(path, companions=("-wal", "-shm")), problem)
        with closing(self._connect()) as connection:
            create_schema(connection, _SCHEMA)

    def _check(self) -> str | None:
        """What is wrong with the cache file, or None."""
        if not self.path.exists():
            return None
        try:
            with closing(self._connect()) as connection:
                result = connection.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            return str(exc)
        return None if result == "ok" else result

    def _connect(self) -> sqlite3.Connection:
        # Not durable: a cache, what a power cut takes back is translated again. A longer
        # wait than the default: every process of a run's pool writes its batches here.
        return connect(self.path, durable=False, timeout=60)

    def get_many(self, signature: str, sources: Iterable[str]) -> dict[str, str]:
        sources = list(dict.fromkeys(sources))
        found: dict[str, str] = {}
        with closing(self._connect()) as connection:
            for start in range(0, len(sources), _LOOKUP_CHUNK):
                chunk = sources[start : start + _LOOKUP_CHUNK]
                placeholders = ",".join("?" * len(chunk))
                rows = connection.execute(
                    f"SELECT source, output FROM translations WHERE signature = ? AND source IN ({placeholders})",
                    [signature, *chunk],
                )
                found.update(rows)
        return found

    def put_many(self, signature: str, translations: dict[str, str]) -> None:
        with closing(self._connect()) as connection, immediate_transaction(connection):
            connection.executemany(
                "INSERT OR REPLACE INTO translations (signature, source, output) VALUES (?, ?, ?)",
                [(signature, source, output) for source, output in translations.items()],
            )
