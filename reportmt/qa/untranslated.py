"""Text left in the source language: the output is the source, copies most of its words,
or is plainly German or French by its function words (the project's language check)."""

from __future__ import annotations

import re

from ..language import is_plainly
from .words import words

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
MIN_WORDS = 4  # of lowercase words (names left aside) before a copy can be told
COPIED_SHARE = 0.7  # of the English's lowercase words found in the source: copied, not translated
LOOK_CLOSER = 0.3  # below this share the English is not the source nor in its language


def untranslated(source: str, src_lang: str, english: str, raw: str | None) -> str | None:
    """Why the English is not a translation, or None."""
    ours = [word for word in words(english) if word.islower()]
    if len(ours) < MIN_WORDS:
        return None
    folded = source.casefold()
    if sum(word in folded for word in ours) < LOOK_CLOSER * len(ours):  # a first look, counting words inside words
        return None  # most pairs: a translation shares few words with its source
    theirs = set(words(folded))
    copied = sum(w in theirs for w in ours) / len(ours)
    if any(_plain(text) == _plain(source) for text in (english, raw) if text):
        return "same as the source"
    if is_plainly(english, src_lang):
        return f"reads as {src_lang}"
    return f"{copied:.0%} of its words copied" if copied >= COPIED_SHARE else None


def _plain(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))
