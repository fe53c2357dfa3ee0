"""The glossary: normalization (reportmt's one automaton pass against one regex per term),
and `glossary suggest` over a large corpus."""

from __future__ import annotations

import re
import time
from pathlib import Path

from bench.workload import english_workload


def measure(repo: Path, work: Path, suggest_records: int) -> tuple[list[tuple[str, str]], dict[str, float]]:
    naive, fast = _normalization(repo)
    rows = [("4. glossary: one regex per term, 2000 English sentences", f"{naive:.3f}s"),
            ("4. glossary: reportmt (one automaton pass)", f"{fast:.3f}s")]
    figures = {"normalize_vs_naive": round(naive / fast, 1)}
    if suggest_records:
        seconds, found, memory = _suggest(repo, work, suggest_records)
        rows.append((f"glossary suggest over {suggest_records} records", f"{seconds:.1f}s ({found} suggestions, "
                                                                         f"{memory:.0f} MB peak Python memory)"))
        figures.update(suggest_seconds=round(seconds, 1), suggest_records=suggest_records, suggest_peak_mb=round(memory))
    return rows, figures


def _suggest(repo: Path, work: Path, count: int) -> tuple[float, int, float]:
    """`suggest` streamed over a written corpus: its time, and (in a second pass) the peak of
    Python's allocations, which shows that the corpus is not held in memory (only the counts
    of candidate names)."""
    import tracemalloc

    from bench.review_search import write_corpus
    from reportmt import store
    from reportmt.glossary import load_glossary
    from reportmt.glossary.suggest import suggest
    from reportmt.reader import Corpus

    out = work / "suggest-corpus"
    if not store.has_corpus(out):
        write_corpus(repo, work, out, count)
    started = time.perf_counter()
    found = suggest(Corpus(out).records(), load_glossary())
    seconds = time.perf_counter() - started
    tracemalloc.start()  # a second pass: tracing allocations slows Python down
    suggest(Corpus(out).records(), load_glossary())
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, len(found), peak


def _normalization(repo: Path) -> tuple[float, float]:
    """reportmt's normalizer against a loop of one regex per glossary term, on the same text."""
    from reportmt.glossary import Normalizer, load_glossary
    from reportmt.glossary.forms import english_plural

    normalizer = Normalizer(load_glossary())
    texts = english_workload(repo / "corpus", 2000)
    # The naive way: every term (each canonical form, variant and plural is a term, as in
    # TBX) gets its own regex, applied one after another, longest first.
    naive_terms = []
    for entry in normalizer.glossary.entries:
        if not entry.match_english:
            continue
        forms = [entry.canonical, *entry.variants["en"]]
        plurals = [english_plural(f) for f in forms] if entry.category != "phrase" else []
        naive_terms += [(form, entry.canonical) for form in forms]
        naive_terms += [(form, english_plural(entry.canonical)) for form in plurals]
    naive_terms = [
        (re.compile(rf"\b{re.escape(form)}\b", re.IGNORECASE), canonical)
        for form, canonical in sorted(naive_terms, key=lambda term: -len(term[0]))
    ]

    started = time.perf_counter()
    for text in texts:
        for pattern, canonical in naive_terms:
            text = pattern.sub(canonical, text)
    naive = time.perf_counter() - started
    normalizer.normalize("warm-up: the Politburo")
    started = time.perf_counter()
    for text in texts:
        normalizer.normalize(text)
    fast = time.perf_counter() - started
    return naive, fast
