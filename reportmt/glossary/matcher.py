"""Finding glossary terms in text: one Aho-Corasick pass, leftmost-longest, on word boundaries.

Text is folded before matching (lower case, one space for any run of whitespace, one
apostrophe and one hyphen), with a map back to the original offsets, so a term broken
over a line or typed with a typographic apostrophe is still the same term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from .entries import Glossary, GlossaryEntry
from .folding import fold
from .forms import english_plural, french_forms, german_forms

# Spans in which nothing is ever replaced: URLs, e-mail addresses, file names.
_PROTECTED = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|[\w./\\-]+\.(?:mp4|mp3|jpe?g|png|gif|pdf|docx?|xlsx?|txt|html?|php|aspx?)\b\S*",
    re.IGNORECASE,
)
# Cheap test whether _PROTECTED can match at all: most sentences hold no URL or file name.
_PROTECTED_HINT = re.compile(r"://|www\.|@|\.(?:mp4|mp3|jpe?g|png|gif|pdf|docx?|xlsx?|txt|html?|php|aspx?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TermMatch:
    entry_id: str
    canonical: str
    matched: str
    start: int
    end: int
    plural: bool

    def as_dict(self) -> dict:
        return {
            "id": self.entry_id,
            "canonical": self.canonical,
            "matched": self.matched,
            "start": self.start,
            "end": self.end,
            "plural": self.plural,
        }


@dataclass(frozen=True)
class _Pattern:
    entry_index: int
    plural: bool


@dataclass(frozen=True)
class PatternConflict:
    """One folded surface form claimed by two entries."""

    form: str
    first: GlossaryEntry
    second: GlossaryEntry


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


class TermMatcher:
    """All glossary terms of one language, compiled into a single automaton."""

    def __init__(self, glossary: Glossary, lang: str):
        self.glossary = glossary
        self.lang = lang
        self.conflicts: list[PatternConflict] = []
        self._entries = glossary.entries
        self._automaton = ahocorasick.Automaton()
        forms: dict[str, _Pattern] = {}
        for index, entry in enumerate(self._entries):
            for surface, plural in self._surface_forms(entry, lang):
                key = fold(surface)[0]
                existing = forms.get(key)
                if existing is None:
                    forms[key] = _Pattern(index, plural)
                elif self._entries[existing.entry_index].id != entry.id:
                    self.conflicts.append(PatternConflict(key, self._entries[existing.entry_index], entry))
        # Case-sensitive entries: the exact surfaces, whitespace-normalised, that may match.
        self._exact: dict[int, set[str]] = {
            index: {" ".join(surface.split()) for surface, _ in self._surface_forms(entry, lang)}
            for index, entry in enumerate(self._entries)
            if entry.case_sensitive
        }
        for key, pattern in forms.items():
            self._automaton.add_word(key, (len(key), pattern))
        if forms:
            self._automaton.make_automaton()
        self._empty = not forms

    @staticmethod
    def _surface_forms(entry: GlossaryEntry, lang: str) -> list[tuple[str, bool]]:
        if lang == "en":
            if not entry.match_english:
                return []
            singular = [entry.canonical, *entry.variants["en"]]
            forms = [(s, False) for s in singular]
            if entry.category != "phrase":
                forms += [(english_plural(s), True) for s in singular]
            return forms
        expand = german_forms if lang == "de" else french_forms
        return [(form, False) for variant in entry.variants.get(lang, ()) for form in sorted(expand(variant))]

    def find(self, text: str) -> list[TermMatch]:
        """Non-overlapping matches in text order; where matches overlap the longest wins."""
        if self._empty or not text:
            return []
        folded, offsets = fold(text)
        protected = [m.span() for m in _PROTECTED.finditer(text)] if _PROTECTED_HINT.search(text) else []
        candidates = []
        for last, (length, pattern) in self._automaton.iter(folded):
            first = last - length + 1
            start, end = offsets[first], offsets[last] + 1
            if start > 0 and _is_word_char(text[start - 1]):
                continue
            if end < len(text) and _is_word_char(text[end]):
                continue
            if any(start < p_end and p_start < end for p_start, p_end in protected):
                continue
            exact = self._exact.get(pattern.entry_index)
            if exact is not None and " ".join(text[start:end].split()) not in exact:
                continue
            candidates.append((start, -(end - start), pattern.entry_index, end, pattern))
        # Longest match first; among equal lengths the leftmost, then the earlier entry.
        candidates.sort(key=lambda c: (c[1], c[0], c[2]))
        chosen: list[tuple] = []
        for candidate in candidates:
            start, end = candidate[0], candidate[3]
            if all(end <= other[0] or other[3] <= start for other in chosen):
                chosen.append(candidate)
        matches: list[TermMatch] = []
        for start, _, _, end, pattern in sorted(chosen, key=lambda c: c[0]):
            entry = self._entries[pattern.entry_index]
            matches.append(
                TermMatch(
                    entry_id=entry.id,
                    canonical=canonical_form(entry, pattern.plural),
                    matched=text[start:end],
                    start=start,
                    end=end,
                    plural=pattern.plural,
                )
            )
        return matches


def canonical_form(entry: GlossaryEntry, plural: bool) -> str:
    if not plural:
        return entry.canonical
    return entry.plural or english_plural(entry.canonical)
