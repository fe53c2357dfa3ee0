"""A search index of one snapshot: SQLite FTS5 over source and English, with the per-record
facts the documents page filters on. Built once per snapshot, beside it, so a large corpus
answers in milliseconds; a new snapshot gets a new index and the old one is removed."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ..qa.flags import FAMILIES, family
from ..reader import Corpus

INDEX_DIR = "review-index"
PAGE_SIZE = 50
COUNT_LIMIT = 10_000

_SCHEMA = """
CREATE TABLE documents (doc_id TEXT PRIMARY KEY, language TEXT, sentences INTEGER, reviewed INTEGER, flagged INTEGER);
CREATE TABLE records (rowid INTEGER PRIMARY KEY, record_id TEXT, doc_id TEXT, seg_index INTEGER, src_lang TEXT,
                      reviewed INTEGER);
CREATE TABLE record_flags (rowid INTEGER, flag TEXT, kind TEXT);
CREATE TABLE record_terms (rowid INTEGER, term TEXT);
CREATE VIRTUAL TABLE search USING fts5(src_text, en_text, tokenize = 'unicode61 remove_diacritics 2');
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
    src: str
    en: str


def index_path(corpus: Corpus) -> Path:
    return corpus.path / INDEX_DIR / (corpus.manifest["snapshot"].replace("/", "-") + ".sqlite3")


def open_index(corpus: Corpus) -> sqlite3.Connection:
    """The index of the corpus's current snapshot, built if it is not there yet."""
    path = index_path(corpus)
    if not path.is_file():
        folder = path.parent
        folder.mkdir(exist_ok=True)
        partial = folder / f".{path.name}.{os.getpid()}.part"
        partial.unlink(missing_ok=True)
        try:
            _build(corpus, partial)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, path)
        for other in folder.glob("*.sqlite3"):
            if other != path:
                other.unlink(missing_ok=True)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def _build(corpus: Corpus, path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        _fill(corpus, db)


def _fill(corpus: Corpus, db: sqlite3.Connection) -> None:
    db.executescript(_SCHEMA)
    per_doc: dict[str, list[int]] = {}
    for rowid, record in enumerate(corpus.records(), start=1):
        reviewed = int(record.get("review") is not None)
        db.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)",
                   (rowid, record["record_id"], record["doc_id"], record["seg_index"], record["src_lang"], reviewed))
        db.execute("INSERT INTO search (rowid, src_text, en_text) VALUES (?, ?, ?)", (rowid, record["src_text"], record["en_text"]))
        db.executemany("INSERT INTO record_flags VALUES (?, ?, ?)", [(rowid, f, family(f)) for f in record["qa"]])
        db.executemany("INSERT INTO record_terms VALUES (?, ?)", [(rowid, t) for t in record["terms"]])
        counts = per_doc.setdefault(record["doc_id"], [0, 0, 0])
        counts[0] += 1
        counts[1] += reviewed
        counts[2] += bool(record["qa"])
    languages = {d["doc_id"]: d["language"] for d in corpus.documents}
    db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?)",
                   [(doc, languages.get(doc, ""), *counts) for doc, counts in per_doc.items()])
    db.executescript("CREATE INDEX flags_kind ON record_flags (kind, rowid); CREATE INDEX terms_term ON record_terms (term, rowid);"
                     "CREATE INDEX records_doc ON records (doc_id);")
    db.commit()


def find_documents(db: sqlite3.Connection, *, language: str = "", flag: str = "", term: str = "", status: str = "",
                   page: int = 1) -> tuple[list[DocumentRow], int]:
    """Documents with the language, with a record carrying the QA flag kind or the term, and
    in the review status (reviewed, partly, unreviewed); a page of them and the total."""
    where, params = ["1 = 1"], []
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
    """Records whose source or English holds every word of ``text``, in corpus order; a page
    of them and how many there are, counted up to COUNT_LIMIT + 1 (a common word matches most
    of a large corpus, and counting or ranking all of it would cost seconds)."""
    words = [w.replace('"', '""') for w in text.split()]
    if not words:
        return [], 0
    query = " ".join(f'"{w}"' for w in words)  # each word as a phrase: no FTS syntax from the user
    total = db.execute("SELECT COUNT(*) FROM (SELECT 1 FROM search WHERE search MATCH ? LIMIT ?)",
                       (query, COUNT_LIMIT + 1)).fetchone()[0]
    rows = db.execute(
        "SELECT r.record_id, r.doc_id, r.seg_index, snippet(search, 0, '\x02', '\x03', '…', 16), "
        "snippet(search, 1, '\x02', '\x03', '…', 16) FROM search JOIN records r ON r.rowid = search.rowid "
        "WHERE search MATCH ? ORDER BY search.rowid LIMIT ? OFFSET ?",
        (query, PAGE_SIZE, (max(page, 1) - 1) * PAGE_SIZE)).fetchall()
    return [Hit(*row) for row in rows], total


def facets(db: sqlite3.Connection) -> dict[str, list[str]]:
    """The values the documents page offers in its filters."""
    return {
        "languages": [r[0] for r in db.execute("SELECT DISTINCT language FROM documents ORDER BY 1")],
        "flags": list(dict.fromkeys([*FAMILIES, *(r[0] for r in db.execute("SELECT DISTINCT kind FROM record_flags ORDER BY 1"))])),
        "terms": [r[0] for r in db.execute("SELECT DISTINCT term FROM record_terms ORDER BY 1")],
    }
