"""Language identification: lingua (offline statistical models shipped in the wheel), asked
only where the answer is in doubt.

lingua is accurate and slow (milliseconds per paragraph). Most text needs no detector:
a paragraph full of one language's function words, and free of every other candidate
language's, is in that language. A document's language is decided that way on its first
body text when the function words are overwhelming, and a paragraph is given to lingua
only when its function words do not plainly belong to its document's language.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# The languages a report in this corpus could plausibly be written in; the pipeline
# translates de and fr, keeps en, and reports every other language as unsupported.
_CANDIDATES = (
    Language.GERMAN,
    Language.FRENCH,
    Language.ENGLISH,
    Language.SPANISH,
    Language.ITALIAN,
    Language.PORTUGUESE,
    Language.DUTCH,
    Language.VIETNAMESE,
    Language.POLISH,
    Language.RUSSIAN,
    Language.CHINESE,
)
UNDETERMINED = "und"
_MIN_CONFIDENCE = 0.5

# Frequent function words of the candidate languages. A word listed for two languages
# ("das": German and Portuguese; "in", "die", "de") counts for neither: only words that
# belong to one language are evidence.
_FUNCTION_WORDS = {
    "de": "der die das und ist nicht ein eine zu den von mit sich auf für im dem auch werden aus hat dass nach wird bei "
          "einer sind noch wie einem über zum kann nur vor zur durch oder unter wurde wurden haben sowie diese dieser des "
          "es am um so will was",
    "fr": "le les et est une du que qui dans pour pas au sur par ne ce il plus avec sont ont aux été cette leur mais où "
          "elle ils nous lors ainsi selon entre des la en qu non",
    "en": "the and of to is that for it as with be by on not are from at this have has which were been their its also "
          "will would they there these than into an in was so",
    "es": "el los las y del por con para una es lo como más pero sus al entre fue está que de la en se le",
    "it": "il di che della per non sono gli nel delle alla dei anche più questo una con la le",
    "pt": "os não uma com para do da em dos das ao pelo pela foi são que de se",
    "nl": "het een van en niet dat zijn voor op ook met aan wordt worden heeft is de die",
    "pl": "i w nie na się z że do jest to jak od za po tym",
    "ru": "и в не на что с по это как он из за от но",
    "vi": "của và các là được trong có những cho với không này đã người",
}
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _exclusive_words() -> dict[str, str]:
    owners = Counter(word for words in _FUNCTION_WORDS.values() for word in set(words.split()))
    return {word: lang for lang, words in _FUNCTION_WORDS.items() for word in words.split() if owners[word] == 1}


@cache
def function_words(language: str) -> frozenset[str]:
    """The language's frequent function words ("der", "le", "the")."""
    return frozenset(_FUNCTION_WORDS.get(language, "").split())


def function_word_owner(word: str) -> str | None:
    """The language whose function word a lowercase word is, when it is only one's."""
    return _exclusive_words().get(word)


def function_word_counts(text: str) -> Counter:
    """How many of the text's words are function words of each language (exclusive ones only)."""
    owner = _exclusive_words()
    return Counter(owner[w] for w in _WORD.findall(text.lower()) if w in owner)


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    confidence: float


# lingua's low accuracy mode reads trigrams only: as right on text this long, and its
# models load in a twentieth of the time (0.07 s against 1.6 s), which a run that reads one
# new report would otherwise spend. Shorter text gets every n-gram model.
LONG_TEXT_CHARS = 120


@lru_cache(maxsize=2)
def _detector(long_text: bool) -> LanguageDetector:
    builder = LanguageDetectorBuilder.from_languages(*_CANDIDATES)
    return (builder.with_low_accuracy_mode() if long_text else builder).build()


def detect_language(text: str, *, trigrams_only: bool = False) -> LanguageGuess:
    """ISO 639-1 code of the text's language, or "und" when no language is clear (lingua).
    ``trigrams_only`` reads short text with the low accuracy mode too: fifty times faster, for
    a caller that asks of every translation (reportmt.qa) and only needs a clear case."""
    if not text.strip():
        return LanguageGuess(UNDETERMINED, 0.0)
    values = _detector(trigrams_only or len(text) >= LONG_TEXT_CHARS).compute_language_confidence_values(text)
    if not values or values[0].value < _MIN_CONFIDENCE:
        return LanguageGuess(UNDETERMINED, values[0].value if values else 0.0)
    top = values[0]
    return LanguageGuess(top.language.iso_code_639_1.name.lower(), round(top.value, 4))


# A language's function words decide when they are at least this many, and every other
# language has at most 1/DOMINANCE as many.
DOCUMENT_MIN_WORDS = 12
PARAGRAPH_MIN_WORDS = 3
DOMINANCE = 5


def identify_document(sample: str) -> LanguageGuess:
    """The language of a document from the start of its body: its function words when they
    leave no doubt (confidence: their share), lingua otherwise."""
    counts = function_word_counts(sample)
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] >= DOCUMENT_MIN_WORDS and (len(ranked) == 1 or ranked[0][1] >= DOMINANCE * ranked[1][1]):
        return LanguageGuess(ranked[0][0], round(ranked[0][1] / counts.total(), 4))
    return detect_language(sample)


def is_plainly(text: str, language: str) -> bool:
    """Whether the text's function words leave no doubt that it is in ``language``."""
    counts = function_word_counts(text)
    own = counts.pop(language, 0)
    return own >= PARAGRAPH_MIN_WORDS and all(own >= DOMINANCE * other for other in counts.values())
