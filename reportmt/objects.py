"""Writing record files: named by their sha256, never changed once written,
each listed in its process's journal before it appears, with the figures `corpus stats`
sums counted on the way (layout in reportmt.layout; reading in reportmt.store)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TextIO

from .atomic import current_umask
from .edits import is_reviewed
from .layout import INCOMING, OBJECTS, RECORDS, SUFFIXES
from .qa.flags import family
from .records import CorpusRecord
from .store import dumps, object_path


class DocumentStatistics:
    """What `corpus stats` sums, counted per document as its records are written, so the
    corpus's figures come from the catalog without reading a record."""

    def __init__(self) -> None:
        self.languages: dict[str, Counter] = {}
        self.terms: Counter = Counter()
        self.qa_flags: Counter = Counter()

    def add(self, record: dict) -> None:
        counts = self.languages.setdefault(record["src_lang"], Counter())
        counts["sentences"] += 1
        counts["source_words"] += len(record["src_text"].split())
        counts["english_words"] += len(record["en_text"].split())
        counts["reviewed"] += is_reviewed(record)
        self.terms.update(record["terms"])
        self.qa_flags.update({family(flag) for flag in record["qa"]})  # records per family

    def as_dict(self) -> dict:
        return {"languages": {lang: dict(c) for lang, c in sorted(self.languages.items())},
                "terms": dict(sorted(self.terms.items())), "qa_flags": dict(sorted(self.qa_flags.items()))}


def document_statistics(records: Iterable[dict]) -> dict:
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
    can be found and removed (snapshots.recover) without looking at the others."""

    def __init__(self, out_dir: Path, run_token: str):
        self.out_dir = out_dir
        self.run_token = run_token

    def write_records(self, records: Iterable[CorpusRecord]) -> WrittenRecords:
        """Records streamed into a JSONL file, one at a time."""
        statistics = DocumentStatistics()
        model = None

        def lines() -> Iterator[bytes]:
            nonlocal model
            for record in records:
                data = record.as_dict()
                statistics.add(data)
                model = model or record.model
                yield (dumps(data) + "\n").encode("utf-8")

        sha256, count = self._write(RECORDS, lines())
        return WrittenRecords(count, sha256, model, statistics.as_dict())

    def _write(self, kind: str, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Not synced one by one: the commit syncs the file system once before it names them.
        Few system calls a file: a corpus of many small reports writes thousands."""
        folder = self.out_dir / OBJECTS / kind
        digest, count = hashlib.sha256(), 0
        fd, partial = _temporary_file(folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                    digest.update(chunk)
                    count += 1
                os.fchmod(handle.fileno(), 0o444 & ~_umask())  # never changed once written
            sha256 = digest.hexdigest()
            target = object_path(self.out_dir, kind, sha256)
            if target.exists():  # the same content is there already (another document, another snapshot)
                os.unlink(partial)
            else:
                self._journal(kind, sha256)
                _rename(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return sha256, count

    def _journal(self, kind: str, sha256: str) -> None:
        """One line in this run's journal of this process, before the file appears."""
        journal = _journal_handle(self.out_dir / INCOMING / f"{self.run_token}-{os.uname().nodename}-{os.getpid()}.list")
        journal.write(f"{kind} {sha256}\n")
        journal.flush()

    def close(self) -> None:
        """This process's journal of this run is done with (the run committed or gave up)."""
        for path in [path for path in _JOURNALS if Path(path).name.startswith(f"{self.run_token}-")]:
            _JOURNALS.pop(path).close()


_JOURNALS: dict[str, TextIO] = {}  # open journal of each run in this process, by path


def _journal_handle(path: Path) -> TextIO:
    handle = _JOURNALS.get(str(path))
    if handle is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = _JOURNALS[str(path)] = path.open("a", encoding="ascii")
    return handle


@cache
def _umask() -> int:
    return current_umask()  # read once per process: it costs a file read in /proc


def _temporary_file(folder: Path) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(prefix=".", suffix=".part", dir=folder)
    except FileNotFoundError:  # the first file of its kind
        folder.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=".", suffix=".part", dir=folder)


def _rename(partial: str, target: Path) -> None:
    try:
        os.replace(partial, target)
    except FileNotFoundError:  # the first file of its two-letter folder
        target.parent.mkdir(exist_ok=True)
        os.replace(partial, target)


def parse_journal_line(line: str) -> tuple[str, str] | None:
    kind, _, sha256 = line.strip().partition(" ")
    return (kind, sha256) if kind in SUFFIXES and len(sha256) == 64 else None
