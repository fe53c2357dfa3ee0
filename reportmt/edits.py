"""Human post-edits and acceptances: kept apart from the snapshots, never lost.

Every save is a new row in an append-only SQLite table in WAL mode with full sync, in the
output folder (``edits.sqlite3``): a killed server or run loses no saved edit, and a save
is either wholly there or absent. An edit remembers what it was made against (the source
sentence and the engine output), so a run applies it only while both are unchanged; the
latest edit of a record wins. Runs read edits; only reviewers write them.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .errors import ReportmtError
from .layout import EDITS_FILE
from .shapes import checked, field_types
from .sqlite import connect, create_schema, immediate_transaction

EDITED, ACCEPTED = "edited", "accepted"  # the English is settled: written by the reviewer, or approved as it is
NEEDS_DISCUSSION, REJECTED = "needs discussion", "rejected translation"  # marks: the English stays, not approved
STATUSES = (EDITED, ACCEPTED, NEEDS_DISCUSSION, REJECTED)
SETTLED = (EDITED, ACCEPTED)


_TABLE = """
CREATE TABLE {name} (
    edit_id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    src_lang TEXT NOT NULL,
    src_text TEXT NOT NULL,
    mt_text TEXT,
    en_before TEXT NOT NULL,
    en_after TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ({statuses})),
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    batch TEXT
)"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS edits_by_record ON edits (record_id);
CREATE INDEX IF NOT EXISTS edits_by_document ON edits (doc_id, record_id, edit_id);
CREATE INDEX IF NOT EXISTS edits_by_batch ON edits (batch) WHERE batch IS NOT NULL;
"""
# batch: the replacement (or revert of one) an edit was saved in, with the others, as one transaction
_FIRST_COLUMNS = "edit_id, record_id, doc_id, src_lang, src_text, mt_text, en_before, en_after, status, reviewer, created_at"
_COLUMNS = f"{_FIRST_COLUMNS}, batch"


class EditError(ReportmtError):
    """An edit that is refused (empty English, unknown status); nothing was stored."""


class EditConflict(EditError):
    """The English changed since the reviewer loaded it (another tab, another reviewer)."""

    def __init__(self, record_id: str, current: str, submitted_against: str):
        super().__init__(
            f"record {record_id} was changed since you loaded it: it now reads {current!r}, "
            f"your edit was made against {submitted_against!r}",
            "reload the row, compare both texts and save again",
        )
        self.current = current
        self.submitted_against = submitted_against


class StatusConflict(EditConflict):
    """The review status changed since the reviewer loaded the row (another reviewer accepted,
    rejected or marked it): last writer does not win silently."""

    def __init__(self, record_id: str, current: str, status_now: str, status_seen: str):
        EditError.__init__(self, f"record {record_id} was marked {status_now!r} since you loaded it "
                                 f"(you saw {status_seen!r})", "reload the row and decide again")
        self.current = current
        self.submitted_against = current


@dataclass(frozen=True)
class Review:
    """A record's ``review`` field: who settled or marked its English, when, by which edit;
    ``propagated_from``: the record the edit was made on, when it was applied to another
    record with the same source sentence."""

    status: str
    reviewer: str
    time: str
    edit_id: int
    propagated_from: str | None = None

    @property
    def settled(self) -> bool:
        """The English is settled (a mark such as "needs discussion" does not settle it)."""
        return self.status in SETTLED

    def to_json(self) -> dict[str, str | int]:
        data: dict[str, str | int] = {"status": self.status, "reviewer": self.reviewer, "time": self.time,
                                      "edit_id": self.edit_id}
        if self.propagated_from is not None:  # absent, not null, in a record's own edit
            data["propagated_from"] = self.propagated_from
        return data

    @classmethod
    def from_json(cls, data: object) -> Review:
        """A stored review; MalformedData if it lacks a field or holds a wrong type."""
        return cls(**checked(data, "review", _REVIEW_FIELDS, {"propagated_from": None}))


_REVIEW_FIELDS = field_types(Review)


@dataclass(frozen=True)
class Edit:
    edit_id: int
    record_id: str
    doc_id: str
    src_lang: str
    src_text: str
    mt_text: str | None
    en_before: str
    en_after: str
    status: str
    reviewer: str
    created_at: str
    batch: str | None = None  # the replacement it was saved in, if any

    def made_against(self, record: dict) -> bool:
        """Still about the same sentence: its source and the engine output are unchanged."""
        return (record["src_lang"], record["src_text"], record["mt_text"]) == (self.src_lang, self.src_text, self.mt_text)

    def review(self, propagated_from: str | None = None) -> Review:
        """The review of a record this edit applies to."""
        return Review(self.status, self.reviewer, self.created_at, self.edit_id, propagated_from)


@dataclass(frozen=True)
class BatchChange:
    """One record's change in a batch: its English as the reviewer saw it, and after."""

    record: dict
    en_after: str
    expected: str


