"""The search index the review workspace reads: SQLite FTS5 over source and English, with the
per-record facts the documents page filters on, so a large corpus answers in milliseconds.

One index per corpus, following its snapshots: built whole once (aside, then renamed into
place as ``index-v2-<snapshot>.sqlite3``), then brought to each new snapshot by deleting and
inserting the documents that changed, in one transaction (WAL: pages keep reading
meanwhile). An index too old to update is replaced by a new whole one, under a new name. The run that commits a
snapshot updates it, and the workspace does in the background; pages only read it. In the
core, so that the flow and the workspace both reach it without importing each other.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from . import store
from .edits import Edit, EditStore
from .layout import INDEX_DIR
from .qa.flags import FAMILIES, family
from .reader import Corpus
from .sqlite import connect, create_schema, immediate_transaction

INDEX_PREFIX = "index-v2-"  # v2: words per document; an index of another version is built again, once
PAGE_SIZE = 50
COUNT_LIMIT = 10_000

_SCHEMA = """
CREATE TABLE state (snapshot TEXT NOT NULL);
CREATE TABLE documents (doc_id TEXT PRIMARY KEY, language TEXT, sentences INTEGER, reviewed INTEGER, flagged INTEGER,
                        words INTEGER, reviewed_words INTEGER);
CREATE TABLE records (rowid INTEGER PRIMARY KEY, record_id TEXT, doc_id TEXT, seg_index INTEGER, src_lang TEXT,
                      reviewed INTEGER);
