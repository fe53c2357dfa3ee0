"""Writing records into the snapshot: canonical English (or a reviewer's) and QA flags,
streamed from each document's sentence file and the translation cache, or made again from
the stored records when only the glossary or the edits changed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from reportmt import progress, store
from reportmt.batching import batch_bytes, batches_by_bytes
from reportmt.documents import PreparedDocument, Sentence
from reportmt.edits import ReviewMemory
from reportmt.glossary import Normalizer
from reportmt.records import RecordBuilder, TermStatistics, Translation
from reportmt.snapshots import SnapshotWriter
from reportmt.translation_cache import TranslationCache
from reportmt.translators.base import Translator

from . import pool

LOOKUP_CHUNK = 1000  # sentences whose translations are fetched from the cache at once


@dataclass(frozen=True)
class WriteContext:
    """What writing a document's records needs; it pickles, for a pool of processes."""

    snapshot: SnapshotWriter
    normalizer: Normalizer
    cache: TranslationCache
    engines: dict[str, Translator]
    reviews: ReviewMemory


@task(name="write-documents", cache_policy=NO_CACHE)
def write_batch(context: WriteContext, docs: list[PreparedDocument]) -> list[tuple[dict, TermStatistics]]:
    """Records with canonical English (or a reviewer's) and QA flags, streamed from each
    document's sentence file and the translation cache into the snapshot."""
    with context.snapshot.batch():
        return [_write_document(context, doc) for doc in docs]


def _write_document(context: WriteContext, doc: PreparedDocument) -> tuple[dict, TermStatistics]:
    builder = RecordBuilder(context.normalizer, doc.doc_id, doc.source_sha256, context.reviews)
    records = (
        builder.add(sentence, translation)
        for chunk in _chunks(doc.sentences(), LOOKUP_CHUNK)
        for sentence, translation in zip(chunk, _cached_translations(context.cache, context.engines, chunk))
    )
    entry = context.snapshot.write_document(doc.metadata(), progress.counted(progress.WRITE, records), doc.source_stat)
    return entry, builder.statistics


@task(name="renormalize-documents", cache_policy=NO_CACHE)
def renormalize_batch(
    snapshot: SnapshotWriter, out_dir: Path, entries: list[dict], normalizer: Normalizer, reviews: ReviewMemory
) -> list[tuple[dict, TermStatistics]]:
    """Unchanged documents under a changed glossary, or with new human edits: rebuilt from
    their stored records (no engine, no source file)."""
    with snapshot.batch():
        return [_renormalize(snapshot, out_dir, entry, normalizer, reviews) for entry in entries]


def _renormalize(
    snapshot: SnapshotWriter, out_dir: Path, entry: dict, normalizer: Normalizer, reviews: ReviewMemory
) -> tuple[dict, TermStatistics]:
    builder = RecordBuilder(normalizer, entry["doc_id"], entry["source_sha256"], reviews)
    records = (builder.add_stored(old) for old in store.read_records(out_dir, entry))
    return snapshot.write_renormalized(entry, progress.counted(progress.WRITE, records)), builder.statistics


def write_all(context: WriteContext, docs: list[PreparedDocument]) -> list[tuple[dict, TermStatistics]]:
    """Every ready document's records written into the snapshot, in batches where
    flows.pool.in_batches puts them (on Dask's workers, into the shared output folder: the
    flow commits only the catalog; normalizing and checking the English is the work)."""
    sizes = {d.doc_id: d.sentences_bytes for d in docs}
    total = sum(sizes.values())
    batches = batches_by_bytes(docs, lambda d: sizes[d.doc_id], batch_bytes(total, pool.cores()))
    arguments = [{"context": context, "docs": batch} for batch in batches]
    return pool.in_batches(write_batch, arguments, [sum(d.sentence_count for d in batch) for batch in batches],
                           progress.WRITE, total_bytes=total,
                           here=lambda: write_batch(quote(context), quote(docs)) if docs else [])


def renormalize_all(snapshot: SnapshotWriter, out_dir: Path, entries: list[dict], normalizer: Normalizer,
                    reviews: ReviewMemory) -> list[tuple[dict, TermStatistics]]:
    """Every document whose records are made again from the stored ones, in one task here
    (no engine: normalizing and checking the English is the work)."""
    return renormalize_batch(snapshot, out_dir, quote(entries), normalizer, quote(reviews)) if entries else []


def _chunks(items: Iterable[Sentence], size: int) -> Iterator[tuple[Sentence, ...]]:
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk


def _cached_translations(
    cache: TranslationCache, engines: dict[str, Translator], sentences: tuple[Sentence, ...]
) -> list[Translation | None]:
    """One slot per sentence: its translation from the cache, None for English."""
    outputs = {
        lang: cache.get_many(engines[lang].signature, [s.text for s in sentences if s.language == lang])
        for lang in {s.language for s in sentences if s.needs_translation}
    }
    return [
        Translation(outputs[s.language][s.text], engines[s.language].model, engines[s.language].meaningless)
        if s.needs_translation
        else None
        for s in sentences
    ]
