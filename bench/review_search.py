"""The review workspace on a large corpus and a grown edit store: building the per-snapshot
search index, then every page through the application itself (the documents page's
searches, filters and pages; a document; a sentence's history; Terms and Suggestions once
their figures are computed; a term's concordance; the preview of a corpus-wide replacement),
and a document page while the slowest page is requested again and again from another thread."""

from __future__ import annotations

import random
import sqlite3
import statistics
import threading
import time
from contextlib import closing
from pathlib import Path

from bench.workload import english_workload, german_workload

RECORDS_PER_DOCUMENT = 500
QUERIES = [
    "?q=Politburo",  # a glossary term in many records
    "?q=the",  # the most common word: the worst count and ranking
    "?q=Politburo+Standing+Committee",
    "?q=Zentralkomitee",  # source side
    "?q=nothingmatchesthis",
    "?q=the&page=400",  # deep page
    "?language=de",
    "?flag=term_missing",
    "?term=Politburo&status=unreviewed",
    "?flag=term_missing&language=en&page=3",
]


def measure(repo: Path, work: Path, count: int) -> tuple[list[tuple[str, str]], dict[str, float]]:
    from starlette.testclient import TestClient

    from reportmt import search_index
    from reportmt.reader import Corpus
    from reportmt.review.app import create_app
    from reportmt.review.identities import OneReviewer

    out = work / "review-corpus"
    started = time.perf_counter()
    documents = write_corpus(repo, work, out, count)
    written = time.perf_counter() - started
    started = time.perf_counter()
    search_index.open_index(Corpus(out)).close()
    built = time.perf_counter() - started

    edits = write_edits(out, count, documents)
    app = create_app(out, OneReviewer("bench", None))
    client = TestClient(app, base_url="http://127.0.0.1")
    started = time.perf_counter()
    while app.state.workspace.figures.latest is None:  # computed in the background from the start
        time.sleep(0.5)
    figures = time.perf_counter() - started
    middle = f"report-{documents // 2:06d}.txt"
    pages = ["/" + query for query in QUERIES] + [
        f"/documents/{middle}", f"/documents/{middle}?show=flagged", f"/records/{documents // 2:06d}000007?doc={middle}",
        "/terms", "/suggestions", "/concordance?term=Politburo", "/replace?find=Politburo&replace=Political+Bureau"]
    seconds = {page: _median_seconds(client, page) for page in pages}
    slowest = max(seconds, key=seconds.get)
    behind = _while_requested(app, slowest, f"/documents/{middle}")
    rows = [("workspace corpus", f"{count} records in {documents} documents (written in {written:.0f}s), {edits} stored edits"),
            ("workspace index build", f"{built:.1f}s ({count / built:,.0f} records/s)"),
            ("workspace Terms and Suggestions figures", f"{figures:.0f}s after the start, in the background")]
    rows += [(f"workspace page {page}", f"{value * 1000:.0f} ms") for page, value in seconds.items()]
    rows.append((f"workspace page /documents/{middle} while {slowest} is requested", f"{behind * 1000:.0f} ms (target <= 300 ms)"))
    results = {"review_records": count, "review_edits": edits, "review_index_seconds": round(built, 1),
               "review_figures_seconds": round(figures, 1),
               "review_page_median_seconds": round(statistics.median(seconds.values()), 3),
               "review_page_max_seconds": round(seconds[slowest], 3), "review_page_behind_slowest_seconds": round(behind, 3)}
    return rows, results


def _median_seconds(client, page: str) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(page)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (page, response.status_code)
    return statistics.median(times)


def _while_requested(app, slow: str, page: str) -> float:
    """``page``'s median time while another client requests ``slow`` over and over."""
    from starlette.testclient import TestClient

    stop = threading.Event()

    def hammer():
        with TestClient(app, base_url="http://127.0.0.1") as other:
            while not stop.is_set():
                other.get(slow)

    thread = threading.Thread(target=hammer)
    thread.start()
    try:
        time.sleep(0.5)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            return _median_seconds(client, page)
    finally:
        stop.set()
        thread.join()


def write_edits(out: Path, count: int, documents: int) -> int:
    """As many stored edits as records (an edit store grown by use): every record edited
    once, all after the snapshot (pending: the most a page can have to count), written
    straight into the store's table (a million saves through the workspace would take hours)."""
    from reportmt.edits import EditStore

    EditStore(out).close()  # the table, as the workspace makes it
    rows = ((f"{number // RECORDS_PER_DOCUMENT:06d}{number % RECORDS_PER_DOCUMENT:06d}",
             f"report-{number // RECORDS_PER_DOCUMENT:06d}.txt", "de", "Satz.", "Sentence.", "Sentence.", "A sentence.",
             "edited", f"reviewer-{number % 7}", "2026-01-01T00:00:00+00:00") for number in range(count))
    with closing(sqlite3.connect(out / "edits.sqlite3")) as db, db:
        db.executemany("INSERT INTO edits (record_id, doc_id, src_lang, src_text, mt_text, en_before, en_after, status, "
                       "reviewer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return count


def write_corpus(repo: Path, work: Path, out: Path, count: int) -> int:
    """A normalized corpus of ``count`` records: English, German and French sentences cut
    from the sample corpus, some flagged, reviewed or carrying glossary terms."""
    from reportmt.edits import Review
    from reportmt.glossary import Normalizer, load_glossary
    from reportmt.records import CorpusRecord
    from reportmt.snapshot_info import build_info
    from reportmt.snapshots import Change, SnapshotWriter

    normalizer = Normalizer(load_glossary())
    english = english_workload(repo / "corpus", 3000)
    german = german_workload(repo / "corpus", 3000)
    rng = random.Random(0)
    writer = SnapshotWriter(out)
    entries = []
    documents = -(-count // RECORDS_PER_DOCUMENT)
    for number in range(documents):
        language = ("de", "en", "fr")[number % 3]
        doc_id = f"report-{number:06d}.txt"
        size = min(RECORDS_PER_DOCUMENT, count - number * RECORDS_PER_DOCUMENT)

        def records(number=number, doc_id=doc_id, language=language, size=size):
            for seg in range(size):
                english_text = english[rng.randrange(len(english))]
                source = english_text if language == "en" else german[rng.randrange(len(german))]
                normalized = normalizer.normalize(english_text)
                flags = ("term_missing:politburo",) if seg % 37 == 0 else ()
                yield CorpusRecord(
                    record_id=f"{number:06d}{seg:06d}", doc_id=doc_id, seg_index=seg, paragraph=seg // 5, block="paragraph",
                    page=None, src_lang=language,
                    src_text=source, mt_text=None if language == "en" else english_text, en_text=normalized.text,
                    terms=tuple(sorted({m.canonical for m in normalized.matches})), qa=flags, model=None,
                    glossary_version="bench", source_sha256="0" * 64,
                    review=Review("accepted", "bench", "2026-01-01T00:00:00Z", 1) if seg % 11 == 0 else None)

        entries.append(writer.write_document({"doc_id": doc_id, "language": language, "source_sha256": "0" * 64}, records()))
    writer.commit(Change(entries, None, time.time()),
                  build_info(entries=entries, glossary_version="bench", pending=[], failed=[], deferred=[], duplicates=[], run={}))
    return documents
