"""Dropped text: an empty output, an output much shorter than its source (the floor is set
per language pair on the project's own pairs, tests/data/qa), or one that stops part-way."""

from __future__ import annotations

from .pair import Pair

# English characters per source character below which text is missing. The correct pairs
# of 60 characters or more in tests/data/qa run from 0.64 to 1.17 (German, 43 pairs) and
# from 0.71 to 1.11 (French, 28 pairs).
RATIO_FLOOR = {"de": 0.6, "fr": 0.58}
MIN_SOURCE_CHARS = 60  # shorter lines (names, headings, figures) vary too much
PART_WAY = 0.85  # an English that lacks the source's final stop and is this much shorter stopped part-way
_SENTENCE_STOPS = ".!?…"
_CLOSERS = "\"'”»)]"


def omission(pair: Pair) -> list[str]:
    """What is missing from the English."""
    source, english = pair.source, pair.english
    if not english.strip():
        return ["empty"] if source.strip() else []
    if len(source) < MIN_SOURCE_CHARS:
        return []
    ratio = len(english) / len(source)
    if ratio < RATIO_FLOOR.get(pair.src_lang, 0.5):
        return [f"{ratio:.2f} of the source's length"]
    if _ends_a_sentence(source) and not _ends_a_sentence(english) and ratio < PART_WAY:
        return ["stops part-way"]
    return []


def _ends_a_sentence(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSERS)[-1:] in _SENTENCE_STOPS
