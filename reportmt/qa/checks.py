"""The checks of one translation, one family each, each giving the evidence of its flags:
numbers and dates, units and currencies, names and codes, negation, repetition, text left
untranslated, a third language, text dropped, text added."""

from __future__ import annotations

from collections.abc import Callable

from . import addition, names, negation, numbers, omission, output_language, repetition, untranslated
from .flags import (
    ADDITION, NAME_MISSING, NEGATION, NUMBER_MISMATCH, OMISSION, REPETITION, UNIT_MISMATCH, UNTRANSLATED,
    WRONG_LANGUAGE, make_flag,
)
from .pair import Pair

# Records checked by another version of the checks are checked again (without the engine).
CHECKS_VERSION = "3"

Check = Callable[[Pair], list[str]]  # the evidence of each flag of its family; none for a good translation
CHECKS: tuple[tuple[str, Check], ...] = (
    (NUMBER_MISMATCH, numbers.mismatches),
    (UNIT_MISMATCH, numbers.unit_changes),
    (NAME_MISSING, names.missing),
    (NEGATION, negation.flipped),
    (REPETITION, repetition.repeated),
    (UNTRANSLATED, untranslated.untranslated),
    (WRONG_LANGUAGE, output_language.third_language),
    (OMISSION, omission.omission),
    (ADDITION, addition.addition),
)

__all__ = ["CHECKS", "CHECKS_VERSION", "Pair", "check"]


def check(pair: Pair) -> list[str]:
    """The translation's flags, each once, in the order of the families. A copy of the source
    is untranslated and nothing else: its numbers and negations read as the wrong language's."""
    if untranslated.is_copy(pair):
        return [make_flag(UNTRANSLATED, evidence) for evidence in untranslated.untranslated(pair)]
    flags = [make_flag(family, evidence) for family, find in CHECKS for evidence in find(pair)]
    return list(dict.fromkeys(flags))
