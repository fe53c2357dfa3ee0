"""The corpus run: reports in `corpus/`, a normalized parallel corpus in `normalized/`.

The flow only orchestrates; every step is a plain function of the reportmt core or of
the translators package. Runs are incremental (see reportmt.incremental) and serialized
per output folder by a file lock, so a scheduled run and a triggered run never write the
same corpus at once.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock
from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

import reportmt
from reportmt import store
from reportmt.documents import TRANSLATED_LANGUAGES, PreparedDocument, SourceFailure, discover_sources, prepare_document
from reportmt.glossary import Normalizer, load_glossary
from reportmt.incremental import RunPlan, ScanResult, plan_run, scan
from reportmt.records import SCHEMA_VERSION, CorpusRecord, TermStatistics, Translation, build_records, renormalize_records
from reportmt.sources import SourceError
from reportmt.summary import RunSummary, summary_markdown
from reportmt.translation_cache import TranslationCache
from translators.argos import ArgosTranslator, DecodingOptions, engine_signature
from translators.packages import InstalledPackage, find_installed, install_command, packages_dir

TARGET = "en"
CACHE_FILE = "cache/translations.sqlite3"
LOCK_FILE = "run.lock"  # an OS lock (fcntl): released even when a run is killed


@task(name="scan-corpus", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def scan_corpus(corpus_root: Path) -> ScanResult:
    """Every report file with its sha256 (retried: files may be moved while we look)."""
    return scan(discover_sources(corpus_root), corpus_root)


@task(name="prepare-document", cache_policy=NO_CACHE)
def prepare(path: Path, corpus_root: Path) -> PreparedDocument | SourceFailure:
    """Read, identify the language, move furniture to metadata, split into sentences."""
    try:
        return prepare_document(path, corpus_root)
    except SourceError as error:
        return SourceFailure(error.path, error.reason, error.action)


@task(name="translate-shard", cache_policy=NO_CACHE, retries=2)
def translate_shard(package: InstalledPackage, options: DecodingOptions, batches: list[list[list[str]]]) -> list[list[str]]:
    """Planned batches of one language, in order; the worker loads the model once and keeps it.
    Retried: a shard lost with its worker runs again elsewhere and gives the same output."""
    translator = ArgosTranslator(package, options)
    return [translator.translate_batch(tokens) for tokens in batches]


@task(name="normalize", cache_policy=NO_CACHE)
def normalize(
    docs: list[PreparedDocument], normalizer: Normalizer, translations: dict[str, tuple[Translation | None, ...]]
) -> tuple[dict[str, list[CorpusRecord]], TermStatistics]:
    """Records with canonical English, QA flags for terms the translation lost."""
    records: dict[str, list[CorpusRecord]] = {}
    statistics = TermStatistics()
    for doc in docs:
        records[doc.doc_id], doc_statistics = build_records(doc, normalizer, translations[doc.doc_id])
        statistics.merge(doc_statistics)
    return records, statistics


@task(name="renormalize", cache_policy=NO_CACHE)
def renormalize(out_dir: Path, entries: list[dict], normalizer: Normalizer) -> tuple[dict[str, list[CorpusRecord]], TermStatistics]:
    """Unchanged documents under a changed glossary: rebuilt from their stored records."""
    records: dict[str, list[CorpusRecord]] = {}
    statistics = TermStatistics()
    for entry in entries:
        stored = list(store.read_document_records(out_dir, entry))
        records[entry["doc_id"]], doc_statistics = renormalize_records(stored, normalizer)
        statistics.merge(doc_statistics)
    return records, statistics


@task(name="write-corpus", cache_policy=NO_CACHE)
def write_corpus(
    out_dir: Path,
    docs: list[PreparedDocument],
    records: dict[str, list[CorpusRecord]],
    plan: RunPlan,
    renormalized: dict[str, list[CorpusRecord]],
    manifest: dict,
) -> list[dict]:
    """A new snapshot first, the manifest last: a killed run leaves the previous corpus in force."""
    snapshot = store.SnapshotWriter(out_dir)
    entries = [snapshot.write_document(doc.metadata(), records[doc.doc_id]) for doc in docs]
    entries += [snapshot.write_renormalized(entry, renormalized[entry["doc_id"]]) for entry in plan.renormalize]
    entries += [snapshot.carry_over(entry) for entry in plan.carry]
    manifest["documents"] = sorted(entries, key=lambda e: e["doc_id"])
    manifest["models"] = {f"{e['language']}-{TARGET}": e["model"] for e in manifest["documents"] if e["model"]}
    manifest["run"]["finished_at"] = _now()
    store.write_failures_report(out_dir, manifest)
    snapshot.commit(manifest)
    return manifest["documents"]


@flow(name="reportmt-corpus-run")
def corpus_run(
    corpus_dir: str = "corpus",
    out_dir: str = "normalized",
    glossary: str | None = None,
    models_dir: str | None = None,
    decoding: dict | None = None,
    shards: int = 1,
) -> RunSummary:
    """``decoding``: DecodingOptions fields (beam_size, compute_type, inter_threads,
    intra_threads, max_batch_tokens, max_input_tokens) over the machine's defaults.
    ``shards``: translation tasks per language; more than one spreads the planned batches
    over the workers of a distributed task runner (the output does not change)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    options = DecodingOptions.for_machine(**(decoding or {}))
    with FileLock(str(out / LOCK_FILE)):
        summary = _run_locked(Path(corpus_dir).resolve(), out, glossary, models_dir, options, shards)
    create_markdown_artifact(key="reportmt-run-summary", markdown=summary_markdown(summary), description="reportmt run summary")
    return summary


