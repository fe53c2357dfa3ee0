"""Text left in the source language: the output is the source, copies most of its words, is
plainly German or French by its function words (the project's language check), or is so in
part ("half-untranslated"). Linear in the text's length: words are looked up in a set."""

from __future__ import annotations

import re
from functools import lru_cache

from ..language import function_word_counts, function_words, is_plainly
from .names import lexicon, without_addresses
from .pair import Pair
from .words import words

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
MIN_WORDS = 4  # of lowercase words (names left aside) before a copy can be told
COPIED_SHARE = 0.7  # of the English's lowercase words found in the source: copied, not translated
LOOK_CLOSER = 0.3  # below this share the English is not the source nor in its language
PART_MIN_WORDS = 2  # source-language words in the English before part of it is untranslated
FOREIGN_MIN_LETTERS = 4  # shorter words are shared too often ("plan", "hand", "note")
PART_SHARE = 0.5  # ... and as many as this share of its English ones
COPIED_RUN = 3  # words side by side as in the source ("geänderten Öffnungszeiten des") ...
COPIED_RUN_FOREIGN = 2  # ... of which this many are the source language's, not English or names


def untranslated(pair: Pair) -> list[str]:
    """Why the English is not (all) a translation."""
    ours = [word for word in words(pair.english) if word.islower()]
    if len(ours) < MIN_WORDS:
        return _copied_heading(pair)
    theirs = set(words(pair.source.casefold()))
    copied = sum(word in theirs for word in ours) / len(ours)
    if copied < LOOK_CLOSER:
        return _partly(pair)
    if is_copy(pair):
        return ["same as the source"]
    if is_plainly(pair.english, pair.src_lang):
        return [f"reads as {pair.src_lang}"]
    return [f"{copied:.0%} of its words copied"] if copied >= COPIED_SHARE else _partly(pair)


def is_copy(pair: Pair) -> bool:
    """Whether the English (or the engine's output) is the source, punctuation and case aside."""
    return any(_plain(text) == _plain(pair.source) for text in (pair.english, pair.raw) if text) and bool(
        _plain(pair.source))


def _copied_heading(pair: Pair) -> list[str]:
    """A short line copied as it is, with a word of the source language in it."""
    same = _plain(pair.english) == _plain(pair.source)
    if same and any(word.lower() in function_words(pair.src_lang) or _foreign(word.lower(), pair.src_lang, 2)
                    for word in words(pair.english)):
        return ["same as the source"]
    return []


def _partly(pair: Pair) -> list[str]:
    """Words of the source language left in the English: its function words, or its words that
    are not English ones ("Verbesserung", "überwiesen")."""
    counts = function_word_counts(pair.english)
    left = counts[pair.src_lang]
    foreign = sum(_foreign(word.lower(), pair.src_lang) for word in words(pair.english))
    if left >= PART_MIN_WORDS and left >= PART_SHARE * counts["en"] or foreign >= PART_MIN_WORDS:
        return [f"partly {pair.src_lang}"]
    return [f"copied: {run}"] if (run := _copied_run(pair)) else []


def _copied_run(pair: Pair) -> str | None:
    """A stretch of the English copied from the source with words of the source's language in
    it ("Das Gesundheitsamt empfiehlt older people"), not only names, figures or an address."""
    source = _WORD.findall(without_addresses(pair.source).casefold())
    copied = {tuple(source[i:i + COPIED_RUN]) for i in range(len(source) - COPIED_RUN + 1)}
    english = _WORD.findall(without_addresses(pair.english))
    folded = [word.casefold() for word in english]
    start = 0
    while start <= len(english) - COPIED_RUN:
        end = start
        while end <= len(english) - COPIED_RUN and tuple(folded[end:end + COPIED_RUN]) in copied:
            end += 1
        if end == start:
            start += 1
            continue
        run = english[start:end + COPIED_RUN - 1]
        if not any(char.isdigit() for word in run for char in word) and sum(
                _of_the_source(word, pair.src_lang) for word in run) >= COPIED_RUN_FOREIGN:
            return " ".join(run)
        start = end + COPIED_RUN - 1
    return None


def _of_the_source(word: str, lang: str) -> bool:
    """A word of the source's language that English does not share: a lowercase word, or a
    function word at any case ("Das")."""
    lowered = word.lower()
    if lowered in function_words("en") or lowered in lexicon("en"):
        return False
    return lowered in function_words(lang) or word.islower()


def _foreign(word: str, lang: str, shortest: int = FOREIGN_MIN_LETTERS) -> bool:
    return len(word) > shortest and word in lexicon(lang) and word not in lexicon("en")


@lru_cache(maxsize=64)  # both sides, read by the copy test and the check
def _plain(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))
