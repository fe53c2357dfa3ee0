"""The review workspace on a large corpus: building the per-snapshot search index, then
answering the documents page (search, filters, pages) through the application itself."""

from __future__ import annotations

import random
import statistics
import time
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

    from reportmt.reader import Corpus
    from reportmt.review import index
    from reportmt.review.app import create_app
    from reportmt.review.identities import OneReviewer

    out = work / "review-corpus"
    started = time.perf_counter()
    documents = write_corpus(repo, work, out, count)
    written = time.perf_counter() - started
    started = time.perf_counter()
    index.open_index(Corpus(out)).close()
    built = time.perf_counter() - started

    client = TestClient(create_app(out, OneReviewer("bench", None)), base_url="http://127.0.0.1")
    seconds = {}
    for query in QUERIES:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            response = client.get("/" + query)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (query, response.status_code)
        seconds[query] = statistics.median(times)
    slowest = max(seconds, key=seconds.get)
    rows = [("workspace corpus", f"{count} records in {documents} documents (written in {written:.0f}s)"),
            ("workspace index build", f"{built:.1f}s ({count / built:,.0f} records/s)")]
    rows += [(f"workspace page /{query}", f"{value * 1000:.0f} ms") for query, value in seconds.items()]
    results = {"review_records": count, "review_index_seconds": round(built, 1),
               "review_page_median_seconds": round(statistics.median(seconds.values()), 3),
               "review_page_max_seconds": round(seconds[slowest], 3)}
    return rows, results


def write_corpus(repo: Path, work: Path, out: Path, count: int) -> int:
    """A normalized corpus of ``count`` records: English, German and French sentences cut
    from the sample corpus, some flagged, reviewed or carrying glossary terms."""
    from reportmt.glossary import Normalizer, load_glossary
    from reportmt.records import CorpusRecord
    from reportmt.snapshots import Change, SnapshotWriter
    from reportmt.store import build_info

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
                    review={"status": "accepted", "reviewer": "bench", "time": "2026-01-01T00:00:00Z", "edit_id": 1}
                    if seg % 11 == 0 else None)

        entries.append(writer.write_document({"doc_id": doc_id, "language": language, "source_sha256": "0" * 64}, records()))
    writer.commit(Change(entries, None, time.time()),
                  build_info(entries=entries, glossary_version="bench", pending=[], failed=[], deferred=[], duplicates=[], run={}))
    return documents
