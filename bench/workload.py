"""Benchmark workloads cut from the sample corpus: new sentences recombined from its clauses."""

from __future__ import annotations

import random
import re
from pathlib import Path

from reportmt.documents import prepare_document

SENTENCES_PER_PARAGRAPH = 5
PARAGRAPHS_PER_DOCUMENT = 4
_CLAUSE_BREAK = re.compile(r",\s+|;\s+|\s+und\s+|\s+and\s+")


def _clauses(corpus: Path, language: str) -> list[str]:
    clauses = []
    for path in sorted(corpus.iterdir()):
        doc = prepare_document(path, corpus)
        if doc.language != language:
            continue
        for sentence in doc.sentences:
            for clause in _CLAUSE_BREAK.split(sentence.text.rstrip(".!?:")):
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


def german_documents(corpus: Path, out_dir: Path, count: int, seed: int = 0) -> list[str]:
    """Write the German workload as documents of paragraphs; returns the sentences reportmt
    segments from them (the exact input every engine gets)."""
    sentences = _sentences(_clauses(corpus, "de"), count, ", ", seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    per_document = SENTENCES_PER_PARAGRAPH * PARAGRAPHS_PER_DOCUMENT
    for number, start in enumerate(range(0, len(sentences), per_document)):
        chunk = sentences[start : start + per_document]
        paragraphs = [" ".join(chunk[i : i + SENTENCES_PER_PARAGRAPH]) for i in range(0, len(chunk), SENTENCES_PER_PARAGRAPH)]
        (out_dir / f"bericht-{number:04d}.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    segmented = []
    for path in sorted(out_dir.iterdir()):
        segmented += [s.text for s in prepare_document(path, out_dir).sentences]
    return list(dict.fromkeys(segmented))


def english_workload(corpus: Path, count: int, seed: int = 0) -> list[str]:
    return _sentences(_clauses(corpus, "en"), count, ", ", seed)
