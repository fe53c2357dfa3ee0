"""Writing record files: named by their sha256, never changed once written,
each listed in its process's journal before it appears, with the figures `corpus stats`
sums counted on the way (layout in reportmt.layout; reading in reportmt.store)."""

from __future__ import annotations

import hashlib
import itertools
import os
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .layout import INCOMING, OBJECTS, RECORDS, SUFFIXES
from .qa.flags import family
from .records import CorpusRecord
from .store import dumps, object_path

SMALL_FILE_BYTES = 1024 * 1024  # a document's records up to this size are made in memory, their file created by a thread
PENDING_FILES = 16  # small files that may wait for that thread


class DocumentStatistics:
    """What `corpus stats` sums, counted per document as its records are written, so the
    corpus's figures come from the catalog without reading a record."""

    def __init__(self) -> None:
        self.languages: dict[str, Counter] = {}
        self.terms: Counter = Counter()
        self.qa_flags: Counter = Counter()

    def add(self, record: CorpusRecord) -> None:
        counts = self.languages.setdefault(record.src_lang, Counter())
        counts["sentences"] += 1
        counts["source_words"] += len(record.src_text.split())
        counts["english_words"] += len(record.en_text.split())
        counts["reviewed"] += record.reviewed
        self.terms.update(record.terms)
        self.qa_flags.update({family(flag) for flag in record.qa})  # records per family

    def as_dict(self) -> dict:
        return {"languages": {lang: dict(c) for lang, c in sorted(self.languages.items())},
                "terms": dict(sorted(self.terms.items())), "qa_flags": dict(sorted(self.qa_flags.items()))}


def document_statistics(records: Iterable[CorpusRecord]) -> dict:
    statistics = DocumentStatistics()
    for record in records:
        statistics.add(record)
    return statistics.as_dict()


@dataclass
class WrittenRecords:
    count: int
    sha256: str
    model: str | None  # the first model named by a record
    stats: dict