def _run_locked(
    corpus_root: Path, out: Path, glossary: str | None, models_dir: str | None, options: DecodingOptions, shards: int
) -> RunSummary:
    logger = get_run_logger()
    started = time.monotonic()
    started_at = _now()
    normalizer = Normalizer(load_glossary(glossary))
    previous = store.read_manifest(out) if (out / store.MANIFEST).is_file() else None
    directory = packages_dir(models_dir)
    packages = {lang: p for lang in TRANSLATED_LANGUAGES if (p := find_installed(directory, lang, TARGET))}
    scanned = scan_corpus(corpus_root)
    plan = plan_run(scanned, previous, normalizer.glossary.version, {lang: p.model for lang, p in packages.items()})

    prepared = [f.result() for f in prepare.map([s.path for s in plan.to_prepare], unmapped(corpus_root))]
    docs = [p for p in prepared if isinstance(p, PreparedDocument)]
    failed = [p.as_dict() for p in prepared if isinstance(p, SourceFailure)]
    failed += [s.as_dict() for s in scanned.skipped if s.kind == "failed"]
    deferred = [s.as_dict() for s in scanned.skipped if s.kind == "deferred"]
    duplicates = [s.as_dict() for s in scanned.skipped if s.kind == "duplicate"]
    for item in failed + deferred + duplicates:
        logger.warning("%s %s", item["file"], item["reason"])
    pending = [_pending(d, lang) for d in docs for lang in sorted(d.translated_languages - packages.keys())]
    for item in pending:
        logger.warning("%s is pending: no %s model; install it with `%s`", item["doc_id"], item["pair"], item["install_command"])
    ready = [d for d in docs if d.translated_languages <= packages.keys()]

    cache = TranslationCache(out / CACHE_FILE)
    translations, translated, cache_hits = _translate_all(ready, packages, cache, options, shards)
    records, statistics = normalize(ready, normalizer, translations)
    renormalized, renormalized_statistics = renormalize(out, plan.renormalize, normalizer)
    statistics.merge(renormalized_statistics)

    manifest = {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": reportmt.__version__,
        "glossary_version": normalizer.glossary.version,
        "pending": pending,
        "failed": failed,
        "deferred": deferred,
        "duplicates": duplicates,
        # The only place for times and run ids: record files stay byte-identical across runs.
        "run": {"started_at": started_at, "flow_run_id": str(flow_run.id)},
    }
    written = write_corpus(out, ready, records, plan, renormalized, manifest)
    for entry in plan.removed:
        logger.info("%s was removed from the corpus; its records were dropped", entry["doc_id"])

    used = set().union(*(d.translated_languages for d in ready))
    test_models = sorted(f"{lang}-{TARGET}" for lang in used if packages[lang].test_package)
    for pair in test_models:
        logger.warning("%s was translated by a TEST package with random weights: its output is meaningless", pair)
    status = {s.doc_id: "new" for s in plan.new} | {s.doc_id: "changed" for s in plan.changed}
    written_status = [status.get(d.doc_id) for d in ready]
    return RunSummary(
        documents=[
            {**{k: d[k] for k in ("doc_id", "language", "records", "model")}, "status": status.get(d["doc_id"], "unchanged")}
            for d in written
        ],
        new=written_status.count("new"),
        changed=written_status.count("changed"),
        unchanged=plan.unchanged,
        removed=[e["doc_id"] for e in plan.removed],
        pending=pending,
        failed=failed,
        deferred=deferred,
        duplicates=duplicates,
        sentences_translated=translated,
        cache_hits=cache_hits,
        records_renormalized=sum(len(r) for r in renormalized.values()),
        models=manifest["models"],
        test_models=test_models,
        terms=statistics.as_dict(),
        seconds=round(time.monotonic() - started, 3),
    )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _pending(doc: PreparedDocument, language: str) -> dict:
    pair = f"{language}-{TARGET}"
    return {"doc_id": doc.doc_id, "language": language, "pair": pair, "install_command": install_command(pair)}


