"""Added text: an English far longer than its source, as when a model invents a clause. The
ceiling is set per language pair on the project's own pairs (tests/data/qa/tuning.tsv)."""

from __future__ import annotations

import re

from .pair import Pair
from .repetition import repeated

# English characters per source character above which text was added. The correct pairs of
# 30 characters or more in tests/data/qa run up to 1.38 (German) and 1.24 (French); a unit
# written out ("km²", "square kilometres") makes the longest.
RATIO_CEILING = {"de": 1.4, "fr": 1.4}
MIN_SOURCE_CHARS = 30  # shorter lines (names, headings, figures) vary too much
# An acronym the source keeps short may be written out in English ("BFS": "the Federal
# Statistical Office (FSO)"): so many characters more are allowed for each.
ACRONYM_ALLOWANCE = 30
# A scale or currency the source abbreviates is written out ("27,5 M€": "€27.5 million").
SCALE_ALLOWANCE = 10
_SHORT_SCALE = re.compile(r"(?<=\d)\s?(?:M€|Md€|Mds|Mrd\.?|Mio\.?|Md|k€|Tsd\.|Fr\.|CHF)(?!\w)")
_ACRONYM = re.compile(r"(?<!\w)(?=\w*[A-ZÄÖÜ]\w*[A-ZÄÖÜ])[A-Za-zÄÖÜäöü]{2,7}(?!\w)")
# A sentence ends where a stop is followed by a capital; not after an abbreviation ("p.m.", "Dr.").
_SENTENCE_END = re.compile(r"(?P<word>[\w.]+)[.!?]\s+(?=[A-ZÄÖÜÉÈ])")
_ABBREVIATIONS = frozenset("mr ms mrs dr no st nr mme abs art prof bzw ca etc vol".split())


def addition(pair: Pair) -> list[str]:
    """How the English is longer than its source: a sentence more, or far more characters.
    A runaway repetition is repetition's, not an addition."""
    if len(pair.source) < MIN_SOURCE_CHARS:
        return []
    if _stops(pair.english) > _stops(pair.source) and _sentence_ends(pair.english) > _sentence_ends(pair.source):
        found = ["a sentence more than the source"]
    elif (ceiling := RATIO_CEILING.get(pair.src_lang, 1.4) * len(pair.source)) < len(pair.english) and (
            ceiling + _allowance(pair.source) < len(pair.english)):  # the allowance read only when it matters
        found = [f"{len(pair.english) / len(pair.source):.2f} times the source's length"]
    else:
        return []
    return [] if repeated(pair) else found


def _allowance(source: str) -> int:
    return ACRONYM_ALLOWANCE * len(_ACRONYM.findall(source)) + SCALE_ALLOWANCE * len(_SHORT_SCALE.findall(source))


def _stops(text: str) -> int:
    """A cheap bound on the sentence ends: most pairs need no closer look."""
    return text.count(".") + text.count("!") + text.count("?")


def _sentence_ends(text: str) -> int:
    return sum(len(m["word"]) > 1 and "." not in m["word"] and m["word"].lower() not in _ABBREVIATIONS
               for m in _SENTENCE_END.finditer(text))
