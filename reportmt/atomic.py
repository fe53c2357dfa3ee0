"""Files that appear whole or not at all: written under a temporary name, renamed into place.

Every file reportmt writes for a reader (corpus, exports, glossary, packages) goes through
here, so a killed process or a full disk never leaves half a file, and the finished file
has the permissions an ordinary write would have given it (``mkstemp`` makes 0600 files,
which another account, a web service or a CAT tool on a shared drive could not read).
"""

from __future__ import annotations

import ctypes
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import BinaryIO


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore (not thread-safe, but brief)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary handle whose data replaces ``path`` when the block ends without error:
    readers see the old file or the whole new one, never a part. ``durable``: on disk before
    the rename (fsync); a writer of many files that makes them durable together (one sync
    before its commit point) passes False."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~current_umask())
            if durable:
                os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def set_aside(path: Path, companions: tuple[str, ...] = ()) -> Path:
    """Move a damaged file out of the way, kept for a look: ``<name>.damaged-<UTC time>``,
    with its companion files (suffixes of its name, such as SQLite's ``-wal``) beside it."""
    target = path.with_name(f"{path.name}.damaged-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}")
    for suffix in ("", *companions):
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            os.replace(companion, f"{target}{suffix}")
    return target


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_file(path) as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def sync_file_system(path: Path) -> None:
    """Everything written on ``path``'s file system on disk: Linux's syncfs, which leaves
    the rest of the machine's unwritten pages alone; os.sync where there is no syncfs."""
    syncfs = _syncfs()
    if syncfs is None:
        os.sync()
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        if syncfs(descriptor) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error), str(path))
    finally:
        os.close(descriptor)


@cache
def _syncfs() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
