"""Sentence splitting with pysbd's rule sets (German, French and English abbreviations)."""

from __future__ import annotations

import re
import threading

import pysbd

from .languages import SUPPORTED

# pysbd splits after these before a number ("Cluster No. II", "Nr. 5", "p. 12"); the
# abbreviation lists it ships do not cover them.
_NUMBER_ABBREVIATION = re.compile(r"(?:\b(?:No|Nr|Nos|p|pp|S|Art|Abs|art|n°|N°))\.\s*$")
_STARTS_WITH_NUMBER = re.compile(r"^(?:\d|[IVXLC]+\b)")


SEGMENT_WINDOW = 10_000

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
    pysbd's time grows faster than the text, so a long paragraph is given to it in windows
    of SEGMENT_WINDOW characters; the last sentence of a window is segmented again at the
    start of the next one, since it may go on past the window's end.
    """
    text = paragraph.strip()
    segmenter = _segmenter(lang if lang in SUPPORTED else "en")
    sentences: list[str] = []
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= SEGMENT_WINDOW else _last_space(text, start, start + SEGMENT_WINDOW)
        starts = _sentence_starts(segmenter, text[start:end])
        if end < len(text) and len(starts) > 1:
            end = start + starts.pop()
        for piece_start, piece_end in zip(starts, [*starts[1:], end - start]):
            _append(sentences, text[start + piece_start : start + piece_end].strip())
        start = end
    return sentences


def _sentence_starts(segmenter: pysbd.Segmenter, text: str) -> list[int]:
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
    return starts


def _append(sentences: list[str], piece: str) -> None:
    if not piece:
        return
    if sentences and _NUMBER_ABBREVIATION.search(sentences[-1]) and _STARTS_WITH_NUMBER.match(piece):
        sentences[-1] = f"{sentences[-1]} {piece}"
    else:
        sentences.append(piece)


def _last_space(text: str, start: int, limit: int) -> int:
    """Where to end a window: after the last space before ``limit`` (at ``limit`` if none)."""
    cut = text.rfind(" ", start + 1, limit)
    return cut + 1 if cut > start else limit
