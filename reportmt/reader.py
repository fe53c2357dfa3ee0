"""Reading the normalized corpus from Python: records with filters, a DataFrame, stats, validation.

    from reportmt.reader import Corpus
    corpus = Corpus("normalized")
    for record in corpus.records(lang="de", qa="term_missing"):
        ...
    frame = corpus.to_pandas(term="Politburo")
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from . import store
from .edits import Edit, read_edits
from .errors import DocumentNotFound, MalformedData
from .glossary import Normalizer
from .objects import DocumentStatistics, document_statistics
from .qa.flags import matches
from .records import RECORD_FIELDS, SCHEMA_VERSION, CorpusRecord
from .shapes import problems as shape_problems
from .sources import first_control


class Corpus:
    """The snapshot in force when it is made: everything read from it is of that snapshot,
    while runs commit new ones (for the retention window, see reportmt.snapshots)."""

    def __init__(self, path: str | Path = "normalized"):
        self.path = Path(path)
        self.snapshot = store.read_snapshot(self.path)

    @property
    def documents(self) -> list[dict]:
        return self.snapshot.documents

    def metadata(self, doc_id: str) -> dict:
        """A document's metadata; DocumentNotFound (a KeyError too) if the snapshot has no such document."""
        return store.read_metadata(self.path, self.entry(doc_id))

    def entry(self, doc_id: str) -> dict:
        """A document's catalog entry (read alone: a page about one document reads only it);
        DocumentNotFound (a KeyError too) if the snapshot has no such document."""
        entry = self.snapshot.document(doc_id)
        if entry is None:
            raise DocumentNotFound(doc_id, f"{doc_id}: not a document of {self.path} (see `reportmt corpus stats`)")
        return entry

    def records(
        self,
        *,
        lang: str | None = None,
        doc: str | None = None,
        term: str | None = None,
        qa: str | None = None,
    ) -> Iterator[dict]:
        """Records in doc_id order. ``term``: a canonical form (any case); ``qa``: a flag or its
        prefix ("term_missing" matches "term_missing:politburo")."""
        wanted_term = term.casefold() if term else None
        for entry in [self.entry(doc)] if doc else self.documents:
            if lang and entry["language"] != lang:
                continue
            for record in store.read_document_records(self.path, entry):
                if wanted_term and wanted_term not in (t.casefold() for t in record["terms"]):
                    continue
                if qa and not any(matches(flag, qa) for flag in record["qa"]):
                    continue
                yield record

    def to_pandas(self, **filters):
        import pandas as pd

        return pd.DataFrame.from_records(list(self.records(**filters)), columns=list(RECORD_FIELDS))

    def stats(self) -> dict:
        """The corpus's figures, summed from what the catalog holds per document (a corpus
        written before the catalog is counted from its records)."""
        per_language: dict[str, Counter] = {}
        terms: Counter = Counter()
        flags: Counter = Counter()
        for entry in self.documents:
            counted = entry.get("stats") or document_statistics(store.read_records(self.path, entry))
            for lang, counts in counted["languages"].items():
                per_language.setdefault(lang, Counter()).update(counts)
            terms.update(counted["terms"])
            flags.update(counted["qa_flags"])
        return {
            "documents": len(self.documents),
            "documents_by_language": dict(sorted(Counter(d["language"] for d in self.documents).items())),
            "languages": {lang: dict(counts) for lang, counts in sorted(per_language.items())},
            "reviewed_share": round(sum(c["reviewed"] for c in per_language.values()) / max(1, sum(c["sentences"] for c in per_language.values())), 4),
            "terms": dict(terms.most_common()),
            "qa_flags": dict(sorted(flags.items())),
            "pending": len(self.snapshot.info.pending),
            "failed": len(self.snapshot.info.failed),
            "glossary_version": self.snapshot.info.glossary_version,
            "models": self.snapshot.info.models,
        }


def validate(path: str | Path, normalizer: Normalizer) -> list[str]:
    """Everything wrong with a corpus on disk, each problem naming its file (and line)."""
    path = Path(path)
    try:
        snapshot = store.read_snapshot(path)
        documents = snapshot.documents
    except store.CorpusError as exc:
        return [str(exc)]
    problems = []
    where = path / (store.CATALOG if (path / store.CATALOG).is_file() else store.LEGACY_MANIFEST)
    if snapshot.info.schema_version != SCHEMA_VERSION:
        problems.append(f"{where}: schema_version {snapshot.info.schema_version!r}, expected {SCHEMA_VERSION!r} "
                        "(run `reportmt run` to upgrade the corpus)")
    for key, value in (("glossary_version", snapshot.info.glossary_version),
                       ("pipeline_version", snapshot.info.pipeline_version)):
        if value is None:
            problems.append(f"{where}: no '{key}'")
    if problems:
        return problems
    edits = {edit.edit_id: edit for edit in read_edits(path)}
    for entry in documents:
        problems += _validate_document(path, entry, normalizer, edits)
    return problems


