"""Rewriting English text to the canonical forms, and checking translations for source terms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from .entries import Glossary
from .folding import fold
from .matcher import TermMatch, TermMatcher, canonical_form

_OPENING = "\"'“‘„«([ \t\n"
_SENTENCE_END = ".!?…"


@dataclass(frozen=True)
class NormalizedText:
    text: str
    matches: tuple[TermMatch, ...]
    # Where each match's replacement stands in ``text``, in match order.
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def replaced(self) -> tuple[TermMatch, ...]:
        """Matches whose text differed from the canonical form."""
        return tuple(m for m in self.matches if m.matched != m.canonical)


class Normalizer:
    """The glossary compiled once, for English rewriting and source-term detection."""

    def __init__(self, glossary: Glossary):
        self.glossary = glossary
        self._matchers: dict[str, TermMatcher] = {}

    def matcher(self, lang: str) -> TermMatcher:
        if lang not in self._matchers:
            self._matchers[lang] = TermMatcher(self.glossary, lang)
        return self._matchers[lang]

    @cached_property
    def english(self) -> TermMatcher:
        return self.matcher("en")

    def find_terms(self, text: str, lang: str) -> list[TermMatch]:
        return self.matcher(lang).find(text)

    def normalize(self, text: str) -> NormalizedText:
        matches = self.english.find(text)
        if not matches:
            return NormalizedText(text, ())
        pieces: list[str] = []
        spans: list[tuple[int, int]] = []
        cursor = written = 0
        for match in matches:
            replacement = match.canonical
            if replacement[:1].islower() and _starts_sentence(text, match.start):
                replacement = replacement[0].upper() + replacement[1:]
            pieces.append(text[cursor : match.start])
            written += match.start - cursor
            spans.append((written, written + len(replacement)))
            pieces.append(replacement)
            written += len(replacement)
            cursor = match.end
        pieces.append(text[cursor:])
        return NormalizedText("".join(pieces), tuple(matches), tuple(spans))

    def missing_terms(self, source_terms: Sequence[TermMatch], english: str) -> list[str]:
        """Ids of source terms whose canonical English form the translation lacks."""
        folded = fold(english)[0]
        missing: list[str] = []
        for term in source_terms:
            entry = self.glossary.by_id(term.entry_id)
            forms = {fold(canonical_form(entry, plural))[0] for plural in (False, True)}
            if not any(form in folded for form in forms) and term.entry_id not in missing:
                missing.append(term.entry_id)
        return missing


def _starts_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip(_OPENING)
    return not before or before[-1] in _SENTENCE_END
