"""Repetition loops: a word or phrase said over and over ("the the the", "of the party of
the party"), or a clause or sentence said again further on, as small models do when decoding
runs away, where the source does not."""

from __future__ import annotations

from .pair import Pair
from .words import words

LONGEST = 6  # words in a repeated phrase
SHORT = 2  # phrases up to this long must come three times in a row ("very, very" is English)
SAID_AGAIN = 5  # words: a phrase this long said twice anywhere is a loop; English rarely repeats one


def repeated(pair: Pair) -> list[str]:
    """The English's phrase that repeats in a row, when the source repeats nothing so."""
    english = words(pair.english.casefold())
    phrase = _in_a_row(english) or _said_again(english)
    if phrase is None:
        return []
    source = words(pair.source.casefold())
    return [] if _in_a_row(source) or _said_again(source, SAID_AGAIN - 1) else [phrase]


def _said_again(tokens: tuple[str, ...], size: int = SAID_AGAIN) -> str | None:
    """The first phrase of ``size`` words that comes again after it ends: one pass, a set of phrases."""
    first_end: dict[tuple[str, ...], int] = {}
    for index in range(len(tokens) - size + 1):
        phrase = tokens[index:index + size]
        if phrase in first_end and first_end[phrase] <= index:
            return " ".join(phrase)
        first_end.setdefault(phrase, index + size)
    return None


def _distances(tokens: tuple[str, ...]) -> set[int]:
    """How far apart, up to LONGEST, a word comes again: the only phrase sizes that can repeat in a row."""
    last: dict[str, int] = {}
    found = set()
    for index, word in enumerate(tokens):
        if word in last and index - last[word] <= LONGEST:
            found.add(index - last[word])
        last[word] = index
    return found


def _in_a_row(tokens: tuple[str, ...]) -> str | None:
    """A phrase of ``size`` words said ``times`` times in a row is a stretch where every
    word equals the one ``size`` words on, (times - 1) * size words long."""
    for size in sorted(_distances(tokens)):
        needed = (3 if size <= SHORT else 2) - 1
        run = 0
        for index, (word, later) in enumerate(zip(tokens, tokens[size:])):
            run = run + 1 if word == later else 0
            if run == needed * size:
                phrase = tokens[index - run + 1:index - run + 1 + size]
                if not all(w.isdigit() for w in phrase):
                    return " ".join(phrase)
    return None
