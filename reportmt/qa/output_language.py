"""An English side in a third language (French for a German source, Spanish, Dutch), told by
the identification the sources use (reportmt.language): function words first, lingua only
where they leave the English in doubt. The source's own language is `untranslated`'s."""

from __future__ import annotations

import re
from collections import Counter

from ..language import UNDETERMINED, detect_language, function_word_counts, function_word_owner, function_words
from .names import lexicon, without_addresses
from .pair import Pair
from .words import words

MIN_WORDS = 5  # shorter lines (headings, names) are too short to tell
PLAINLY_ENGLISH = 3  # English function words that settle it, when no other language has as many
# Or this share of its words of four letters or more are English words (or the source
# language's, which is untranslated's to say): a heading with few function words
# ("Direction of implementing solutions") needs no statistical model.
WORD_SHARE = 0.75
# So many words side by side with this many distinct function words of a third language and
# none of English's: the English switched language part-way ("… examine l'utilisation des …").
STRETCH_WORDS = 6
STRETCH_FUNCTION_WORDS = 2
# ... or this many function words of the project's other source language, or its words that
# English lacks ("le", "à", "sur").
STRETCH_LEXICON_WORDS = 3
_OTHER_SOURCE_LANGUAGE = {"de": "fr", "fr": "de"}
_TOKEN = re.compile(r"\w+")  # as the function word counts split words ("l'utilisation": "l", "utilisation")
FIRST_LOOK_CHARS = 100
_CAPITALIZED_INSIDE = re.compile(r"(?<=[^\W\d_] )[^\W\d_]*[A-Z]\S*")  # a capital after a word: a name


def third_language(pair: Pair) -> list[str]:
    said = words(pair.english)
    if len(said) < MIN_WORDS:
        return []
    if switched := _switched_part_way(said, pair.src_lang):
        return [switched]
    counts = function_word_counts(pair.english)
    english = counts.pop("en", 0)
    others = counts.most_common(1)
    if english >= PLAINLY_ENGLISH and (not others or others[0][1] * 2 <= english):
        return []
    if others and others[0][0] == pair.src_lang and others[0][1] >= PLAINLY_ENGLISH and others[0][1] > english:
        return []  # the source's language: untranslated's to say
    if _mostly_words_of(pair.english, "en") or _mostly_words_of(pair.english, pair.src_lang):
        return []
    # lingua's trigram model only: fifty times faster than every model, and it spares a run the
    # full models' memory (about 220 MB). On the English's start first; a third language found
    # there must be found in the whole English too.
    # Without addresses and names: their letters are no language's ("Nguyen Ngoc Tien" reads as Dutch).
    words_only = _CAPITALIZED_INSIDE.sub(" ", without_addresses(pair.english))
    for text in (words_only[:FIRST_LOOK_CHARS], words_only):
        language = detect_language(text, trigrams_only=True).code
        if language in ("en", UNDETERMINED, pair.src_lang):
            return []
    return [language]


def _mostly_words_of(text: str, lang: str) -> bool:
    long_words = [word.lower() for word in words(text) if len(word) >= 4 and word.isalpha()]
    known = sum(word in lexicon(lang) for word in long_words)
    return bool(long_words) and known >= WORD_SHARE * len(long_words)


def _switched_part_way(said: tuple[str, ...], src_lang: str) -> str | None:
    """A third language that a stretch of the English is in: so many of its function words
    and none of English's among a few words side by side. Each word is looked up once."""
    tokens = [token for word in said for token in _TOKEN.findall(word.lower())]
    owners = [function_word_owner(token) for token in tokens]
    other = _OTHER_SOURCE_LANGUAGE.get(src_lang)
    others = [bool(other) and (token in function_words(other) or token in lexicon(other) and token not in lexicon("en"))
              for token in tokens]
    for start in range(max(1, len(tokens) - STRETCH_WORDS + 1)):
        window = range(start, min(len(tokens), start + STRETCH_WORDS))
        if any(owners[i] == "en" for i in window):
            continue
        distinct = Counter(owner for owner, _ in {(owners[i], tokens[i]) for i in window}  # "per … per" once
                           if owner and owner != src_lang)
        ranked = distinct.most_common(1)
        if ranked and ranked[0][1] >= STRETCH_FUNCTION_WORDS:
            return ranked[0][0]
        if other and len({tokens[i] for i in window if others[i]}) >= STRETCH_LEXICON_WORDS:
            return other
    return None
