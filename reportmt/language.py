"""Language identification with lingua (offline, statistical models shipped in the wheel)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

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


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    confidence: float


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(*_CANDIDATES).build()


def detect_language(text: str) -> LanguageGuess:
    """ISO 639-1 code of the text's language, or "und" when no language is clear."""
    if not text.strip():
        return LanguageGuess(UNDETERMINED, 0.0)
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value < _MIN_CONFIDENCE:
        return LanguageGuess(UNDETERMINED, values[0].value if values else 0.0)
    top = values[0]
    return LanguageGuess(top.language.iso_code_639_1.name.lower(), round(top.value, 4))
