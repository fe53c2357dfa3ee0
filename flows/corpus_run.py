"""The corpus run: reports in `corpus/`, a normalized parallel corpus in `normalized/`.

The flow only orchestrates, and reads as the run's table of contents: scan, plan, prepare
(flows.prepare), translate (flows.translate), write (flows.write), commit; every step is a
plain function of the reportmt core or of the translators package. Runs are incremental (see reportmt.incremental) and serialized
per output folder by a file lock, so a scheduled run and a triggered run never write the
same corpus at once. Collections that grow with the corpus (the previous snapshot, the
entries to commit) go to tasks quoted: Prefect would otherwise visit every element of
every parameter, for each call, and a run that adds one report would cost what the
corpus holds.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import deployment, flow_run
from prefect.utilities.annotations import quote

from reportmt import progress, store
from reportmt.console_logs import strip_tracebacks
from reportmt.documents import PreparedDocument, discover_sources
from reportmt.edits import Edit, ReviewMemory, read_edits, stale_edits
from reportmt.formats import OcrCache
from reportmt.formats.ocr import unreadable_note
from reportmt.glossary import Normalizer, load_glossary
from reportmt.glossary.suggest import suggest, suggestions_markdown
from reportmt.incremental import (
    RunPlan,
    ScanResult,
    Scope,
    choose_scope,
    drop_duplicates,
    plan_run,
    scan,
    sort_unread,
    unread_outside,
)
from reportmt.languages import TARGET, TRANSLATED, language_pair
from reportmt.layout import CACHE_FILE, OCR_CACHE_DIR, WORK_DIR
from reportmt.reader import Corpus
from reportmt.records import TermStatistics
from reportmt.review import index as review_index
from reportmt.run_lock import run_lock
from reportmt.snapshots import Change, SnapshotWriter
from reportmt.summary import RunSummary, build_summary, summary_markdown
from reportmt.translation_cache import TranslationCache
from reportmt.translators.argos import DecodingOptions, installed_engines
from reportmt.translators.packages import install_command, packages_dir

from .coalesce import supersede_waiting
from .orphans import end_with_serve, served_by_reportmt
from .prepare import prepare_all
from .translate import translate_all
from .write import WriteContext, renormalize_all, write_all

ARTIFACT_SUGGESTIONS = 10

if served_by_reportmt():  # from the moment its code is loaded, a run that `reportmt serve` started ends with serve
    end_with_serve(os.environ.get("PREFECT__FLOW_RUN_ID"))
    strip_tracebacks()  # and its Prefect services say their trouble in one line on serve's terminal, from the start


@task(name="scan-corpus", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def scan_corpus(corpus_root: Path, scope: Scope, previous: dict | None, verify: bool) -> ScanResult:
    """Every report file in scope with its sha256, trusted from the previous run while the
    file's size, time and inode stay the same unless ``verify`` (retried: files may be moved
    while we look). A file in scope that is gone is left out (the plan removes it)."""
    if scope.doc_ids is None:
        paths = discover_sources(corpus_root)
    else:
        paths = [path for path in (corpus_root / doc_id for doc_id in scope.doc_ids) if path.exists() or path.is_symlink()]
    return scan(paths, corpus_root, previous=previous, verify=verify)


@task(name="commit-corpus", cache_policy=NO_CACHE)
def commit_corpus(out_dir: Path, writer: SnapshotWriter, change: Change, info: dict) -> store.Snapshot:
    """The catalog last: a run killed before this leaves the previous corpus in force."""
    store.write_failures_report(out_dir, info)
    return writer.commit(change, info)


@dataclass(frozen=True)
class RunRequest:
    """What a run was asked to do (the flow's parameters, resolved)."""

    corpus_root: Path
    out: Path
    glossary: str | None
    models_dir: str | None
    options: DecodingOptions
    shards: int
    propagate: bool
    verify: bool
    rebuild: bool
    changes_only: bool


@flow(name="reportmt-corpus-run")
def corpus_run(
    corpus_dir: str = "corpus",
    out_dir: str = "normalized",
    glossary: str | None = None,
    models_dir: str | None = None,
    decoding: dict | None = None,
    shards: int = 1,
    propagate: bool = True,
    verify: bool = False,
    rebuild: bool = False,
    changes_only: bool = False,
) -> RunSummary:
    """``decoding``: DecodingOptions fields (beam_size, compute_type, inter_threads,
    intra_threads, max_batch_tokens, max_input_tokens) over the machine's defaults.
    ``propagate``: a reviewed sentence's English is reused for the same source sentence
    elsewhere in the corpus.
    ``verify``: hash every source file, even those whose size, time and inode are unchanged.
    ``rebuild``: make the corpus again from the sources, the translation cache and the saved
    edits, as if there were no previous run (a damaged catalog is moved aside).
    ``shards``: translation tasks per language; more than one spreads the planned batches
    over the workers of a distributed task runner (the output does not change).
    ``changes_only``: read only the files `reportmt watch` noted as changed since the last
    run (and those it deferred), when nothing else can have changed the records; the run
    then costs what changed, not what the corpus holds. Else every file is looked at."""
    if served_by_reportmt():  # serve's terminal gets one line per event
        strip_tracebacks()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    options = DecodingOptions.for_machine(**(decoding or {}))
    logger = get_run_logger()
    with run_lock(out, str(flow_run.id), logger.info):
        superseded = supersede_waiting(flow_run.id, deployment.id)
        if superseded.cancelled:
            logger.info("%d waiting run%s cancelled: this run reads the changes they were for", superseded.cancelled,
                        "s" if superseded.cancelled > 1 else "")
        changes_only = changes_only and not superseded.every_file
        summary = _run_locked(RunRequest(Path(corpus_dir).resolve(), out, glossary, models_dir, options, shards, propagate,
                                         verify, rebuild, changes_only))
        suggestions = glossary_suggestions(out, quote(summary), glossary)  # under the lock: no other run replaces the snapshot
        update_review_index(out)
    create_markdown_artifact(key="reportmt-run-summary", markdown=summary_markdown(summary), description="reportmt run summary")
    if suggestions:
        create_markdown_artifact(key="reportmt-glossary-suggestions", markdown=suggestions_markdown(suggestions),
                                 description="Names in this run's documents that the glossary does not know")
    return summary


@task(name="suggest-glossary", cache_policy=NO_CACHE)
def glossary_suggestions(out: Path, summary: RunSummary, glossary: str | None) -> list:
    """The top suggestions for the glossary from the documents this run wrote (so that drift
    shows where runs are watched); `reportmt glossary suggest` reads the whole corpus."""
    if not summary.documents:
        return []
    written = {d["doc_id"] for d in summary.documents if d.get("status") in ("new", "changed")}
    return suggest(_records_of(out, store.read_snapshot(out), written), load_glossary(glossary))[:ARTIFACT_SUGGESTIONS]


@task(name="update-review-index", cache_policy=NO_CACHE)
def update_review_index(out: Path) -> None:
    """The review workspace's search index, if there is one, brought to the new snapshot
    (the documents this run changed), so the workspace shows them without indexing."""
    if review_index.indexed_snapshot(out) is None:
        return
    try:
        review_index.update(Corpus(out))
    except (store.CorpusError, sqlite3.Error) as exc:  # the corpus is committed; the workspace catches up itself
        get_run_logger().warning("The review workspace's search index was not updated: %s", exc)


def _run_locked(request: RunRequest) -> RunSummary:
    work_dir = request.out / WORK_DIR
    shutil.rmtree(work_dir, ignore_errors=True)  # left behind by a killed run
    try:
        return _run_steps(request, work_dir)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _run_steps(request: RunRequest, work_dir: Path) -> RunSummary:
    logger = get_run_logger()
    corpus_root, out = request.corpus_root, request.out
    started, started_at, changes_read_at = time.monotonic(), _now(), time.time()
    normalizer = Normalizer(load_glossary(request.glossary))
    if request.rebuild:
        aside = store.set_aside_damaged_catalog(out)
        if aside:
            logger.warning("The damaged catalog was moved to %s; the corpus is rebuilt", aside.name)
    previous = store.previous_snapshot(out) if not request.rebuild else None
    engines, unavailable = installed_engines(packages_dir(request.models_dir), TRANSLATED, TARGET, request.options)
    edits = read_edits(out)
    last_edit = max((e.edit_id for e in edits), default=0)
    scope = choose_scope(previous.info if previous else None, store.noted_changes(out), changes_only=request.changes_only,
                         glossary_version=normalizer.glossary.version, models={e.pair: e.model for e in engines.values()},
                         last_edit=last_edit)
    logger.info("This run reads %s", scope.reason if scope.doc_ids is None else f"{len(scope.doc_ids)} {scope.reason}")
    before = previous.as_manifest(scope.doc_ids) if previous else None
    scanned = scan_corpus(corpus_root, scope, quote(before), request.verify)
    plan = plan_run(scanned, before, normalizer.glossary.version, {lang: e.model for lang, e in engines.items()})
    reviews = ReviewMemory(edits, propagate=request.propagate)
    plan.rebuild(_touched_by_new_edits(out, plan, edits, previous))

    docs, unreadable = prepare_all(plan, corpus_root, work_dir, OcrCache(out / OCR_CACHE_DIR))
    docs, duplicates = drop_duplicates(docs, scanned, _outside(previous, scope))
    unread = sort_unread(unreadable + duplicates + scanned.skipped)
    for item in unread.all:
        logger.warning("%s %s", item["file"], item["reason"])
    for note in filter(None, (unreadable_note(doc.doc_id, doc.file_metadata) for doc in docs)):
        logger.warning(note)

    cache = TranslationCache(out / CACHE_FILE)
    if cache.damaged:
        logger.warning("The translation cache %s was damaged (%s): moved to %s; a new one is built, translating again "
                       "what the corpus needs", cache.path, cache.damaged[1], cache.damaged[0].name)
    translatable = [d for d in docs if d.translated_languages <= engines.keys()]
    translated, cache_hits = translate_all(translatable, engines, unavailable, cache, request.shards)
    pending = [_pending(d, lang, unavailable[lang]) for d in docs for lang in sorted(d.translated_languages & unavailable.keys())]
    for item in pending:
        logger.warning("%s is pending: %s; %s", item["doc_id"], item["reason"], item["install_command"])
    ready = [d for d in docs if not d.translated_languages & unavailable.keys()]

    snapshot = SnapshotWriter(out)
    try:
        progress.start(progress.WRITE, "Writing records", sum(d.sentence_count for d in ready) + sum(e["records"] for e in plan.renormalize))
        written = write_all(WriteContext(snapshot, normalizer, cache, engines, reviews), ready)
        renormalized = renormalize_all(snapshot, out, plan.renormalize, normalizer, reviews)
        statistics = TermStatistics()
        for _, doc_statistics in written + renormalized:
            statistics.merge(doc_statistics)

        made = [entry for entry, _ in written + renormalized]
        entries = made + plan.carry  # every document in scope
        kept = unread_outside(previous.info if previous else None, scope)
        run = {"started_at": started_at, "flow_run_id": str(flow_run.id), "finished_at": _now()}
        info = store.build_info(entries=entries, glossary_version=normalizer.glossary.version, pending=kept["pending"] + pending,
                                failed=kept["failed"] + unread.failed, deferred=kept["deferred"] + unread.deferred,
                                duplicates=kept["duplicates"] + unread.duplicates, run=run, last_edit=last_edit,
                                models=previous.info.get("models", {}) if previous and scope.doc_ids is not None else {})
        # Gone: what the previous snapshot had in scope and this run has no records for (a
        # removed file, and a changed one that now fails, duplicates another or waits for a model).
        gone = sorted({e["doc_id"] for e in before["documents"]} - {e["doc_id"] for e in entries}) if before else None
        change = Change(made + plan.restated, gone, changes_read_at)
        committed = commit_corpus(out, snapshot, quote(change), quote(info))
    except BaseException:
        snapshot.discard()  # the snapshot in force stays; this run's files would only take space
        raise
    manifest = {**info, "documents": sorted(entries, key=lambda e: e["doc_id"])}
    stale = [_stale_entry(e) for e in stale_edits(edits, _records_of(out, committed, {e.doc_id for e in edits}))]
    for item in stale:
        logger.warning("%s: an edit of record %s is stale (its source or engine output changed); kept, not applied",
                       item["doc_id"], item["record_id"])
    for entry in plan.removed:
        logger.info("%s was removed from the corpus; its records were dropped", entry["doc_id"])

    used = set().union(*(d.translated_languages for d in ready))
    used_tests = {engines[lang].pair for lang in used if engines[lang].meaningless}
    for pair in sorted(used_tests):
        logger.warning("%s was translated by a TEST package with random weights: its output is meaningless", pair)
    # The corpus's, not only this run's: a run that wrote nothing still serves records of a test package.
    serving_tests = {e.pair for e in engines.values() if e.meaningless and manifest["models"].get(e.pair) == e.model}
    test_models = sorted(used_tests | serving_tests)
    return build_summary(
        scope="all" if scope.doc_ids is None else "changes",
        manifest=manifest,
        plan=plan,
        written=[d.doc_id for d in ready],
        sentences_translated=translated,
        cache_hits=cache_hits,
        records_renormalized=sum(entry["records"] for entry, _ in renormalized),
        test_models=test_models,
        terms=statistics.as_dict(),
        seconds=time.monotonic() - started,
        stale_edits=stale,
    )


def _outside(previous: store.Snapshot | None, scope: Scope):
    """The document outside the scope made from a file with this sha256 (a run that reads
    only some files finds copies of the others' content in the catalog)."""
    if previous is None or scope.doc_ids is None:
        return lambda sha256: None

    def known(sha256: str) -> str | None:
        doc_id = previous.with_source(sha256)
        return doc_id if doc_id is not None and not scope.holds(doc_id) else None

    return known


def _touched_by_new_edits(out: Path, plan: RunPlan, edits: list[Edit], previous: store.Snapshot | None) -> set[str]:
    """Unchanged documents that edits saved since the last run touch: the edited document,
    and (the edit being reused for the same sentence) any document with that sentence."""
    applied_through = ((previous.info if previous else {}).get("edits") or {}).get("applied_through", 0)
    new = [e for e in edits if e.edit_id > applied_through]
    if not new:
        return set()
    touched = {e.doc_id for e in new}
    sources = {(e.src_lang, e.src_text) for e in new}
    for entry in plan.carry:
        if entry["doc_id"] not in touched and any(
            (r["src_lang"], r["src_text"]) in sources for r in store.read_document_records(out, entry)
        ):
            touched.add(entry["doc_id"])
    return touched


def _records_of(out: Path, snapshot: store.Snapshot, doc_ids: set[str]) -> Iterator[dict]:
    """The records of these documents (an edit's record id names its document, so only
    edited documents need reading to find stale edits)."""
    for entry in snapshot.entries(doc_ids):
        yield from store.read_document_records(out, entry)


def _stale_entry(edit: Edit) -> dict:
    return {"edit_id": edit.edit_id, "record_id": edit.record_id, "doc_id": edit.doc_id, "src_text": edit.src_text,
            "en_after": edit.en_after, "reviewer": edit.reviewer, "time": edit.created_at}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _pending(doc: PreparedDocument, language: str, reason: str) -> dict:
    pair = language_pair(language)
    return {"doc_id": doc.doc_id, "language": language, "pair": pair, "reason": reason, "install_command": install_command(pair)}

