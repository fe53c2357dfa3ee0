"""The corpus run: reports in `corpus/`, a normalized parallel corpus in `normalized/`.

The flow only orchestrates; every step is a plain function of the reportmt core or of
the translators package.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

import reportmt
from reportmt import store
from reportmt.documents import PreparedDocument, SourceFailure, discover_sources, prepare_document
from reportmt.glossary import Normalizer, load_glossary
from reportmt.records import SCHEMA_VERSION, CorpusRecord, TermStatistics, Translation, build_records
from reportmt.sources import SourceError
from reportmt.summary import RunSummary
from reportmt.translation_cache import TranslationCache
from translators.argos import ArgosTranslator, DecodingOptions, engine_signature
from translators.packages import InstalledPackage, find_installed, install_command, packages_dir

TARGET = "en"
CACHE_FILE = "cache/translations.sqlite3"


@task(name="prepare-document", cache_policy=NO_CACHE)
def prepare(path: Path, corpus_root: Path) -> PreparedDocument | SourceFailure:
    """Read, identify the language, move furniture to metadata, split into sentences."""
    try:
        return prepare_document(path, corpus_root)
    except SourceError as error:
        return SourceFailure(error.path, error.reason, "fix or remove the file; the other documents were processed")


@task(name="translate", cache_policy=NO_CACHE, retries=1)
def translate(package: InstalledPackage, options: DecodingOptions, sentences: list[str]) -> list[str]:
    """Every new sentence of one language in one call: CTranslate2 batches them by length."""
    return ArgosTranslator(package, options).translate(sentences)


@task(name="normalize", cache_policy=NO_CACHE)
def normalize(
    docs: list[PreparedDocument], normalizer: Normalizer, translations: dict[str, Translation]
) -> tuple[dict[str, list[CorpusRecord]], TermStatistics]:
    """Records with canonical English, QA flags for terms the translation lost."""
    records: dict[str, list[CorpusRecord]] = {}
    statistics = TermStatistics()
    for doc in docs:
        records[doc.doc_id], doc_statistics = build_records(doc, normalizer, translations.get(doc.doc_id))
        statistics.merge(doc_statistics)
    return records, statistics


@task(name="write-corpus", cache_policy=NO_CACHE)
def write_corpus(out_dir: Path, docs: list[PreparedDocument], records: dict[str, list[CorpusRecord]], manifest: dict) -> list[dict]:
    """A new snapshot first, the manifest last: a killed run leaves the previous corpus in force."""
    snapshot = store.SnapshotWriter(out_dir)
    manifest["documents"] = [snapshot.write_document(doc.metadata(), records[doc.doc_id]) for doc in docs]
    manifest["run"]["finished_at"] = _now()
    snapshot.commit(manifest)
    return manifest["documents"]


@flow(name="reportmt-corpus-run")
def corpus_run(
    corpus_dir: str = "corpus",
    out_dir: str = "normalized",
    glossary: str | None = None,
    models_dir: str | None = None,
) -> RunSummary:
    logger = get_run_logger()
    started = time.monotonic()
    started_at = _now()
    normalizer = Normalizer(load_glossary(glossary))
    corpus_root = Path(corpus_dir).resolve()

    prepared = [f.result() for f in prepare.map(discover_sources(corpus_root), unmapped(corpus_root))]
    docs = [p for p in prepared if isinstance(p, PreparedDocument)]
    failed = [p for p in prepared if isinstance(p, SourceFailure)]
    for failure in failed:
        logger.warning("%s: %s", failure.file, failure.reason)

    packages, pending = _find_models(docs, packages_dir(models_dir))
    for item in pending:
        logger.warning("%s is pending: no %s model; install it with `%s`", item["doc_id"], item["pair"], item["install_command"])
    ready = [d for d in docs if not d.needs_translation or d.language in packages]

    cache = TranslationCache(Path(out_dir) / CACHE_FILE)
    translations, translated, cache_hits = _translate_all(ready, packages, cache)
    records, statistics = normalize(ready, normalizer, translations)

    manifest = {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": reportmt.__version__,
        "glossary_version": normalizer.glossary.version,
        "models": {f"{lang}-{TARGET}": p.model for lang, p in sorted(packages.items())},
        "pending": pending,
        "failed": [f.as_dict() for f in failed],
        # The only place for times and run ids: record files stay byte-identical across runs.
        "run": {"started_at": started_at, "flow_run_id": str(flow_run.id)},
    }
    written = write_corpus(Path(out_dir), ready, records, manifest)
    test_models = sorted(f"{lang}-{TARGET}" for lang, p in packages.items() if p.test_package)
    for pair in test_models:
        logger.warning("%s was translated by a TEST package with random weights: its output is meaningless", pair)
    return RunSummary(
        documents=[{k: d[k] for k in ("doc_id", "language", "records", "model")} for d in written],
        pending=pending,
        failed=[f.as_dict() for f in failed],
        sentences_translated=translated,
        cache_hits=cache_hits,
        models=manifest["models"],
        test_models=test_models,
        terms=statistics.as_dict(),
        seconds=round(time.monotonic() - started, 3),
    )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _find_models(docs: list[PreparedDocument], directory: Path) -> tuple[dict[str, InstalledPackage], list[dict]]:
    packages: dict[str, InstalledPackage] = {}
    pending: list[dict] = []
    for lang in sorted({d.language for d in docs if d.needs_translation}):
        package = find_installed(directory, lang, TARGET)
        if package is not None:
            packages[lang] = package
    for doc in docs:
        if doc.needs_translation and doc.language not in packages:
            pair = f"{doc.language}-{TARGET}"
            pending.append({"doc_id": doc.doc_id, "language": doc.language, "pair": pair, "install_command": install_command(pair)})
    return packages, pending


def _translate_all(
    docs: list[PreparedDocument], packages: dict[str, InstalledPackage], cache: TranslationCache
) -> tuple[dict[str, Translation], int, int]:
    """One translate task per language for the sentences the cache lacks; outputs are cut back
    into documents. Returns the translations, sentences translated now, and cache hits."""
    options = DecodingOptions.for_machine()
    by_language: dict[str, list[PreparedDocument]] = defaultdict(list)
    for doc in docs:
        if doc.needs_translation:
            by_language[doc.language].append(doc)
    outputs: dict[str, dict[str, str]] = {}
    futures = {}
    for lang, lang_docs in by_language.items():
        signature = engine_signature(packages[lang], options)
        sentences = list(dict.fromkeys(s.text for d in lang_docs for s in d.sentences))
        outputs[lang] = cache.get_many(signature, sentences)
        missing = [s for s in sentences if s not in outputs[lang]]
        if missing:
            futures[lang] = (signature, missing, translate.submit(packages[lang], options, missing))
    hits = sum(len(found) for found in outputs.values())
    translated = 0
    for lang, (signature, missing, future) in futures.items():
        new = dict(zip(missing, future.result()))
        cache.put_many(signature, new)
        outputs[lang].update(new)
        translated += len(new)
    translations = {
        doc.doc_id: Translation(
            texts=tuple(outputs[lang][s.text] for s in doc.sentences),
            model=packages[lang].model,
            test_model=packages[lang].test_package,
        )
        for lang, lang_docs in by_language.items()
        for doc in lang_docs
    }
    return translations, translated, hits