CREATE TABLE record_flags (rowid INTEGER, flag TEXT, kind TEXT);
CREATE TABLE record_terms (rowid INTEGER, term TEXT);
CREATE VIRTUAL TABLE search USING fts5(src_text, en_text, tokenize = 'unicode61 remove_diacritics 2');
CREATE INDEX flags_kind ON record_flags (kind, rowid);
CREATE INDEX flags_row ON record_flags (rowid);
CREATE INDEX terms_term ON record_terms (term, rowid);
CREATE INDEX terms_row ON record_terms (rowid);
CREATE INDEX records_doc ON records (doc_id, seg_index);
"""


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    language: str
    sentences: int
    reviewed: int
    flagged: int


@dataclass(frozen=True)
class Hit:
    record_id: str
    doc_id: str
    seg_index: int
    src: str  # snippets, the match marked
    en: str
    en_text: str  # the whole English, as the indexed snapshot has it


def index_path(out_dir: Path) -> Path | None:
    """The index in use: the newest whole one; None before the first."""
    return max((out_dir / INDEX_DIR).glob(f"{INDEX_PREFIX}*.sqlite3"), default=None)


def indexed_snapshot(out_dir: Path) -> str | None:
    """The snapshot the index holds; None without an index."""
    path = index_path(out_dir)
    if path is None:
        return None
    try:
        with closing(connect(path, readonly=True)) as db:
            return db.execute("SELECT snapshot FROM state").fetchone()[0]
    except (sqlite3.Error, TypeError):
        return None


def update(corpus: Corpus) -> None:
    """Bring the index to the corpus's snapshot: the changed documents only when the index
    holds a snapshot the catalog still knows, else a whole new index."""
    path = index_path(corpus.path)
    held = indexed_snapshot(corpus.path)
    if held == corpus.snapshot.name:
        return
    delta = store.changes_between(corpus.path, held, corpus.snapshot.name) if held else None
    if path is None or delta is None:
        _build(corpus)
        return
    added, removed = delta
    with closing(_connect(path)) as db, immediate_transaction(db):
        if db.execute("SELECT snapshot FROM state").fetchone()[0] != held:  # another updater was first
            return  # nothing written
        for doc_id in [*removed, *(entry["doc_id"] for entry in added)]:
            _delete_document(db, doc_id)
        for entry in added:
            _insert_document(db, corpus, entry)
        db.execute("UPDATE state SET snapshot = ?", (corpus.snapshot.name,))


def open_index(corpus: Corpus) -> sqlite3.Connection:
    """The index, read-only, as it is: built first if there is none (once per corpus)."""
    if index_path(corpus.path) is None:
        update(corpus)
    return connect(index_path(corpus.path), readonly=True, any_thread=True)


def _connect(path: Path) -> sqlite3.Connection:
    # WAL (as every writable connection): pages read while the index is updated; not
    # durable: an index a power cut set back is brought forward, or built again
    return connect(path, durable=False)


def _build(corpus: Corpus) -> None:
    path = corpus.path / INDEX_DIR / f"{INDEX_PREFIX}{corpus.snapshot.name.replace('/', '-')}.sqlite3"
    path.parent.mkdir(exist_ok=True)
    partial = path.parent / f".{path.name}.{os.getpid()}.part"
    partial.unlink(missing_ok=True)
    try:
        with closing(_connect(partial)) as db:
            create_schema(db, _SCHEMA)
            with immediate_transaction(db):
                for entry in corpus.documents:
                    _insert_document(db, corpus, entry)
                db.execute("INSERT INTO state VALUES (?)", (corpus.snapshot.name,))
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the whole index in the file that is renamed
        os.replace(partial, path)
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
    for older in path.parent.glob("index-*.sqlite3*"):  # pages that have one open read on until they close it
        if not older.name.startswith(path.name):
            older.unlink(missing_ok=True)


def _delete_document(db: sqlite3.Connection, doc_id: str) -> None:
    rowids = [(row[0],) for row in db.execute("SELECT rowid FROM records WHERE doc_id = ?", (doc_id,))]
    for table in ("search", "record_flags", "record_terms", "records"):
        db.executemany(f"DELETE FROM {table} WHERE rowid = ?", rowids)
    db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))


def _insert_document(db: sqlite3.Connection, corpus: Corpus, entry: dict) -> None:
    sentences = reviewed = flagged = words = reviewed_words = 0
    for record in store.read_records(corpus.path, entry):
        reviewed_now = int(record.reviewed)
        record_words = len(record.src_text.split())
        rowid = db.execute("INSERT INTO records (record_id, doc_id, seg_index, src_lang, reviewed) VALUES (?, ?, ?, ?, ?)",
                           (record.record_id, record.doc_id, record.seg_index, record.src_lang, reviewed_now)).lastrowid
        db.execute("INSERT INTO search (rowid, src_text, en_text) VALUES (?, ?, ?)", (rowid, record.src_text, record.en_text))
        db.executemany("INSERT INTO record_flags VALUES (?, ?, ?)", [(rowid, f, family(f)) for f in record.qa])
        db.executemany("INSERT INTO record_terms VALUES (?, ?)", [(rowid, t) for t in record.terms])
        sentences += 1
        reviewed += reviewed_now
        flagged += bool(record.qa)
        words += record_words
        reviewed_words += reviewed_now * record_words
    if sentences:
        db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (entry["doc_id"], entry["language"], sentences, reviewed, flagged, words, reviewed_words))


def find_documents(db: sqlite3.Connection, *, language: str = "", flag: str = "", term: str = "", status: str = "",
                   among: set[str] | None = None, page: int = 1) -> tuple[list[DocumentRow], int]:
    """Documents with the language, with a record carrying the QA flag kind or the term, in
    the review status (reviewed, partly, unreviewed) and, given ``among``, in it; a page of
    them and the total."""
    where, params = ["1 = 1"], []
    if among is not None:
        where.append("d.doc_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(among)))
    if language:
        where.append("d.language = ?")
        params.append(language)
    if flag:
        where.append("d.doc_id IN (SELECT r.doc_id FROM records r JOIN record_flags f ON f.rowid = r.rowid WHERE f.kind = ?)")
        params.append(flag)
    if term:
        where.append("d.doc_id IN (SELECT r.doc_id FROM records r JOIN record_terms t ON t.rowid = r.rowid WHERE t.term = ?)")
        params.append(term)
    if status == "reviewed":
        where.append("d.reviewed = d.sentences")
    elif status == "partly":
        where.append("d.reviewed > 0 AND d.reviewed < d.sentences")
    elif status == "unreviewed":
        where.append("d.reviewed = 0")
    clause = " AND ".join(where)
    total = db.execute(f"SELECT COUNT(*) FROM documents d WHERE {clause}", params).fetchone()[0]
    rows = db.execute(f"SELECT doc_id, language, sentences, reviewed, flagged FROM documents d WHERE {clause} "
                      "ORDER BY doc_id LIMIT ? OFFSET ?", [*params, PAGE_SIZE, (max(page, 1) - 1) * PAGE_SIZE]).fetchall()
    return [DocumentRow(*row) for row in rows], total


def search(db: sqlite3.Connection, text: str, page: int = 1) -> tuple[list[Hit], int]:
    """Records whose source or English holds every word of ``text``, in the order they were
    indexed (a document changed by a later run comes after the others); a page
    of them and how many there are, counted up to COUNT_LIMIT + 1 (a common word matches most
    of a large corpus, and counting or ranking all of it would cost seconds)."""
    query = _phrases(text)
    if not query:
        return [], 0
    total = db.execute("SELECT COUNT(*) FROM (SELECT 1 FROM search WHERE search MATCH ? LIMIT ?)",
                       (query, COUNT_LIMIT + 1)).fetchone()[0]
    rows = db.execute(
        "SELECT r.record_id, r.doc_id, r.seg_index, snippet(search, 0, '\x02', '\x03', '…', 16), "
        "snippet(search, 1, '\x02', '\x03', '…', 16), search.en_text FROM search JOIN records r ON r.rowid = search.rowid "
        "WHERE search MATCH ? ORDER BY search.rowid LIMIT ? OFFSET ?",
        (query, PAGE_SIZE, (max(page, 1) - 1) * PAGE_SIZE)).fetchall()
    return [Hit(*row) for row in rows], total


def only_in_edits(db: sqlite3.Connection, edits: EditStore, text: str, limit: int,
                  found: set[str]) -> list[tuple[Edit, int]]:
    """Up to ``limit`` records, none of ``found``, whose latest edit holds ``text`` (any case)
    while the English before it did not, so that the index cannot find them: what reviewers
    wrote that no snapshot holds yet, each edit with its record's place in its document."""
    holding = [edit for edit in edits.latest_holding(text, limit)
               if edit.record_id not in found and text.lower() not in edit.en_before.lower()]
    places = _places_of(db, (edit.record_id for edit in holding))
    return [(edit, places.get(edit.record_id, 0)) for edit in holding]


