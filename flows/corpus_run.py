"""The corpus run: reports in `corpus/`, a normalized parallel corpus in `normalized/`.

The flow only orchestrates; every step is a plain function of the reportmt core or of
the translators package.
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE

import reportmt
from reportmt import store
from reportmt.documents import PreparedDocument, SourceFailure, discover_sources, prepare_document
from reportmt.glossary import Normalizer, load_glossary
from reportmt.records import SCHEMA_VERSION, CorpusRecord, TermStatistics, Translation, build_records
from reportmt.sources import SourceError
from reportmt.summary import RunSummary
from translators.argos import ArgosTranslator
from translators.packages import InstalledPackage, find_installed, install_command, packages_dir

TARGET = "en"


@task(name="prepare-document", cache_policy=NO_CACHE)
def prepare(path: Path, corpus_root: Path) -> PreparedDocument | SourceFailure:
    """Read, identify the language, move furniture to metadata, split into sentences."""
    try:
        return prepare_document(path, corpus_root)
    except SourceError as error:
        return SourceFailure(error.path, error.reason, "fix or remove the file; the other documents were processed")


@task(name="translate", cache_policy=NO_CACHE, retries=1)
def translate(package: InstalledPackage, sentences: list[str]) -> list[str]:
    """Every sentence of one language in one call: CTranslate2 batches them by length."""
    return ArgosTranslator(package).translate(sentences)


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
    """Document files first, the manifest last: a killed run leaves the previous manifest in force."""
    manifest["documents"] = [store.write_document(out_dir, doc.metadata(), records[doc.doc_id]) for doc in docs]
    store.commit(out_dir, manifest)
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

    translations = _translate_all(ready, packages)
    records, statistics = normalize(ready, normalizer, translations)

    manifest = {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": reportmt.__version__,
        "glossary_version": normalizer.glossary.version,
        "models": {f"{lang}-{TARGET}": p.model for lang, p in sorted(packages.items())},
        "pending": pending,
        "failed": [f.as_dict() for f in failed],
    }
    written = write_corpus(Path(out_dir), ready, records, manifest)
    test_models = sorted(f"{lang}-{TARGET}" for lang, p in packages.items() if p.test_package)
    for pair in test_models:
        logger.warning("%s was translated by a TEST package with random weights: its output is meaningless", pair)
    return RunSummary(
        documents=[{k: d[k] for k in ("doc_id", "language", "records", "model")} for d in written],
        pending=pending,
        failed=[f.as_dict() for f in failed],
        sentences_translated=sum(len(t.texts) for t in translations.values()),
        models=manifest["models"],
        test_models=test_models,
        terms=statistics.as_dict(),
        seconds=round(time.monotonic() - started, 3),
    )


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


def _translate_all(docs: list[PreparedDocument], packages: dict[str, InstalledPackage]) -> dict[str, Translation]:
    """One translate task per language; the outputs are cut back into documents."""
    by_language: dict[str, list[PreparedDocument]] = defaultdict(list)
    for doc in docs:
        if doc.needs_translation:
            by_language[doc.language].append(doc)
    futures = {
        lang: translate.submit(packages[lang], [s.text for d in lang_docs for s in d.sentences])
        for lang, lang_docs in by_language.items()
    }
    translations: dict[str, Translation] = {}
    for lang, future in futures.items():
        outputs, cursor = future.result(), 0
        package = packages[lang]
        for doc in by_language[lang]:
            texts = tuple(outputs[cursor : cursor + len(doc.sentences)])
            cursor += len(doc.sentences)
            translations[doc.doc_id] = Translation(texts=texts, model=package.model, test_model=package.test_package)
    return translations
