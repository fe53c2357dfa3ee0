"""Translation throughput: raw CTranslate2, reportmt end to end, argostranslate, and the
flow on a Dask LocalCluster, on the same transformer-base test package and workload."""

from __future__ import annotations

import logging
import os
import re
import resource
import shutil
import time
from pathlib import Path

from bench.workload import german_documents

BEAM_SIZE = 4
MAX_DECODING_LENGTH = 256  # CTranslate2's default, which argostranslate leaves in place


def measure(repo: Path, work: Path, sentence_count: int, dask_sentences: int, skip_argos: bool
            ) -> tuple[list[tuple[str, str]], dict[str, float]]:
    threads = os.cpu_count() or 1
    results: dict[str, float] = {}
    rows: list[tuple[str, str]] = []
    package = build_package(repo, work)
    corpus = work / "corpus"
    sentences = german_documents(repo / "corpus", corpus, sentence_count)
    words = sum(len(s.split()) for s in sentences)
    rows.append(("workload", f"{len(sentences)} German sentences in {len(list(corpus.iterdir()))} documents, {words} words"))
    rows.append(("model", f"{package.model}: 6+6 layers, d_model 512, FFN 2048, 8 heads, 32k shared vocabulary, int8"))
    rows.append(("machine", f"{threads} CPU threads; beam {BEAM_SIZE}; max decoding length {MAX_DECODING_LENGTH}"))

    results["raw_seconds"] = _raw_ctranslate2(package, sentences, threads)
    rows.append(("1. raw CTranslate2 translate_batch", f"{results['raw_seconds']:.1f}s"))

    pipeline = _pipeline(corpus, work, package, threads)
    results.update(pipeline)
    rows.append(("   Prefect API start-up (excluded)", f"{pipeline['prefect_startup_seconds']:.1f}s"))
    translated = pipeline["sentences_translated"]
    rows.append(("2. reportmt run, end to end", f"{pipeline['pipeline_seconds']:.1f}s ({translated} sentences translated)"))
    rows.append(("5. reportmt re-run, nothing changed", f"{pipeline['rerun_seconds']:.2f}s"))
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("6. peak resident memory (raw + pipeline)", f"{results['peak_rss_mb']:.0f} MB"))

    if dask_sentences:
        for workers, seconds, count in _dask_scaling(corpus, work, package, dask_sentences):
            results[f"dask_{workers}_workers_sentences_per_second"] = count / seconds
            rows.append((f"7. reportmt on Dask, {workers} worker(s)", f"{count / seconds:.1f} sentences/s ({count} sentences, {seconds:.1f}s)"))

    if skip_argos:
        rows.append(("3. argostranslate translate()", "skipped (--skip-argos)"))
    else:
        try:
            results["argos_seconds"] = _argostranslate(package, corpus, work, threads)
            rows.append(("3. argostranslate translate(), one call per paragraph", f"{results['argos_seconds']:.1f}s"))
        except ImportError as exc:
            rows.append(("3. argostranslate translate()", f"skipped: {exc} (pip install -e '.[bench]')"))

    ratios = {
        "pipeline_vs_raw": round(results["raw_seconds"] / results["pipeline_seconds"], 3),
        "pipeline_vs_argos": round(results["argos_seconds"] / results["pipeline_seconds"], 3) if "argos_seconds" in results else None,
        "rerun_vs_full": round(results["rerun_seconds"] / results["pipeline_seconds"], 4),
        "peak_rss_mb": round(results["peak_rss_mb"]),
        **{key: round(value, 2) for key, value in results.items() if key.startswith("dask_")},
        "sentences": len(sentences),
        "threads": threads,
    }
    return rows, ratios


def build_package(repo: Path, work: Path):
    from reportmt.translators.packages import install_archive
    from reportmt.translators.tiny import BASE_SHAPE, build_tiny_package

    lines = [line for path in sorted((repo / "corpus").iterdir()) for line in path.read_text().splitlines()]
    archive = work / "reportmt-base-test-de_en.argosmodel"
    if not archive.exists():
        build_tiny_package("de-en", lines, archive, shape=BASE_SHAPE)
    return install_archive(archive, work / "packages")


def _raw_ctranslate2(package, sentences: list[str], threads: int) -> float:
    """The limit: the same model and options, input tokenized before the clock starts."""
    import ctranslate2
    import sentencepiece

    translator = ctranslate2.Translator(str(package.path / "model"), device="cpu", compute_type="int8", inter_threads=1, intra_threads=threads)
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
    tokens = [tokenizer.encode(s, out_type=str) for s in sentences]
    started = time.perf_counter()
    translator.translate_batch(
        tokens, max_batch_size=4096, batch_type="tokens", beam_size=BEAM_SIZE, length_penalty=0.2,
        replace_unknowns=True, max_decoding_length=MAX_DECODING_LENGTH,
    )
    return time.perf_counter() - started


