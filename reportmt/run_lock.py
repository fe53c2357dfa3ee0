"""One run at a time per output folder, and a waiting run says whom it waits for.

The lock is an OS file lock on `run.lock` (released by the kernel even when its run is
killed). Its holder writes who it is to `run.owner.json` beside it, which a waiting run
reads: the lock file itself is truncated by every process that opens it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from .atomic import atomic_write_text
from .layout import LOCK_FILE, OWNER_FILE

REPORT_EVERY_SECONDS = 30.0  # a waiting run says so when it starts waiting, then this often


@contextmanager
def run_lock(out_dir: Path, run_id: str, on_wait: Callable[[str], None]) -> Iterator[None]:
    """Hold the output folder's run lock for the block. While another run holds it,
    ``on_wait`` hears a line naming that run and how long this one has waited."""
    lock = FileLock(str(out_dir / LOCK_FILE))
    started = time.monotonic()
    timeout = 0.0
    while True:
        try:
            lock.acquire(timeout=timeout)
            break
        except Timeout:
            on_wait(f"waiting for the run that holds {out_dir / LOCK_FILE} ({_describe_owner(out_dir)}); "
                    f"waited {time.monotonic() - started:.0f} s")
            timeout = REPORT_EVERY_SECONDS
    try:
        owner = {"pid": os.getpid(), "started_at": datetime.now(UTC).isoformat(timespec="seconds"), "run_id": run_id}
        atomic_write_text(out_dir / OWNER_FILE, json.dumps(owner) + "\n")
        yield
    finally:
        lock.release()


def _describe_owner(out_dir: Path) -> str:
    try:
        owner = json.loads((out_dir / OWNER_FILE).read_text(encoding="utf-8"))
        return f"pid {owner['pid']}, started {owner['started_at']}, flow run {owner['run_id']}"
    except (OSError, ValueError, KeyError):
        return "it has not said who it is yet"
