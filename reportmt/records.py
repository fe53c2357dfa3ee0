"""Corpus records: one per source sentence, with the English side and its provenance."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import asdict, dataclass, field

from .documents import PreparedDocument
from .glossary import Normalizer, TermMatch

SCHEMA_VERSION = "1"
TEST_MODEL_FLAG = "test_model_output"

# Every field of a record and the JSON types it may hold (schema version 1).
RECORD_FIELDS: dict[str, tuple[type, ...]] = {
    "record_id": (str,),
    "doc_id": (str,),
    "seg_index": (int,),
    "paragraph": (int,),
    "src_lang": (str,),
    "src_text": (str,),
    "mt_text": (str, type(None)),
    "en_text": (str,),
    "terms": (list,),
    "qa": (list,),
    "model": (str, type(None)),
    "glossary_version": (str,),
    "source_sha256": (str,),
}


@dataclass(frozen=True)
class CorpusRecord:
    record_id: str
    doc_id: str
    seg_index: int
    paragraph: int
    src_lang: str
    src_text: str
    mt_text: str | None
    en_text: str
    terms: tuple[str, ...]
    qa: tuple[str, ...]
    model: str | None
    glossary_version: str
    source_sha256: str

    def as_dict(self) -> dict:
        data = asdict(self)
        data["terms"] = list(self.terms)
        data["qa"] = list(self.qa)
        return data


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
    """Raw engine output for a document's sentences, and the model that made it."""

    texts: tuple[str, ...]
    model: str
    test_model: bool


def build_records(
    doc: PreparedDocument,
    normalizer: Normalizer,
    translation: Translation | None,
) -> tuple[list[CorpusRecord], TermStatistics]:
    if doc.needs_translation and (translation is None or len(translation.texts) != len(doc.sentences)):
        raise ValueError(f"{doc.doc_id}: needs one translation per sentence")
    stats = TermStatistics()
    records = []
    seen: Counter = Counter()
    for sentence in doc.sentences:
        qa: list[str] = []
        if doc.needs_translation:
            mt_text = translation.texts[sentence.index]
            source_terms = normalizer.find_terms(sentence.text, doc.language)
            normalized = normalizer.normalize(mt_text)
            qa += [f"term_missing:{entry_id}" for entry_id in normalizer.missing_terms(source_terms, normalized.text)]
            if translation.test_model:
                qa.append(TEST_MODEL_FLAG)
            terms = _unique(normalizer.glossary.by_id(m.entry_id).canonical for m in source_terms)
            model = translation.model
        else:
            mt_text = None
            normalized = normalizer.normalize(sentence.text)
            terms = _unique(normalizer.glossary.by_id(m.entry_id).canonical for m in normalized.matches)
            model = None
        stats.add(normalized.matches)
        seen[sentence.text] += 1
        records.append(
            CorpusRecord(
                record_id=record_id(doc.doc_id, sentence.text, seen[sentence.text]),
                doc_id=doc.doc_id,
                seg_index=sentence.index,
                paragraph=sentence.paragraph,
                src_lang=doc.language,
                src_text=sentence.text,
                mt_text=mt_text,
                en_text=normalized.text,
                terms=terms,
                qa=tuple(qa),
                model=model,
                glossary_version=normalizer.glossary.version,
                source_sha256=doc.source_sha256,
            )
        )
    return records, stats


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