def _pipeline(corpus: Path, work: Path, package, threads: int) -> dict:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from reportmt.flows.corpus_run import corpus_run
    from reportmt.flows.prefect_server import local_prefect_server

    started = time.perf_counter()
    with local_prefect_server(work / "prefect-server.log") as api_url, temporary_settings({PREFECT_API_URL: api_url}):
        startup = time.perf_counter() - started
        out = work / "normalized"
        shutil.rmtree(out, ignore_errors=True)
        decoding = {"beam_size": BEAM_SIZE, "intra_threads": threads, "inter_threads": 1}
        started = time.perf_counter()
        summary = corpus_run(str(corpus), str(out), models_dir=str(package.path.parent), decoding=decoding)
        full = time.perf_counter() - started
        started = time.perf_counter()
        again = corpus_run(str(corpus), str(out), models_dir=str(package.path.parent), decoding=decoding)
        rerun = time.perf_counter() - started
    assert again.sentences_translated == 0 and again.unchanged == len(summary.documents)
    return {
        "prefect_startup_seconds": startup,
        "pipeline_seconds": full,
        "rerun_seconds": rerun,
        "sentences_translated": summary.sentences_translated,
    }


def _dask_scaling(corpus: Path, work: Path, package, count: int):
    """Throughput of the flow on a LocalCluster of one and of two single-threaded workers."""
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect_dask import DaskTaskRunner

    from reportmt.flows.corpus_run import corpus_run
    from reportmt.flows.prefect_server import local_prefect_server

    subset = work / "corpus-scaling"
    shutil.rmtree(subset, ignore_errors=True)
    subset.mkdir()
    taken = 0
    for path in sorted(corpus.iterdir()):
        if taken >= count:
            break
        shutil.copy(path, subset / path.name)
        taken += sum(1 for line in path.read_text().splitlines() for _ in re.finditer(r"[.!?](?:\s|$)", line))
    measured = []
    with local_prefect_server(work / "prefect-server-dask.log") as api_url, temporary_settings({PREFECT_API_URL: api_url}):
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                out = work / f"normalized-dask-{workers}"
                shutil.rmtree(out, ignore_errors=True)
                flow = corpus_run.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
                started = time.perf_counter()
                summary = flow(str(subset), str(out), models_dir=str(package.path.parent),
                               decoding={"beam_size": BEAM_SIZE, "intra_threads": 1}, shards=2 * workers)
                measured.append((workers, time.perf_counter() - started, summary.sentences_translated))
    return measured


def _argostranslate(package, corpus: Path, work: Path, threads: int) -> float:
    """argostranslate's own translate(), one call per paragraph, on the same package.

    Offline sentence splitting: a blank spaCy pipeline in the package's spacy/ folder
    (argostranslate adds its rule-based sentencizer to it) and ARGOS_CHUNK_TYPE=SPACY.
    """
    argos_dir = work / "argos-packages"
    shutil.rmtree(argos_dir, ignore_errors=True)
    shutil.copytree(package.path, argos_dir / package.path.name)
    os.environ.update(
        ARGOS_PACKAGES_DIR=str(argos_dir),
        ARGOS_CHUNK_TYPE="SPACY",
        ARGOS_DEVICE_TYPE="cpu",
        ARGOS_BEAM_SIZE=str(BEAM_SIZE),
        ARGOS_INTER_THREADS="1",
        ARGOS_INTRA_THREADS=str(threads),
        ARGOS_COMPUTE_TYPE="int8",
    )
    import spacy

    spacy.blank("de").to_disk(argos_dir / package.path.name / "spacy")
    from argostranslate import translate  # imports torch and stanza: only here

    # argostranslate logs every sentence at INFO; in this process Prefect's handlers would print
    # them. Plain argostranslate use prints nothing, so neither does the benchmark.
    logging.getLogger("argostranslate.utils").setLevel(logging.WARNING)

    paragraphs = [line for path in sorted(corpus.iterdir()) for line in path.read_text().splitlines() if line.strip()]
    translate.translate(paragraphs[0][:200], "de", "en")  # load model and sentencizer before the clock
    started = time.perf_counter()
    for paragraph in paragraphs:
        translate.translate(paragraph, "de", "en")
    return time.perf_counter() - started