def _places_of(db: sqlite3.Connection, record_ids: Iterable[str]) -> dict[str, int]:
    """Each record's place in its document (seg_index), of those the index holds."""
    wanted = sorted(set(record_ids))
    places: dict[str, int] = {}
    for start in range(0, len(wanted), 500):  # SQLite's limit on parameters
        chunk = wanted[start:start + 500]
        places.update(db.execute(f"SELECT record_id, seg_index FROM records WHERE record_id IN ({', '.join('?' * len(chunk))})",
                                 chunk).fetchall())
    return places


def english_with_words(db: sqlite3.Connection, text: str, limit: int) -> list[tuple[str, str, int, str]]:
    """(doc_id, record_id, seg_index, en_text) of up to ``limit`` records whose English holds a
    word beginning with each word of ``text`` ("Committee" finds "Committees" too), in index
    order: the candidates of a corpus-wide replacement, which then looks for the text as written."""
    words = _phrases(text, prefix=True)
    if not words:
        return []
    query = f"en_text : ({words})"  # in the English only
    return db.execute("SELECT r.doc_id, r.record_id, r.seg_index, search.en_text FROM search JOIN records r ON r.rowid = search.rowid "
                      "WHERE search MATCH ? ORDER BY search.rowid LIMIT ?", (query, limit)).fetchall()


@dataclass(frozen=True)
class Occurrence:
    record_id: str
    doc_id: str
    seg_index: int
    src_lang: str
    src_text: str
    en_text: str


def concordance(db: sqlite3.Connection, term: str, page: int = 1) -> tuple[list[Occurrence], int]:
    """The sentences holding a glossary term (canonical form), source and English side by
    side, a page of them in index order, and how many there are (counted up to COUNT_LIMIT + 1)."""
    total = db.execute("SELECT COUNT(*) FROM (SELECT 1 FROM record_terms WHERE term = ? LIMIT ?)",
                       (term, COUNT_LIMIT + 1)).fetchone()[0]
    rows = db.execute(
        "SELECT r.record_id, r.doc_id, r.seg_index, r.src_lang, s.src_text, s.en_text FROM record_terms t "
        "JOIN records r ON r.rowid = t.rowid JOIN search s ON s.rowid = t.rowid WHERE t.term = ? ORDER BY t.rowid LIMIT ? OFFSET ?",
        (term, PAGE_SIZE, (max(page, 1) - 1) * PAGE_SIZE)).fetchall()
    return [Occurrence(*row) for row in rows], total


def progress(db: sqlite3.Connection) -> dict[str, int]:
    """Reviewed sentences and source words of the indexed snapshot, and all of them."""
    row = db.execute("SELECT COALESCE(SUM(reviewed), 0), COALESCE(SUM(sentences), 0), COALESCE(SUM(reviewed_words), 0), "
                     "COALESCE(SUM(words), 0) FROM documents").fetchone()
    return dict(zip(("sentences", "of_sentences", "words", "of_words"), row))


def _phrases(text: str, prefix: bool = False) -> str:
    """``text``'s words as an FTS5 query: each word a quoted phrase (so nothing a user types is
    FTS syntax), every one required; with ``prefix``, each also matches longer words."""
    star = "*" if prefix else ""
    return " ".join('"' + word.replace('"', '""') + '"' + star for word in text.split())


def facets(db: sqlite3.Connection) -> dict[str, list[str]]:
    """The values the documents page offers in its filters."""
    return {
        "languages": [r[0] for r in db.execute("SELECT DISTINCT language FROM documents ORDER BY 1")],
        "flags": list(dict.fromkeys([*FAMILIES, *(r[0] for r in db.execute("SELECT DISTINCT kind FROM record_flags ORDER BY 1"))])),
        "terms": [r[0] for r in db.execute("SELECT DISTINCT term FROM record_terms ORDER BY 1")],
    }
