"""QA flags as records carry them: a family, and after a colon the evidence
("term_missing:politburo", "number_mismatch:1995", "repetition"). Made and read here only."""

from __future__ import annotations

SEPARATOR = ":"

# Set by the glossary, the engine and reviews.
TERM_MISSING = "term_missing"  # a canonical form the English lacks
REVIEW_VS_GLOSSARY = "review_vs_glossary"  # the glossary would change a human's English
TEST_MODEL_OUTPUT = "test_model_output"  # the English comes from a test package: meaningless
# Set by reading: the source sentence stands on a scanned page that OCR read with low confidence.
OCR_LOW_CONFIDENCE = "ocr_low_confidence"
# Set by the translation checks (reportmt.qa.checks).
NUMBER_MISMATCH = "number_mismatch"  # a number, date, time, scale or fraction changed, dropped or added
UNIT_MISMATCH = "unit_mismatch"  # a number kept with another unit or currency
NAME_MISSING = "name_missing"
NEGATION = "negation"  # the English says no where the source says yes, or the other way round
REPETITION = "repetition"
UNTRANSLATED = "untranslated"  # the English is the source, or partly still in its language
WRONG_LANGUAGE = "wrong_language"  # the English is in a third language
OMISSION = "omission"
ADDITION = "addition"  # the English far longer than its source
CHECK_FAMILIES = (NUMBER_MISMATCH, UNIT_MISMATCH, NAME_MISSING, NEGATION, REPETITION, UNTRANSLATED, WRONG_LANGUAGE,
                  OMISSION, ADDITION)
FAMILIES = (TERM_MISSING, REVIEW_VS_GLOSSARY, TEST_MODEL_OUTPUT, OCR_LOW_CONFIDENCE, *CHECK_FAMILIES)


def make_flag(family: str, evidence: str | None = None) -> str:
    """The flag of ``family``; the evidence (a missing number, a name) after the separator,
    on one line."""
    return f"{family}{SEPARATOR}{' '.join(evidence.split())}" if evidence else family


def family(flag: str) -> str:
    return flag.split(SEPARATOR, 1)[0]


def evidence(flag: str) -> str | None:
    parts = flag.split(SEPARATOR, 1)
    return parts[1] if len(parts) == 2 else None


def matches(flag: str, wanted: str) -> bool:
    """``wanted`` is the flag itself or its family ("term_missing" matches "term_missing:politburo")."""
    return flag == wanted or family(flag) == wanted