def _translate_all(
    docs: list[PreparedDocument],
    packages: dict[str, InstalledPackage],
    cache: TranslationCache,
    options: DecodingOptions,
    shards: int,
) -> tuple[dict[str, tuple[Translation | None, ...]], int, int]:
    """Sentences the cache lacks, per source language, planned into batches and sent to the
    task runner in shards; outputs go back to their sentences. Returns per document one slot
    per sentence (None for English), the number of sentences translated now, and cache hits."""
    sentences_by_language: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        for sentence in doc.sentences:
            if sentence.needs_translation:
                sentences_by_language[sentence.language].append(sentence.text)
    outputs: dict[str, dict[str, str]] = {}
    work = []
    for lang, sentences in sentences_by_language.items():
        signature = engine_signature(packages[lang], options)
        unique = list(dict.fromkeys(sentences))
        outputs[lang] = cache.get_many(signature, unique)
        missing = [s for s in unique if s not in outputs[lang]]
        if missing:
            plan = ArgosTranslator(packages[lang], options).plan(missing)
            futures = [
                (shard, translate_shard.submit(packages[lang], options, [plan.batch_tokens(b) for b in shard]))
                for shard in plan.shards(shards)
            ]
            work.append((lang, signature, missing, plan, futures))
    hits = sum(len(found) for found in outputs.values())
    translated = 0
    for lang, signature, missing, plan, futures in work:
        units: dict[int, str] = {}
        for shard, future in futures:
            for batch, texts in zip(shard, future.result()):
                units.update(zip(batch, texts))
        new = dict(zip(missing, plan.assemble(units)))
        cache.put_many(signature, new)
        outputs[lang].update(new)
        translated += len(new)
    translations = {
        doc.doc_id: tuple(
            Translation(outputs[s.language][s.text], packages[s.language].model, packages[s.language].test_package)
            if s.needs_translation
            else None
            for s in doc.sentences
        )
        for doc in docs
    }
    return translations, translated, hits