@dataclass
class Batch:
    """What a batch saved, and what it left out and why."""

    batch_id: str
    saved: list[Edit] = field(default_factory=list)
    refused: list[tuple[dict, EditError]] = field(default_factory=list)
    gone: list[Edit] = field(default_factory=list)  # reverting: records no longer in the corpus


def connect_store(out_dir: Path) -> sqlite3.Connection:
    """The reviewers' store (edits, and comments beside them) in the output folder."""
    path = Path(out_dir) / EDITS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    # durable: a save reported as done survives a crash; any thread: the workspace's, one at a time
    return connect(path, durable=True, any_thread=True)


class EditStore:
    def __init__(self, out_dir: Path):
        self._db = connect_store(out_dir)
        _create_or_upgrade(self._db)
        # One connection, used by the workspace's threads one at a time: a save's check and
        # insert stay one transaction, and no page reads inside another thread's.
        self._lock = threading.RLock()

    def close(self) -> None:
        self._db.close()

    def save(self, record: dict, *, en_after: str, status: str, reviewer: str, expected: str,
             expected_status: str | None = None) -> Edit:
        """Store an edit of ``record`` (as the snapshot holds it). ``expected``: the English
        the reviewer saw; ``expected_status``, when given: the status they saw ("" for
        none). If either changed since, the edit is refused."""
        if status not in STATUSES:
            raise EditError(f"unknown review status {status!r}: use one of {', '.join(STATUSES)}")
        with self._lock:
            return self._save(record, en_after, status, reviewer, expected, expected_status)

    def save_batch(self, changes: Iterable[BatchChange], *, reviewer: str) -> Batch:
        """Save edits of many records as one: every change whose record still reads what it
        expected, in one transaction, so that a kill leaves all of them or none; a record
        changed since is left out and said. The edits share a batch id, which `revert_batch`
        takes back as one."""
        batch = Batch(uuid.uuid4().hex)
        with self._lock, immediate_transaction(self._db):
            for change in changes:
                try:
                    batch.saved.append(self._insert(change.record, change.en_after, EDITED, reviewer, change.expected,
                                                    None, batch.batch_id))
                except EditError as refused:
                    batch.refused.append((change.record, refused))
        return batch

    def batch(self, batch_id: str) -> list[Edit]:
        """The edits saved in one batch, in order."""
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM edits WHERE batch = ? ORDER BY edit_id", (batch_id,)).fetchall()
        return [Edit(*row) for row in rows]

    def revert_batch(self, batch_id: str, records: dict[str, dict], *, reviewer: str) -> Batch:
        """Take a batch back as one: each record still reading what the batch wrote gets its
        English from before, in a new batch (itself revertible); a record changed since, or no
        longer in ``records`` (the snapshot's, by id), is left as it is and said."""
        changes, gone = [], []
        for edit in self.batch(batch_id):
            record = records.get(edit.record_id)
            if record is None:
                gone.append(edit)
            else:
                changes.append(BatchChange(record, en_after=edit.en_before, expected=edit.en_after))
        reverted = self.save_batch(changes, reviewer=reviewer)
        reverted.gone = gone
        return reverted

    def _save(self, record: dict, en_after: str, status: str, reviewer: str, expected: str,
              expected_status: str | None) -> Edit:
        with immediate_transaction(self._db):  # the check and the insert as one: two tabs cannot both win
            return self._insert(record, en_after, status, reviewer, expected, expected_status, None)

    def _insert(self, record: dict, en_after: str, status: str, reviewer: str, expected: str,
                expected_status: str | None, batch: str | None) -> Edit:
        """Inside a transaction: check what the reviewer saw against the record now, then insert."""
        current = self.current_english(record)
        if expected != current:
            raise EditConflict(record["record_id"], current, expected)
        if expected_status is not None and expected_status != (now := self.current_status(record)):
            raise StatusConflict(record["record_id"], current, now or "unreviewed", expected_status or "unreviewed")
        text = " ".join(en_after.split()) if status == EDITED else current  # the others keep the English
        if not text:
            raise EditError(f"record {record['record_id']}: an empty English side is refused", "write the English sentence")
        row = (record["record_id"], record["doc_id"], record["src_lang"], record["src_text"], record["mt_text"],
               current, text, status, reviewer or "anonymous", utc_now(), batch)
        cursor = self._db.execute(f"INSERT INTO edits ({_COLUMNS.removeprefix('edit_id, ')}) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        assert cursor.lastrowid is not None  # an INSERT into a table with a rowid sets it
        return Edit(cursor.lastrowid, *row)

    def current_status(self, record: dict) -> str:
        """The record's review status now: its latest applicable edit's, else the snapshot's ("" for none)."""
        latest = self._latest_applicable(record)
        return latest.status if latest is not None else (record.get("review") or {}).get("status") or ""

    def current_english(self, record: dict) -> str:
        """What the record reads now: its latest applicable edit, else the snapshot's English."""
        latest = self._latest_applicable(record)
        return latest.en_after if latest is not None else record["en_text"]

    def _latest_applicable(self, record: dict) -> Edit | None:
        """The record's latest edit, when it was made against the record as it is."""
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM edits WHERE record_id = ? ORDER BY edit_id DESC LIMIT 1",
                                   (record["record_id"],)).fetchone()
        latest = Edit(*row) if row else None
        return latest if latest is not None and latest.made_against(record) else None

    def edited_documents(self) -> list[str]:
        """Every document with an edit, in order."""
        with self._lock:
            return [doc_id for doc_id, in self._db.execute("SELECT DISTINCT doc_id FROM edits ORDER BY doc_id")]

    def latest_in(self, doc_id: str) -> dict[str, Edit]:
        """The latest edit of every record of one document: what a document page needs,
        read by the document's index, whatever the size of the store."""
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM edits WHERE doc_id = ? ORDER BY edit_id", (doc_id,)).fetchall()
        return {edit.record_id: edit for edit in (Edit(*row) for row in rows)}

    def latest_holding(self, text: str, limit: int) -> list[Edit]:
        """Up to ``limit`` records' latest edits whose English holds ``text`` (any case): what
        reviewers wrote that no snapshot holds yet, for search and replace to find."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM edits AS e WHERE instr(lower(en_after), lower(?)) > 0 AND edit_id = "
                "(SELECT MAX(edit_id) FROM edits WHERE record_id = e.record_id) ORDER BY edit_id LIMIT ?",
                (text, limit)).fetchall()
        return [Edit(*row) for row in rows]

    def latest_of(self, record_ids: Iterable[str]) -> dict[str, Edit]:
        """The latest edit of each of these records that has one."""
        wanted, latest = sorted(set(record_ids)), dict[str, Edit]()
        with self._lock:
            for start in range(0, len(wanted), 500):  # SQLite's limit on parameters
                chunk = wanted[start:start + 500]
                rows = self._db.execute(f"SELECT {_COLUMNS} FROM edits WHERE record_id IN ({', '.join('?' * len(chunk))}) "
                                        "ORDER BY edit_id", chunk).fetchall()
                latest.update((row[1], Edit(*row)) for row in rows)
        return latest

    def history(self, record_id: str) -> list[Edit]:
        """Every edit of one record, oldest first (nothing is ever deleted: a revert is an edit)."""
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM edits WHERE record_id = ? ORDER BY edit_id", (record_id,)).fetchall()
        return [Edit(*row) for row in rows]

    def records_edited_after(self, edit_id: int) -> dict[str, int]:
        """Per document, the records with an edit saved after ``edit_id`` (read from there on)."""
        with self._lock:
            rows = self._db.execute("SELECT doc_id, COUNT(DISTINCT record_id) FROM edits WHERE edit_id > ? GROUP BY doc_id",
                                    (edit_id,)).fetchall()
        return dict(rows)

    def all(self) -> list[Edit]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM edits ORDER BY edit_id").fetchall()
        return [Edit(*row) for row in rows]


def _create_or_upgrade(db: sqlite3.Connection) -> None:
    """The edits table and its indexes, created; or, made by a version that knew fewer
    statuses, copied into one that knows them all, in the same transaction (SQLite cannot
    change a CHECK in place)."""
    table = _TABLE.replace("{statuses}", ", ".join(f"'{status}'" for status in STATUSES))
    create_schema(db, _INDEXES, upgrade=lambda db: _upgrade(db, table))


def _upgrade(db: sqlite3.Connection, table: str) -> None:
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'edits'").fetchone()
    if row is None:
        db.execute(table.replace("{name}", "edits"))
        return
    columns = _COLUMNS if "batch" in row[0] else _FIRST_COLUMNS
    if f"'{STATUSES[-1]}'" not in row[0]:
        db.execute(table.replace("{name}", "edits_upgraded"))
        db.execute(f"INSERT INTO edits_upgraded ({columns}) SELECT {columns} FROM edits")
        db.execute("DROP TABLE edits")
        db.execute("ALTER TABLE edits_upgraded RENAME TO edits")
    elif columns == _FIRST_COLUMNS:  # made before replacements were saved as one
        db.execute("ALTER TABLE edits ADD COLUMN batch TEXT")


def read_edits(out_dir: Path) -> list[Edit]:
    """Every edit in the output folder, oldest first (none when there is no edit store)."""
    if not (Path(out_dir) / EDITS_FILE).is_file():
        return []
    store = EditStore(out_dir)
    try:
        return store.all()
    finally:
        store.close()


class ReviewMemory:
    """The edits a run applies: each record's own latest edit while it still fits, else the
    latest edit of the same source sentence anywhere (a translation memory), unless
    propagation is off."""

    def __init__(self, edits: Iterable[Edit], *, propagate: bool = True):
        self._by_record: dict[str, Edit] = {}
        self._by_source: dict[tuple[str, str], Edit] = {}
        for edit in edits:  # oldest first: later edits replace earlier ones
            self._by_record[edit.record_id] = edit
            if edit.status == EDITED:
                self._by_source[(edit.src_lang, edit.src_text)] = edit
        self.propagate = propagate

    def __bool__(self) -> bool:
        return bool(self._by_record)

    def review_for(self, record: dict) -> tuple[Edit, str | None] | None:
        """The edit to apply to ``record`` and, when it comes from another record, that record's id."""
        own = self._by_record.get(record["record_id"])
        if own is not None and own.made_against(record):
            return own, None
        if self.propagate:
            shared = self._by_source.get((record["src_lang"], record["src_text"]))
            if shared is not None and shared.record_id != record["record_id"]:
                return shared, shared.record_id
        return None

    def sources(self) -> set[tuple[str, str]]:
        return {(edit.src_lang, edit.src_text) for edit in self._by_record.values()}


def stale_edits(edits: Iterable[Edit], records: Iterable[dict]) -> list[Edit]:
    """The latest edits that no record of the corpus fits any more: their source sentence
    or engine output changed (or the record is gone). They are kept, for a new look."""
    latest = {edit.record_id: edit for edit in edits}
    fitting = {r["record_id"] for r in records if r["record_id"] in latest and latest[r["record_id"]].made_against(r)}
    return [edit for record_id, edit in sorted(latest.items()) if record_id not in fitting]


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