class ObjectWriter:
    """Writes record files under their sha256, each listed first in this
    process's journal in objects/incoming, so that the files of a run that never commits
    can be found and removed (snapshots.recover) without looking at the others.

    Files are not synced one by one: the commit syncs the file system once before it names
    them. A small document's records are made in memory and its file is created on a thread
    of this writer's own: creating a file costs the file system from 0.1 ms to about 1 ms
    (allocating its inode), time that then overlaps making the next document's records
    instead of adding to it. `finish` waits for those files."""

    def __init__(self, out_dir: Path, run_token: str):
        self.out_dir = out_dir
        self.run_token = run_token
        self._creator: _FileCreator | None = None

    def __getstate__(self) -> dict:  # a process or worker that gets a copy starts its own thread
        return {"out_dir": self.out_dir, "run_token": self.run_token, "_creator": None}

    def write_records(self, records: Iterable[CorpusRecord]) -> WrittenRecords:
        """Records streamed into a JSONL file, one at a time (into memory first, up to
        SMALL_FILE_BYTES)."""
        statistics = DocumentStatistics()
        model = None

        def lines() -> Iterator[bytes]:
            nonlocal model
            for record in records:
                statistics.add(record)
                model = model or record.model
                yield (dumps(record.to_json()) + "\n").encode("utf-8")

        chunks, held, size = lines(), [], 0
        for chunk in chunks:
            held.append(chunk)
            size += len(chunk)
            if size > SMALL_FILE_BYTES:
                sha256, count = self._stream(RECORDS, itertools.chain(held, chunks))
                break
        else:
            content = b"".join(held)
            sha256, count = hashlib.sha256(content).hexdigest(), len(held)
            self._journal(RECORDS, sha256)
            if self._creator is None:
                self._creator = _FileCreator()
            self._creator.submit(self._partial_name(RECORDS), self._target(RECORDS, sha256), content)
        return WrittenRecords(count, sha256, model, statistics.as_dict())

    def finish(self) -> None:
        """Every file handed to this writer is in place (not yet synced); raises the error of
        the first that failed."""
        creator, self._creator = self._creator, None
        if creator is not None and (error := creator.wait()) is not None:
            raise error

    def close(self) -> None:
        """This process's journal of this run is done with (the run committed or gave up).
        Files still being created are waited for; a run that gives up has no use for their errors."""
        creator, self._creator = self._creator, None
        if creator is not None:
            creator.wait()
        for path in [path for path in _JOURNALS if Path(path).name.startswith(f"{self.run_token}-")]:
            _JOURNALS.pop(path).close()

    def _stream(self, kind: str, chunks: Iterable[bytes]) -> tuple[str, int]:
        """A large document's records, hashed as they are written into a temporary file."""
        digest, count = hashlib.sha256(), 0
        partial = self._partial_name(kind)
        try:
            with os.fdopen(_open_new(partial), "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                    digest.update(chunk)
                    count += 1
            target = self._target(kind, digest.hexdigest())
            if os.path.exists(target):  # the same content is there already (another document's, another snapshot's)
                os.unlink(partial)
            else:
                self._journal(kind, digest.hexdigest())
                _rename(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return digest.hexdigest(), count

    def _target(self, kind: str, sha256: str) -> str:
        return str(object_path(self.out_dir, kind, sha256))

    def _partial_name(self, kind: str) -> str:
        unique = f"{self.run_token}-{os.uname().nodename}-{os.getpid()}-{next(_PARTIAL_NUMBERS)}"
        return str(self.out_dir / OBJECTS / kind / f".{unique}.part")

    def _journal(self, kind: str, sha256: str) -> None:
        """One line in this run's journal of this process, before the file can appear."""
        with _JOURNALS_LOCK:  # writers in several threads of a worker share the process's journal
            journal = _journal_handle(self.out_dir / INCOMING / f"{self.run_token}-{os.uname().nodename}-{os.getpid()}.list")
            journal.write(f"{kind} {sha256}\n")
            journal.flush()


class _FileCreator:
    """One thread that creates files in the order they are handed over; at most
    PENDING_FILES wait (so at most that many times SMALL_FILE_BYTES of memory). The thread
    waits for the interpreter's lock after each system call, so it makes few."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reportmt-objects")
        self._room = threading.BoundedSemaphore(PENDING_FILES)
        self._pending: deque[Future] = deque()

    def submit(self, partial: str, target: str, content: bytes) -> None:
        """Raises the error of a file handed over earlier, as soon as it is known."""
        while self._pending and self._pending[0].done():
            self._pending.popleft().result()
        self._room.acquire()
        future = self._executor.submit(_create, partial, target, content)
        future.add_done_callback(lambda _: self._room.release())
        self._pending.append(future)

    def wait(self) -> BaseException | None:
        """Every file handed over is done with; the thread ends. The first error, if any."""
        self._executor.shutdown()
        errors = [future.exception() for future in self._pending]
        return next((error for error in errors if error is not None), None)


def _create(partial: str, target: str, content: bytes) -> None:
    """``content`` under ``target``, whole or not at all."""
    if os.path.exists(target):
        return  # the same content is there already (another document's, another snapshot's)
    try:
        fd = _open_new(partial)
        try:
            left = memoryview(content)
            while left:
                left = left[os.write(fd, left):]
        finally:
            os.close(fd)
        _rename(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


_JOURNALS: dict[str, TextIO] = {}  # open journal of each run in this process, by path
_JOURNALS_LOCK = threading.Lock()
_PARTIAL_NUMBERS = itertools.count()  # temporary names unique in this process, whatever its threads


def _journal_handle(path: Path) -> TextIO:
    handle = _JOURNALS.get(str(path))
    if handle is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = _JOURNALS[str(path)] = path.open("a", encoding="ascii")
    return handle


def _open_new(partial: str) -> int:
    """A new file, read-only once closed (never changed once written): the mode is given
    at its creation, so no call changes it after."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    try:
        return os.open(partial, flags, 0o444)
    except FileNotFoundError:  # the first file of its kind
        os.makedirs(os.path.dirname(partial), exist_ok=True)
        return os.open(partial, flags, 0o444)


def _rename(partial: str, target: str) -> None:
    try:
        os.replace(partial, target)
    except FileNotFoundError:  # the first file of its two-letter folder
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(partial, target)


def parse_journal_line(line: str) -> tuple[str, str] | None:
    kind, _, sha256 = line.strip().partition(" ")
    return (kind, sha256) if kind in SUFFIXES and len(sha256) == 64 else None
