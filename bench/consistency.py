"""How often a sentence's English depends on the run it was translated in: the workload
translated in one run against the same sentences arriving over ten runs (an incremental
history), on the transformer-base test package. CTranslate2 pads a batch to its longest
input, and the padding can change a sentence's beam search; the translation cache is what
keeps every run after the first consistent."""

from __future__ import annotations

from pathlib import Path

from bench.translation import BEAM_SIZE, build_package
from bench.workload import german_documents

INCREMENTS = 10


def measure(repo: Path, work: Path, sentence_count: int) -> tuple[list[tuple[str, str]], dict[str, float]]:
    from reportmt.translators.argos import ArgosTranslator, DecodingOptions

    sentences = german_documents(repo / "corpus", work / "consistency-corpus", sentence_count)
    engine = ArgosTranslator(build_package(repo, work), DecodingOptions.for_machine(beam_size=BEAM_SIZE))
    fresh = engine.translate(sentences)
    step = -(-len(sentences) // INCREMENTS)
    history = [text for start in range(0, len(sentences), step) for text in engine.translate(sentences[start:start + step])]
    differ = sum(a != b for a, b in zip(fresh, history))
    share = differ / len(sentences)
    rows = [("consistency: one run / ten incremental runs",
             f"{differ} of {len(sentences)} sentences translated differently ({share:.1%})")]
    return rows, {"fresh_vs_incremental_differ": round(share, 4)}
