"""The checks of one translation, each giving flags of its family with the evidence: the
numbers and dates, the names and codes, repetition, text left untranslated, text dropped."""

from __future__ import annotations

from dataclasses import dataclass

from . import names, numbers
from .flags import NAME_MISSING, NUMBER_MISMATCH, OMISSION, REPETITION, UNTRANSLATED, make_flag
from .omission import omission
from .repetition import repeated_phrase
from .untranslated import untranslated


# Records checked by another version of the checks are checked again (without the engine).
CHECKS_VERSION = "1"


@dataclass(frozen=True)
class Pair:
    """A source sentence and its English, as the checks read them."""

    src_lang: str
    source: str
    english: str  # the final English: normalized, or a reviewer's
    raw: str | None = None  # the engine's output, before the glossary; None for a reviewer's English


def check(pair: Pair) -> list[str]:
    """The translation's flags, each once, in the order of the families."""
    src_lang, source, english = pair.src_lang, pair.source, pair.english
    flags = [make_flag(NUMBER_MISMATCH, form) for form in numbers.mismatches(source, src_lang, english)]
    flags += [make_flag(NAME_MISSING, name) for name in names.missing(source, src_lang, english)]
    if phrase := repeated_phrase(source, english):
        flags.append(make_flag(REPETITION, phrase))
    if why := untranslated(source, src_lang, english, pair.raw):
        flags.append(make_flag(UNTRANSLATED, why))
    if what := omission(source, src_lang, english):
        flags.append(make_flag(OMISSION, what))
    return list(dict.fromkeys(flags))