def _validate_document(path: Path, entry: dict, normalizer: Normalizer, edits: dict[int, Edit]) -> list[str]:
    records_path = store.records_path(path, entry)
    if not records_path.is_file():
        return [f"{records_path}: listed in the catalog but missing"]
    try:
        metadata, metadata_where = store.read_metadata_text(path, entry)
    except store.CorpusError as exc:
        return [str(exc)]
    problems = []
    try:
        if hashlib.sha256(metadata.encode("utf-8")).hexdigest() != entry["metadata_sha256"]:
            problems.append(f"{metadata_where}: sha256 differs from the catalog (changed after the run)")
        if json.loads(metadata).get("source_sha256") != entry["source_sha256"]:
            problems.append(f"{metadata_where}: source_sha256 differs from the catalog")
    except json.JSONDecodeError as exc:
        problems.append(f"{metadata_where}: not JSON ({exc.msg})")
    digest = hashlib.sha256()
    count = 0
    statistics = DocumentStatistics()
    with records_path.open("rb") as handle:  # streamed: a document's records can be large
        for count, raw in enumerate(handle, start=1):
            digest.update(raw)
            where = f"{records_path}:{count}"
            try:
                data = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                problems.append(f"{where}: not a JSON record ({exc})")
                continue
            record, found = _read_record(where, data)
            if record is not None:
                found = _validate_record(where, record, entry, count - 1, normalizer, edits)
            problems += found
            if not problems and record is not None:  # figures are compared for a document whose records are sound
                statistics.add(record)
    if digest.hexdigest() != entry["records_sha256"]:
        problems.append(f"{records_path}: sha256 differs from the catalog (file changed after the run)")
    if count != entry["records"]:
        problems.append(f"{records_path}: {count} records, the catalog says {entry['records']}")
    elif not problems and "stats" in entry and statistics.as_dict() != entry["stats"]:
        problems.append(f"{records_path}: its figures differ from those the catalog holds for `corpus stats`")
    return problems


def _read_record(where: str, data: object) -> tuple[CorpusRecord | None, list[str]]:
    """The record a line holds, or what is wrong with it: each field missing or of a wrong type."""
    if not isinstance(data, dict):
        return None, [f"{where}: not a JSON object"]
    found = shape_problems(data, RECORD_FIELDS)  # schema 2's missing block and page included
    if found:
        return None, [f"{where}: {problem}" for problem in found]
    try:
        return CorpusRecord.from_json(data), []
    except MalformedData as exc:  # its review
        return None, [f"{where}: {exc}"]


def _validate_record(where: str, record: CorpusRecord, entry: dict, index: int, normalizer: Normalizer,
                     edits: dict[int, Edit]) -> list[str]:
    problems = []
    if record.doc_id != entry["doc_id"] or record.seg_index != index:
        problems.append(f"{where}: is {record.doc_id}#{record.seg_index}, expected {entry['doc_id']}#{index}")
    if record.source_sha256 != entry["source_sha256"]:
        problems.append(f"{where}: source_sha256 differs from the catalog")
    for name in ("doc_id", "src_text", "mt_text", "en_text", "model"):
        control = first_control(getattr(record, name) or "")
        if control is not None:
            problems.append(f"{where}: {name} holds the control character U+{ord(control):04X}, which TMX cannot hold "
                            "(written by an earlier reportmt: move the report out of the corpus for one run, then back)")
    if not record.src_text.strip():
        problems.append(f"{where}: empty source side")
    if not record.en_text.strip():
        problems.append(f"{where}: empty English side")
    if (record.src_lang == "en") != (record.mt_text is None):
        problems.append(f"{where}: mt_text must be null exactly for English sources")
    if record.review is not None:
        edit = edits.get(record.review.edit_id)
        if edit is None:
            return problems + [f"{where}: reviewed by edit {record.review.edit_id}, which the edit store does not hold"]
        if edit.en_after != record.en_text:
            problems.append(f"{where}: en_text differs from the English of edit {edit.edit_id}")
        return problems  # a human's English is flagged against the glossary, never required to match it
    leftover = normalizer.normalize(record.en_text).replaced
    if leftover:
        variants = ", ".join(f"{m.matched!r} (use {m.canonical!r})" for m in leftover)
        problems.append(f"{where}: glossary variant left in en_text: {variants}")
    return problems
