"""Benchmark workloads cut from the sample corpus: new sentences recombined from its clauses."""

from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

from reportmt.documents import prepare_document

SENTENCES_PER_PARAGRAPH = 5
PARAGRAPHS_PER_DOCUMENT = 4
_CLAUSE_BREAK = re.compile(r",\s+|;\s+|\s+und\s+|\s+and\s+")


def _segmented(corpus: Path) -> list[tuple[str, list[str]]]:
    """(document language, sentences) of every file, as reportmt segments them."""
    with tempfile.TemporaryDirectory() as work:
        docs = [prepare_document(path, corpus, Path(work)) for path in sorted(corpus.iterdir())]
        return [(doc.language, [s.text for s in doc.sentences()]) for doc in docs]


def _clauses(corpus: Path, language: str) -> list[str]:
    clauses = []
    for doc_language, sentences in _segmented(corpus):
        if doc_language != language:
            continue
        for sentence in sentences:
            for clause in _CLAUSE_BREAK.split(sentence.rstrip(".!?:")):
                if len(clause.split()) >= 3:
                    clauses.append(clause.strip())
    return clauses


def _sentences(clauses: list[str], count: int, joiner: str, seed: int) -> list[str]:
    """``count`` distinct sentences of one to three clauses each, the same for the same seed."""
    rng = random.Random(seed)
    seen: set[str] = set()
    sentences: list[str] = []
    while len(sentences) < count:
        parts = rng.sample(clauses, rng.randint(1, 3))
        text = joiner.join(parts)
        text = text[0].upper() + text[1:] + "."
        if text not in seen:
            seen.add(text)
            sentences.append(text)
    return sentences


def german_documents(corpus: Path, out_dir: Path, count: int, seed: int = 0,
                     per_document: int = SENTENCES_PER_PARAGRAPH * PARAGRAPHS_PER_DOCUMENT) -> list[str]:
    """Write the German workload as documents of paragraphs, ``per_document`` sentences
    each; returns the sentences reportmt segments from them (the exact input every engine gets)."""
    sentences = _sentences(_clauses(corpus, "de"), count, ", ", seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, len(sentences), per_document)):
        chunk = sentences[start : start + per_document]
        paragraphs = [" ".join(chunk[i : i + SENTENCES_PER_PARAGRAPH]) for i in range(0, len(chunk), SENTENCES_PER_PARAGRAPH)]
        (out_dir / f"bericht-{number:04d}.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    return list(dict.fromkeys(text for _, sentences in _segmented(out_dir) for text in sentences))


def english_workload(corpus: Path, count: int, seed: int = 0) -> list[str]:
    return _sentences(_clauses(corpus, "en"), count, ", ", seed)


def german_workload(corpus: Path, count: int, seed: int = 0) -> list[str]:
    return _sentences(_clauses(corpus, "de"), count, ", ", seed)
