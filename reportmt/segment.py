"""Sentence splitting with pysbd's rule sets (German, French and English abbreviations)."""

from __future__ import annotations

import re
import threading

import pysbd

SEGMENTER_LANGUAGES = ("en", "de", "fr")

# pysbd splits after these before a number ("Cluster No. II", "Nr. 5", "p. 12"); the
# abbreviation lists it ships do not cover them.
_NUMBER_ABBREVIATION = re.compile(r"(?:\b(?:No|Nr|Nos|p|pp|S|Art|Abs|art|n°|N°))\.\s*$")
_STARTS_WITH_NUMBER = re.compile(r"^(?:\d|[IVXLC]+\b)")


_per_thread = threading.local()


def _segmenter(lang: str) -> pysbd.Segmenter:
    """pysbd keeps the text being split on the Segmenter, so each thread needs its own."""
    segmenters = _per_thread.__dict__.setdefault("segmenters", {})
    if lang not in segmenters:
        segmenters[lang] = pysbd.Segmenter(language=lang, clean=False)
    return segmenters[lang]


def split_sentences(paragraph: str, lang: str) -> list[str]:
    """Sentences of one paragraph, stripped; joined with spaces they give back the paragraph.

    pysbd only proposes where sentences start: the sentences are cut from the original
    text, because pysbd's own output can drop or alter characters ("?.!!" becomes "?.").
    """
    text = paragraph.strip()
    if not text:
        return []
    segmenter = _segmenter(lang if lang in SEGMENTER_LANGUAGES else "en")
    starts = [0]
    cursor = 0
    for piece in segmenter.segment(text):
        piece = piece.strip()
        position = text.find(piece, cursor) if piece else -1
        if position < 0:
            continue
        if position > starts[-1]:
            starts.append(position)
        cursor = position + len(piece)
    sentences: list[str] = []
    for start, end in zip(starts, [*starts[1:], len(text)]):
        piece = text[start:end].strip()
        if not piece:
            continue
        if sentences and _NUMBER_ABBREVIATION.search(sentences[-1]) and _STARTS_WITH_NUMBER.match(piece):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences
