"""Work the workspace does for a snapshot off the request path, one run at a time."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

from ..store import CorpusError


class OneAtATime:
    """Runs ``work`` in a daemon thread when nudged; a nudge while it runs is dropped (the
    next page nudges again). A run that fails because the snapshot went meanwhile (or its
    database was busy) is logged with ``failure``, and the next nudge starts over."""

    def __init__(self, name: str, work: Callable[[], None], failure: str):
        self.name = name
        self.work = work
        self.failure = failure
        self._busy = threading.Lock()

    def nudge(self) -> None:
        if self._busy.acquire(blocking=False):
            threading.Thread(target=self._run, name=self.name, daemon=True).start()

    def _run(self) -> None:
        try:
            self.work()
        except (CorpusError, sqlite3.Error) as exc:
            logging.getLogger(__name__).warning("%s: %s", self.failure, exc)
        finally:
            self._busy.release()
