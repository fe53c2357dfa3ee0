"""Who else has a document open: reviewers seen on it lately (a page, a save, the page's
periodic check), kept in memory. Shown to the others; it locks no one out."""

from __future__ import annotations

import threading
import time

RECENT_SECONDS = 300  # seen within this long: still working on it


class Presence:
    def __init__(self) -> None:
        self._seen: dict[str, dict[str, float]] = {}
        self._lock = threading.Lock()

    def seen(self, doc_id: str, reviewer: str) -> None:
        with self._lock:
            self._seen.setdefault(doc_id, {})[reviewer] = time.monotonic()

    def others(self, doc_id: str, reviewer: str) -> list[dict]:
        """The other reviewers seen on ``doc_id`` lately, most recent first: name and seconds ago."""
        now = time.monotonic()
        with self._lock:
            seen = dict(self._seen.get(doc_id, {}))
        return [{"reviewer": name, "seconds_ago": int(now - at)}
                for name, at in sorted(seen.items(), key=lambda item: -item[1])
                if name != reviewer and now - at <= RECENT_SECONDS]
