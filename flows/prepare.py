"""Preparing reports: read, identify the language, move furniture to metadata, split
into sentences (a file that cannot be used fails alone), on every core when the corpus is
large."""

from __future__ import annotations

import uuid
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from reportmt import progress
from reportmt.batching import batch_bytes, batches_by_bytes
from reportmt.documents import PreparedDocument, SentenceFile, prepare_document
from reportmt.formats import OcrCache
from reportmt.incremental import RunPlan
from reportmt.sources import SourceError
from reportmt.unread import UnreadFile, UnreadKind

from . import pool


@task(name="prepare-documents", cache_policy=NO_CACHE)
def prepare_batch(paths: list[Path], corpus_root: Path, work_dir: Path, ocr_cache: OcrCache | None = None
                  ) -> list[PreparedDocument | UnreadFile]:
    """Read, identify the language, move furniture to metadata, split into sentences: each
    file of the batch on its own, a file that cannot be used failing alone. The batch's
    sentences go to one work file; scanned pages read by OCR are kept in ``ocr_cache``."""
    shared = SentenceFile(work_dir / f"batch-{uuid.uuid4().hex}.jsonl")
    try:
        return [_prepare(path, corpus_root, work_dir, shared, ocr_cache) for path in paths]
    finally:
        shared.close()


def _prepare(path: Path, corpus_root: Path, work_dir: Path, shared: SentenceFile, ocr_cache: OcrCache | None
             ) -> PreparedDocument | UnreadFile:
    try:
        return prepare_document(path, corpus_root, work_dir, reading=progress.Reading(progress.READ), shared=shared,
                                ocr_cache=ocr_cache)
    except SourceError as error:
        return UnreadFile(error.path, error.reason, error.action, error.kind)


def prepare_all(plan: RunPlan, corpus_root: Path, work_dir: Path, ocr_cache: OcrCache | None = None
                ) -> tuple[list[PreparedDocument], list[UnreadFile]]:
    """Every file the plan reads; a file that cannot be read now keeps its previous records.
    A large corpus is prepared in batches, where flows.pool.in_batches puts them."""
    sources = plan.to_prepare
    total = sum(s.size for s in sources)
    progress.start(progress.READ, "Reading reports", total)
    batches = batches_by_bytes(sources, lambda s: s.size, batch_bytes(total, pool.cores()))
    arguments = [{"paths": [s.path for s in batch], "corpus_root": corpus_root, "work_dir": work_dir, "ocr_cache": ocr_cache}
                 for batch in batches]
    prepared = pool.in_batches(
        prepare_batch, arguments, [sum(s.size for s in batch) for batch in batches], progress.READ, total_bytes=total,
        here=lambda: prepare_batch(quote([s.path for s in sources]), corpus_root, work_dir, ocr_cache) if sources else [])
    unreadable = [p for p in prepared if isinstance(p, UnreadFile)]
    for failure in unreadable:
        if failure.kind is UnreadKind.DEFERRED:
            plan.keep_previous(failure.file)
    return [p for p in prepared if isinstance(p, PreparedDocument)], unreadable
