"""Sentence splitting with pysbd's rule sets (German, French and English abbreviations)."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

SEGMENTER_LANGUAGES = ("en", "de", "fr")

# pysbd splits after these before a number ("Cluster No. II", "Nr. 5", "p. 12"); the
# abbreviation lists it ships do not cover them.
_NUMBER_ABBREVIATION = re.compile(r"(?:\b(?:No|Nr|Nos|p|pp|S|Art|Abs|art|n°|N°))\.\s*$")
_STARTS_WITH_NUMBER = re.compile(r"^(?:\d|[IVXLC]+\b)")


@lru_cache(maxsize=None)
def _segmenter(lang: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=lang, clean=False)


def split_sentences(paragraph: str, lang: str) -> list[str]:
    """Sentences of one paragraph, stripped; joined with spaces they give back the paragraph."""
    text = paragraph.strip()
    if not text:
        return []
    segmenter = _segmenter(lang if lang in SEGMENTER_LANGUAGES else "en")
    sentences: list[str] = []
    for piece in segmenter.segment(text):
        piece = piece.strip()
        if not piece:
            continue
        if sentences and _NUMBER_ABBREVIATION.search(sentences[-1]) and _STARTS_WITH_NUMBER.match(piece):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences
