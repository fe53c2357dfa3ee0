"""Corpus records: one per source sentence, with the English side and its provenance."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .documents import Sentence
from .edits import Review, ReviewMemory
from .formats import Place
from .glossary import Normalizer, TermMatch
from .qa.checks import Pair, check
from .qa.flags import (
    OCR_LOW_CONFIDENCE,
    REVIEW_VS_GLOSSARY,
    TERM_MISSING,
    TEST_MODEL_OUTPUT,
    make_flag,
    matches,
)
from .shapes import JsonTypes, checked, field_types
from .sources import without_controls

SCHEMA_VERSION = "5"  # 2: the review field; 3: block and page; 4: the catalog and content-named files; 5: metadata in the catalog


@dataclass(frozen=True)
class CorpusRecord:
    """One record, as written and as read back (``to_json``, ``from_json``)."""

    record_id: str
    doc_id: str
    seg_index: int
    paragraph: int
    block: str  # heading, paragraph, list_item, table_cell, caption, footnote
    page: int | None  # the page of a PDF
    src_lang: str
    src_text: str
    mt_text: str | None
    en_text: str
    terms: tuple[str, ...]
    qa: tuple[str, ...]
    model: str | None
    glossary_version: str
    source_sha256: str
    review: Review | None = None  # a human's edit, acceptance or mark

    @property
    def reviewed(self) -> bool:
        """A reviewer settled the English (a mark such as "needs discussion" does not)."""
        return self.review is not None and self.review.settled

    def to_json(self) -> dict[str, Any]:
        # By hand: dataclasses.asdict deep-copies every field, a third of the cost of writing a record.
        data = {name: getattr(self, name) for name in RECORD_FIELDS}
        data["terms"] = list(self.terms)
        data["qa"] = list(self.qa)
        data["review"] = self.review.to_json() if self.review is not None else None
        return data

    @classmethod
    def from_json(cls, data: object) -> CorpusRecord:
        """A stored record; MalformedData naming what it lacks or holds of a wrong type."""
        values = checked(data, "record", RECORD_FIELDS, _SCHEMA_2_DEFAULTS)
        values["terms"], values["qa"] = tuple(values["terms"]), tuple(values["qa"])
        if values["review"] is not None:
            values["review"] = Review.from_json(values["review"])
        return cls(**values)


# Every field of a record and the JSON types it may hold, in the order of the dataclass.
RECORD_FIELDS: dict[str, JsonTypes] = field_types(CorpusRecord)
# Records of schema 2 have neither block nor page: they are read as a paragraph on no page.
_SCHEMA_2_DEFAULTS = {"block": "paragraph", "page": None}


@dataclass
class TermStatistics:
    """Per canonical term: occurrences, and which variants were replaced how often."""

    occurrences: Counter = field(default_factory=Counter)
    replaced: dict[str, Counter] = field(default_factory=dict)

    def add(self, matches: tuple[TermMatch, ...]) -> None:
        for match in matches:
            self.occurrences[match.entry_id] += 1
            if match.matched != match.canonical:
                self.replaced.setdefault(match.entry_id, Counter())[match.matched] += 1

    def merge(self, other: TermStatistics) -> None:
        self.occurrences.update(other.occurrences)
        for entry_id, variants in other.replaced.items():
            self.replaced.setdefault(entry_id, Counter()).update(variants)

    def as_dict(self) -> dict:
        return {
            entry_id: {"occurrences": count, "replaced": dict(sorted(self.replaced.get(entry_id, {}).items()))}
            for entry_id, count in sorted(self.occurrences.items())
        }


def record_id(doc_id: str, src_text: str, occurrence: int) -> str:
    """Same document, same sentence, same occurrence: same id on every run."""
    key = f"{doc_id}\n{src_text}\n{occurrence}".encode()
    return hashlib.sha256(key).hexdigest()[:20]


@dataclass(frozen=True)
class Translation:
    """Raw engine output for one sentence, and the model that made it."""

    text: str
    model: str
    test_model: bool


class RecordBuilder:
    """The records of one document, in order: numbers repeated sentences for their ids and
    counts the glossary terms. It keeps an 8-byte digest per distinct sentence, not the
    text, so its memory stays small next to the document whatever the document's size."""

    def __init__(self, normalizer: Normalizer, doc_id: str, source_sha256: str, reviews: ReviewMemory | None = None):
        self.normalizer = normalizer
        self.reviews = reviews
        self.doc_id = doc_id
        self.source_sha256 = source_sha256
        self.statistics = TermStatistics()
        self._seen: Counter = Counter()

    def add(self, sentence: Sentence, translation: Translation | None) -> CorpusRecord:
        """``translation``: None for an English sentence."""
        if sentence.needs_translation and translation is None:
            raise ValueError(f"{self.doc_id}: sentence {sentence.index} has no translation")
        return self._record(
            seg_index=sentence.index,
            paragraph=sentence.paragraph,
            place=sentence.place,
            src_lang=sentence.language,
            src_text=sentence.text,
            mt_text=without_controls(translation.text) if translation else None,
            model=translation.model if translation else None,
            test_model=bool(translation and translation.test_model),
        )

    def add_stored(self, old: CorpusRecord) -> CorpusRecord:
        """A stored record again, from its source text and raw engine output: no engine, no source file."""
        return self._record(
            seg_index=old.seg_index,
            paragraph=old.paragraph,
            # the flags of reading are carried over
            place=Place(old.block, old.page, tuple(f for f in old.qa if matches(f, OCR_LOW_CONFIDENCE))),
            src_lang=old.src_lang,
            src_text=old.src_text,
            mt_text=old.mt_text,
            model=old.model,
            test_model=TEST_MODEL_OUTPUT in old.qa,
        )

    def _record(self, *, src_text: str, **fields: Any) -> CorpusRecord:
        key = hashlib.blake2b(src_text.encode("utf-8"), digest_size=8).digest()
        self._seen[key] += 1
        return make_record(
            self.normalizer,
            doc_id=self.doc_id,
            src_text=src_text,
            occurrence=self._seen[key],
            source_sha256=self.source_sha256,
            stats=self.statistics,
            reviews=self.reviews,
            **fields,
        )


def make_record(
    normalizer: Normalizer,
    *,
    doc_id: str,
    seg_index: int,
    paragraph: int,
    place: Place,
    src_lang: str,
    src_text: str,
    mt_text: str | None,
    model: str | None,
    test_model: bool,
    occurrence: int,
    source_sha256: str,
    stats: TermStatistics,
    reviews: ReviewMemory | None = None,
) -> CorpusRecord:
    """One record: English normalized, terms found, QA flags for terms the translation lacks
    and for what the checks find (reportmt.qa); a human's edit, where one applies, is the
    English, checked but never rewritten."""
    identifier = record_id(doc_id, src_text, occurrence)
    applied = reviews.review_for({"record_id": identifier, "src_lang": src_lang, "src_text": src_text, "mt_text": mt_text}) if reviews else None
    qa: list[str] = list(place.flags)  # how the source was read (a poorly read scan)
    found: Sequence[TermMatch]
    if mt_text is None:
        normalized = normalizer.normalize(src_text)
        found = normalized.matches
    else:
        found = normalizer.find_terms(src_text, src_lang)
        normalized = normalizer.normalize(mt_text)
        if applied is None:  # with a reviewer's English, only its own flags count (below)
            qa += [make_flag(TERM_MISSING, entry_id) for entry_id in normalizer.missing_terms(found, normalized.text)]
            qa += check(Pair(src_lang, src_text, normalized.text, raw=mt_text))
        if test_model:
            qa.append(TEST_MODEL_OUTPUT)
    stats.add(normalized.matches)
    en_text, review = normalized.text, None
    if applied is not None:
        edit, origin = applied
        en_text, review = edit.en_after, edit.review(origin)
        if mt_text is not None:
            qa += [make_flag(TERM_MISSING, entry_id) for entry_id in normalizer.missing_terms(found, en_text)]
            qa += check(Pair(src_lang, src_text, en_text))
        qa += _unique(make_flag(REVIEW_VS_GLOSSARY, m.entry_id) for m in normalizer.normalize(en_text).replaced)
    return CorpusRecord(
        record_id=identifier,
        doc_id=doc_id,
        seg_index=seg_index,
        paragraph=paragraph,
        block=place.block,
        page=place.page,
        src_lang=src_lang,
        src_text=src_text,
        mt_text=mt_text,
        en_text=en_text,
        terms=_unique(normalizer.glossary.by_id(m.entry_id).canonical for m in found),
        qa=tuple(qa),
        model=model,
        glossary_version=normalizer.glossary.version,
        source_sha256=source_sha256,
        review=review,
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
