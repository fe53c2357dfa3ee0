"""A corpus that keeps growing: what a run that adds one report costs at 1,000, 10,000 and
100,000 reports (synthetic English reports, no engine), with the review workspace open.

For each size: a full run builds the corpus and the workspace's search index is built;
then one report is added, noted as `reportmt watch` notes it, and a run that reads the
noted changes takes it in (as the watch trigger starts it). Figures: that run's flow
seconds, its commit, the time until the workspace's documents page finds the new report,
and a run that looks at every file (the scheduled sync) after adding another; the ratio
of the largest size's figure to the smallest's says whether cost follows change.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from unittest import mock

from bench.workload import english_workload

SENTENCES_PER_REPORT = 4
NEW_REPORT_WORD = "Zanzibarian"  # in the added report only: the workspace's search finds it once indexed


def measure(repo: Path, work: Path, sizes: list[int]) -> tuple[list[tuple[str, str]], dict[str, float]]:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from reportmt.flows.prefect_server import local_prefect_server

    rows: list[tuple[str, str]] = []
    figures: dict[str, float] = {}
    sentences = english_workload(repo / "corpus", 5000)
    with local_prefect_server(work / "prefect-server-scale.log") as api_url, temporary_settings({PREFECT_API_URL: api_url}):
        for size in sizes:
            measured = _one_size(work / f"scale-{size}", sentences, size)
            rows += [(f"scale {size:,} reports: {name}", f"{value:.3f}s") for name, value in measured.items()]
            figures.update({f"scale_{size}_{name}": round(value, 3) for name, value in measured.items()})
    smallest, largest = min(sizes), max(sizes)
    for name in ("add_one_run", "commit", "until_shown", "add_one_full_scan"):
        ratio = figures[f"scale_{largest}_{name}"] / max(figures[f"scale_{smallest}_{name}"], 1e-3)
        figures[f"scale_{name}_ratio"] = round(ratio, 2)
        target = "looks at every file: grows with the corpus" if name == "add_one_full_scan" else "target: at most 2"
        rows.append((f"scale {name} {largest:,} vs {smallest:,} reports", f"{ratio:.2f} ({target})"))
    return rows, figures


def _one_size(folder: Path, sentences: list[str], size: int) -> dict[str, float]:
    from starlette.testclient import TestClient

    from reportmt import search_index
    from reportmt.flows.corpus_run import corpus_run
    from reportmt.reader import Corpus
    from reportmt.review.app import create_app
    from reportmt.review.identities import OneReviewer
    from reportmt.snapshots import SnapshotWriter

    shutil.rmtree(folder, ignore_errors=True)
    corpus, out, models = folder / "corpus", folder / "normalized", folder / "no-models"
    models.mkdir(parents=True)
    _write_reports(corpus, sentences, range(size))
    started = time.perf_counter()
    corpus_run(str(corpus), str(out), models_dir=str(models))
    full = time.perf_counter() - started
    search_index.update(Corpus(out))  # the workspace has been open since the corpus was made
    client = TestClient(create_app(out, OneReviewer("bench", None)), base_url="http://127.0.0.1")
    assert f"report-{size:06d}.txt" not in client.get(f"/?q={NEW_REPORT_WORD}").text

    new_report = f"report-{size:06d}.txt"
    figures = {"full_run": full}
    commits: list[float] = []
    plain_commit = SnapshotWriter.commit

    def timed_commit(self, *args, **kwargs):
        begun = time.perf_counter()
        try:
            return plain_commit(self, *args, **kwargs)
        finally:
            commits.append(time.perf_counter() - begun)

    # Warm-up: the first run of a process loads the language models; a served deployment has them.
    _add_and_run(corpus, out, models, sentences, size + 1, changes_only=True)
    with mock.patch.object(SnapshotWriter, "commit", timed_commit):
        started = time.perf_counter()
        figures["add_one_run"] = _add_and_run(corpus, out, models, sentences, size, changes_only=True,
                                              extra=f"The delegation from {NEW_REPORT_WORD} attended.")
        while new_report not in client.get(f"/?q={NEW_REPORT_WORD}").text:
            time.sleep(0.05)
        figures["until_shown"] = time.perf_counter() - started - _SETTLE_SECONDS
        figures["commit"] = commits[-1]
        figures["add_one_full_scan"] = _add_and_run(corpus, out, models, sentences, size + 2, changes_only=False)
    return figures


_SETTLE_SECONDS = 2.1  # a file younger than two seconds may still be being written: a run would defer it


def _add_and_run(corpus: Path, out: Path, models: Path, sentences: list[str], number: int, *, changes_only: bool,
                 extra: str = "") -> float:
    """Add one report, as `reportmt watch` sees it (noted in the catalog), and run: the flow's seconds."""
    from reportmt import store
    from reportmt.flows.corpus_run import corpus_run

    _write_reports(corpus, sentences, [number], extra=extra)
    store.note_changes(out, [f"report-{number:06d}.txt"])
    time.sleep(_SETTLE_SECONDS)
    summary = corpus_run(str(corpus), str(out), models_dir=str(models), changes_only=changes_only)
    assert summary.new == 1, summary.counts_line()
    return summary.seconds


def _write_reports(corpus: Path, sentences: list[str], numbers, extra: str = "") -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for number in numbers:
        chosen = [sentences[(number * 7 + k) % len(sentences)] for k in range(SENTENCES_PER_REPORT)]
        text = f"Report {number}\n\n" + " ".join(f"{s}." for s in chosen) + (f" {extra}" if extra else "") + "\n"
        (corpus / f"report-{number:06d}.txt").write_text(text, encoding="utf-8")
