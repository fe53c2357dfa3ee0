"""The corpus run: reports in `corpus/`, a normalized parallel corpus in `normalized/`.

The flow only orchestrates, and reads as the run's table of contents: scan, plan, prepare
(flows.prepare), translate (flows.translate), write (flows.write), commit; every step is a
plain function of the reportmt core or of the translators package, and what a run decides
between them (plan, pending documents, the snapshot's info, test packages, stale edits) is
reportmt.run's. Its options are reportmt.run_options.RunOptions. Runs are incremental (see
reportmt.incremental) and serialized per output folder by a file lock, so a scheduled run
and a triggered run never write the same corpus at once. Collections that grow with the corpus (the previous snapshot, the
entries to commit) go to tasks quoted: Prefect would otherwise visit every element of
every parameter, for each call, and a run that adds one report would cost what the
corpus holds.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import deployment, flow_run
from prefect.utilities.annotations import quote

from reportmt import progress, run, search_index, store
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
    Unread,
    choose_scope,
    drop_duplicates,
    scan,
    sort_unread,
)
from reportmt.languages import TARGET, TRANSLATED
from reportmt.layout import CACHE_FILE, OCR_CACHE_DIR, WORK_DIR
from reportmt.reader import Corpus
from reportmt.records import TermStatistics
from reportmt.run_lock import run_lock
from reportmt.run_options import DEFAULTS, Decoding, RunOptions
from reportmt.snapshot_info import SnapshotInfo
from reportmt.snapshots import Change, SnapshotWriter
from reportmt.summary import RunSummary, build_summary, summary_markdown
from reportmt.translation_cache import TranslationCache
from reportmt.translators.argos import ArgosTranslator, DecodingOptions, installed_engines
from reportmt.translators.packages import packages_dir

from .coalesce import supersede_waiting
from .console_logs import strip_tracebacks
from .orphans import end_with_serve, served_by_reportmt
from .prepare import prepare_all
from .translate import translate_all
from .write import WriteContext, renormalize_all, write_all

ARTIFACT_SUGGESTIONS = 10


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
def commit_corpus(out_dir: Path, writer: SnapshotWriter, change: Change, info: SnapshotInfo) -> store.Snapshot:
    """The catalog last: a run killed before this leaves the previous corpus in force."""
    store.write_failures_report(out_dir, info)
    return writer.commit(change, info)


@dataclass(frozen=True)
class RunRequest:
    """What a run was asked to do, resolved: its options, and the decoding options for
    this machine."""

    options: RunOptions
    decoding: DecodingOptions

    @property
    def corpus_root(self) -> Path:
        return Path(self.options.corpus_dir).resolve()

    @property
    def out(self) -> Path:
        return Path(self.options.out_dir)


@flow(name="reportmt-corpus-run")
def corpus_run(
    corpus_dir: str = DEFAULTS.corpus_dir,
    out_dir: str = DEFAULTS.out_dir,
    glossary: str | None = DEFAULTS.glossary,
    models_dir: str | None = DEFAULTS.models_dir,
    decoding: dict | None = None,
    shards: int = DEFAULTS.shards,
    propagate: bool = DEFAULTS.propagate,
    verify: bool = DEFAULTS.verify,
    rebuild: bool = DEFAULTS.rebuild,
    changes_only: bool = DEFAULTS.changes_only,
) -> RunSummary:
    """The parameters are reportmt.run_options.RunOptions, flat (as `prefect deployment run
    --param` names them), which says what each means. ``decoding``: DecodingOptions fields
    (beam_size, device, compute_type, inter_threads, intra_threads, max_batch_tokens,
    max_input_tokens) over the machine's defaults."""
    _when_served()
    options = RunOptions(corpus_dir=corpus_dir, out_dir=out_dir, glossary=glossary, models_dir=models_dir,
                         decoding=Decoding(**(decoding or {})), shards=shards, propagate=propagate, verify=verify,
                         rebuild=rebuild, changes_only=changes_only)
    out = Path(options.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    logger = get_run_logger()
    with run_lock(out, str(flow_run.id), logger.info):
        superseded = supersede_waiting(flow_run.id, deployment.id)
        if superseded.cancelled:
            logger.info("%d waiting run%s cancelled: this run reads the changes they were for", superseded.cancelled,
                        "s" if superseded.cancelled > 1 else "")
        if superseded.every_file:
            options = options.model_copy(update={"changes_only": False})
        summary = _run_locked(RunRequest(options, DecodingOptions.for_machine(**options.decoding.overrides())))
        suggestions = glossary_suggestions(out, quote(summary), glossary)  # under the lock: no other run replaces the snapshot
        update_review_index(out)
    create_markdown_artifact(key="reportmt-run-summary", markdown=summary_markdown(summary), description="reportmt run summary")
    if suggestions:
        create_markdown_artifact(key="reportmt-glossary-suggestions", markdown=suggestions_markdown(suggestions),
                                 description="Names in this run's documents that the glossary does not know")
    return summary


def _when_served() -> None:
    """A run that `reportmt serve` started ends with serve, and its Prefect services say
    their trouble in one line on serve's terminal. Done when the run starts, not when its
    module is imported: importing starts nothing."""
    if served_by_reportmt():
        end_with_serve(str(flow_run.id))
        strip_tracebacks()


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
    if search_index.indexed_snapshot(out) is None:
        return
    try:
        search_index.update(Corpus(out))
    except (store.CorpusError, sqlite3.Error) as exc:  # the corpus is committed; the workspace catches up itself
        get_run_logger().warning("The review workspace's search index was not updated: %s", exc)


def _run_locked(request: RunRequest) -> RunSummary:
    work_dir = request.out / WORK_DIR
    shutil.rmtree(work_dir, ignore_errors=True)  # left behind by a killed run
    try:
        return _run_steps(request, work_dir)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


@dataclass(frozen=True)
class Setting:
    """What a run starts from: its request, the glossary, the previous snapshot, the
    engines installed (and why the other languages have none) and the saved edits."""

    request: RunRequest
    clock: run.RunClock
    normalizer: Normalizer
    previous: store.Snapshot | None
    engines: dict[str, ArgosTranslator]
    unavailable: dict[str, str]
    edits: list[Edit]

    @property
    def previous_info(self) -> SnapshotInfo | None:
        return self.previous.info if self.previous else None


@dataclass(frozen=True)
class Reading:
    """What the run reads: its scope, the previous entries in it, the files found there,
    the plan, the documents prepared and the files without records."""

    scope: Scope
    before: dict | None
    plan: RunPlan
    docs: list[PreparedDocument]
    unread: Unread


def _run_steps(request: RunRequest, work_dir: Path) -> RunSummary:
    setting = _start(request)
    reading = _read(setting, work_dir)
    cache = _translation_cache(request.out)
    translatable = run.readiness(reading.docs, setting.engines.keys(), setting.unavailable).translatable
    translated, cache_hits = translate_all(translatable, setting.engines, setting.unavailable, cache,
                                           request.options.shards)
    # Asked again: a model that did not load has joined the unavailable, and its documents wait.
    readiness = run.readiness(reading.docs, setting.engines.keys(), setting.unavailable)
    for item in readiness.pending:
        get_run_logger().warning("%s is pending: %s; %s", item.file, item.reason, item.action)
    committed = _write_and_commit(setting, reading, cache, readiness)
    stale = stale_edits(setting.edits, _records_of(request.out, committed.snapshot, {e.doc_id for e in setting.edits}))
    meaningless = run.meaningless_models(setting.engines, set().union(*(d.translated_languages for d in readiness.ready)),
                                         committed.snapshot.info)
    _say_after_commit(stale, reading.plan, meaningless)
    return build_summary(
        scope="all" if reading.scope.doc_ids is None else "changes",
        info=committed.snapshot.info,
        documents=committed.entries,
        plan=reading.plan,
        written=[d.doc_id for d in readiness.ready],
        sentences_translated=translated,
        cache_hits=cache_hits,
        records_renormalized=committed.records_renormalized,
        test_models=meaningless.serving,
        terms=committed.terms.as_dict(),
        seconds=setting.clock.seconds(),
        stale_edits=[run.stale_edit_entry(edit) for edit in stale],
    )


def _start(request: RunRequest) -> Setting:
    clock = run.RunClock.start()
    normalizer = Normalizer(load_glossary(request.options.glossary))
    if request.options.rebuild:
        aside = store.set_aside_damaged_catalog(request.out)
        if aside:
            get_run_logger().warning("The damaged catalog was moved to %s; the corpus is rebuilt", aside.name)
    previous = store.previous_snapshot(request.out) if not request.options.rebuild else None
    engines, unavailable = installed_engines(packages_dir(request.options.models_dir), TRANSLATED, TARGET,
                                             request.decoding)
    return Setting(request, clock, normalizer, previous, engines, unavailable, read_edits(request.out))


def _read(setting: Setting, work_dir: Path) -> Reading:
    """Scope, scan, plan and prepare: the documents this run makes records of."""
    request, out, logger = setting.request, setting.request.out, get_run_logger()
    scope = choose_scope(setting.previous_info, store.noted_changes(out), changes_only=request.options.changes_only,
                         glossary_version=setting.normalizer.glossary.version, models=run.models_by_pair(setting.engines),
                         last_edit=run.last_edit_id(setting.edits))
    logger.info("This run reads %s", scope.reason if scope.doc_ids is None else f"{len(scope.doc_ids)} {scope.reason}")
    before = setting.previous.as_manifest(scope.doc_ids) if setting.previous else None
    scanned = scan_corpus(request.corpus_root, scope, quote(before), request.options.verify)
    plan = run.plan(scanned, before, setting.normalizer.glossary.version, setting.engines,
                    run.new_edits(setting.edits, setting.previous_info), partial(store.read_document_records, out))
    docs, unreadable = prepare_all(plan, request.corpus_root, work_dir, OcrCache(out / OCR_CACHE_DIR))
    outside = run.outside_scope(setting.previous.with_source if setting.previous else None, scope)
    docs, duplicates = drop_duplicates(docs, scanned, outside)
    unread = sort_unread(unreadable + duplicates + scanned.skipped)
    for item in unread.all:
        logger.warning("%s %s", item.file, item.reason)
    for note in filter(None, (unreadable_note(doc.doc_id, doc.file_metadata) for doc in docs)):
        logger.warning(note)
    return Reading(scope, before, plan, docs, unread)


def _translation_cache(out: Path) -> TranslationCache:
    cache = TranslationCache(out / CACHE_FILE)
    if cache.damaged:
        get_run_logger().warning("The translation cache %s was damaged (%s): moved to %s; a new one is built, translating "
                                 "again what the corpus needs", cache.path, cache.damaged[1], cache.damaged[0].name)
    return cache


@dataclass(frozen=True)
class Committed:
    """The snapshot a run committed, the entries of the documents in its scope, how many
    records it made again from the stored ones, and the terms its records hold."""

    snapshot: store.Snapshot
    entries: list[dict]
    records_renormalized: int
    terms: TermStatistics


def _write_and_commit(setting: Setting, reading: Reading, cache: TranslationCache, readiness: run.Readiness,
                      ) -> Committed:
    """The ready documents' records written, the others' carried or made again, and the
    snapshot committed (the catalog last)."""
    out, plan = setting.request.out, reading.plan
    reviews = ReviewMemory(setting.edits, propagate=setting.request.options.propagate)
    snapshot = SnapshotWriter(out)
    try:
        progress.start(progress.WRITE, "Writing records",
                       sum(d.sentence_count for d in readiness.ready) + sum(e["records"] for e in plan.renormalize))
        written = write_all(WriteContext(snapshot, setting.normalizer, cache, setting.engines, reviews), readiness.ready)
        renormalized = renormalize_all(snapshot, out, plan.renormalize, setting.normalizer, reviews)
        terms = TermStatistics()
        for _, doc_statistics in written + renormalized:
            terms.merge(doc_statistics)
        made = [entry for entry, _ in written + renormalized]
        entries = made + plan.carry  # every document in scope
        info = run.snapshot_info(entries=entries, glossary_version=setting.normalizer.glossary.version,
                                 previous=setting.previous_info, scope=reading.scope, pending=readiness.pending,
                                 unread=reading.unread, run=setting.clock.record(str(flow_run.id)),
                                 last_edit=run.last_edit_id(setting.edits))
        change = Change(made + plan.restated, run.gone_documents(reading.before, entries), setting.clock.changes_read_at)
        committed = commit_corpus(out, snapshot, quote(change), quote(info))
    except BaseException:
        snapshot.discard()  # the snapshot in force stays; this run's files would only take space
        raise
    return Committed(committed, entries, sum(entry["records"] for entry, _ in renormalized), terms)


def _say_after_commit(stale: list[Edit], plan: RunPlan, meaningless: run.MeaninglessModels) -> None:
    logger = get_run_logger()
    for edit in stale:
        logger.warning("%s: an edit of record %s is stale (its source or engine output changed); kept, not applied",
                       edit.doc_id, edit.record_id)
    for entry in plan.removed:
        logger.info("%s was removed from the corpus; its records were dropped", entry["doc_id"])
    for pair in meaningless.used:
        logger.warning("%s was translated by a TEST package with random weights: its output is meaningless", pair)


def _records_of(out: Path, snapshot: store.Snapshot, doc_ids: set[str]) -> Iterator[dict]:
    """The records of these documents (an edit's record id names its document, so only
    edited documents need reading to find stale edits)."""
    for entry in snapshot.entries(doc_ids):
        yield from store.read_document_records(out, entry)
