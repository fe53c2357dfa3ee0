"""An English side in a third language (French for a German source, Spanish, Dutch), told by
the identification the sources use (reportmt.language): function words first, lingua only
where they leave the English in doubt. The source's own language is `untranslated`'s."""

from __future__ import annotations

from ..language import UNDETERMINED, detect_language, function_word_counts
from .names import lexicon
from .pair import Pair
from .words import words

MIN_WORDS = 5  # shorter lines (headings, names) are too short to tell
PLAINLY_ENGLISH = 3  # English function words that settle it, when no other language has as many
# Or this share of its words of four letters or more are English words: a heading with few
# function words ("Direction of implementing solutions") needs no statistical model.
ENGLISH_WORD_SHARE = 0.75


def third_language(pair: Pair) -> list[str]:
    if len(words(pair.english)) < MIN_WORDS:
        return []
    counts = function_word_counts(pair.english)
    english = counts.pop("en", 0)
    others = counts.most_common(1)
    if english >= PLAINLY_ENGLISH and (not others or others[0][1] * 2 <= english) or _english_words(pair.english):
        return []
    language = detect_language(pair.english).code
    return [language] if language not in ("en", UNDETERMINED, pair.src_lang) else []


def _english_words(text: str) -> bool:
    long_words = [word.lower() for word in words(text) if len(word) >= 4 and word.isalpha()]
    known = sum(word in lexicon("en") for word in long_words)
    return bool(long_words) and known >= ENGLISH_WORD_SHARE * len(long_words)
