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
# Or this share of its words of four letters or more are English words (or the source
# language's, which is untranslated's to say): a heading with few function words
# ("Direction of implementing solutions") needs no statistical model.
WORD_SHARE = 0.75


def third_language(pair: Pair) -> list[str]:
    if len(words(pair.english)) < MIN_WORDS:
        return []
    counts = function_word_counts(pair.english)
    english = counts.pop("en", 0)
    others = counts.most_common(1)
    if english >= PLAINLY_ENGLISH and (not others or others[0][1] * 2 <= english):
        return []
    if others and others[0][0] == pair.src_lang and others[0][1] >= PLAINLY_ENGLISH and others[0][1] > english:
        return []  # the source's language: untranslated's to say
    if _mostly_words_of(pair.english, "en") or _mostly_words_of(pair.english, pair.src_lang):
        return []
    language = detect_language(pair.english).code
    return [language] if language not in ("en", UNDETERMINED, pair.src_lang) else []


def _mostly_words_of(text: str, lang: str) -> bool:
    long_words = [word.lower() for word in words(text) if len(word) >= 4 and word.isalpha()]
    known = sum(word in lexicon(lang) for word in long_words)
    return bool(long_words) and known >= WORD_SHARE * len(long_words)
