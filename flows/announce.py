"""Reviewers' saves as requests for a run, folded the way `reportmt watch` folds files.

A save only marks the normalized corpus as having new edits. A background thread then
sends one `reportmt.review.saved` event for all the saves made since the last one, and
none while a run of the served deployment waits to start: that run reads every save made
before it starts. A burst of saves makes one or two runs, not one per save. Without a
Prefect API (no PREFECT_API_URL) nothing is sent: the next run applies the edits anyway.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.events import Event
from prefect.events.clients import get_events_client

from reportmt.events import REVIEW_SAVED_EVENT, normalized_resource_id

from .coalesce import run_is_waiting, sync_deployment

TICK_SECONDS = 1.0  # how often saves not yet announced are looked at
EVENT_TO_RUN_SECONDS = 5.0  # after an event, the time the server takes to make its run


class SaveAnnouncer:
    """Saves of one normalized corpus not yet announced, and a thread that announces them."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self._unannounced = 0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._quiet_until = 0.0
        self._thread = threading.Thread(target=self._loop, daemon=True, name="reportmt-announce-saves")
        self._thread.start()

    def saved(self) -> None:
        with self._lock:
            self._unannounced += 1
        self._wake.set()

    def _loop(self) -> None:
        while True:
            self._wake.wait(TICK_SECONDS)
            self._wake.clear()
            if self._unannounced and time.monotonic() >= self._quiet_until:
                self._announce_if_due()

    def _announce_if_due(self) -> None:
        try:
            with get_client(sync_client=True) as client:
                deployment = sync_deployment(client, self.out_dir)
                waiting = deployment is not None and run_is_waiting(client, deployment)
            with self._lock:
                saves, self._unannounced = self._unannounced, 0
            if not waiting:  # no deployment: the event is still sent, for other listeners
                self._send(saves)
                self._quiet_until = time.monotonic() + EVENT_TO_RUN_SECONDS
        except Exception:  # the API is down or restarting: the saves wait for the next tick
            with self._lock:
                self._unannounced = max(self._unannounced, 1)
            self._quiet_until = time.monotonic() + EVENT_TO_RUN_SECONDS

    def _send(self, saves: int) -> None:
        event = Event(event=REVIEW_SAVED_EVENT, resource={"prefect.resource.id": normalized_resource_id(self.out_dir)},
                      payload={"saves": saves})
        deliver(event)


def deliver(event: Event) -> None:
    """Send one event to the Prefect API now; raises when it cannot be delivered (unlike
    Prefect's emit_event, which queues it and drops it when the API is away)."""
    async def send() -> None:
        async with get_events_client() as events:
            await events.emit(event)

    asyncio.run(send())


def announce_save(out_dir: Path) -> None:
    """Tell Prefect, when it listens, that the corpus has new edits: a served corpus's
    triggered deployment then runs and applies them (the saves folded, see SaveAnnouncer)."""
    if os.environ.get("PREFECT_API_URL"):
        announcer_for(out_dir).saved()


_announcers: dict[Path, SaveAnnouncer] = {}
_announcers_lock = threading.Lock()


def announcer_for(out_dir: Path) -> SaveAnnouncer:
    """The one announcer of a normalized corpus in this process."""
    key = Path(out_dir).resolve()
    with _announcers_lock:
        if key not in _announcers:
            _announcers[key] = SaveAnnouncer(key)
        return _announcers[key]
