"""Many short reports: batches of files, preparation on every core, re-runs that trust
unchanged files, and the quality sets that keep the faster segmentation and language
identification honest."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from helpers import REPO, export_records

from bench.quality import (
    language_accuracy,
    lingua_everywhere,
    pysbd_alone,
    reportmt_languages,
    segmentation_accuracy,
)
from reportmt import store
from reportmt.batching import batches_by_bytes
from reportmt.qa.flags import CHECK_FAMILIES, family
from reportmt.segment import split_sentences

ENGLISH_SEEDS = ("000_18754e56d8b48404.txt", "001_f6a9db11861e7d8f.txt", "002_80b917cbb38a1ee2.txt")


def _many_reports(folder: Path, count: int) -> Path:
    """``count`` short English reports cut from the English seeds, each a different mix of paragraphs."""
    paragraphs = [line for name in ENGLISH_SEEDS for line in (REPO / "corpus" / name).read_text().splitlines() if len(line) > 80]
    folder.mkdir(parents=True)
    for number in range(count):
        chosen = [paragraphs[(number * 7 + k * 3) % len(paragraphs)] for k in range(3)]
        (folder / f"report-{number:03d}.txt").write_text(f"Report {number}\n" + "\n".join(chosen) + "\n", encoding="utf-8")
    return folder


def _snapshot(out: Path) -> dict[str, bytes]:
    return {e["doc_id"]: store.records_path(out, e).read_bytes() for e in store.read_snapshot(out).documents}


def test_batches_follow_the_bytes_and_keep_the_order():
    sizes = [10, 10, 10, 50, 10, 10]
    batches = batches_by_bytes(list(range(len(sizes))), lambda i: sizes[i], 25)
    assert batches == [[0, 1], [2], [3], [4, 5]]
    assert [i for batch in batches for i in batch] == list(range(len(sizes)))


def test_one_bad_file_among_many_fails_alone_and_processes_give_the_same_corpus(tmp_path, run_corpus, monkeypatch, models_dir):
    corpus = _many_reports(tmp_path / "corpus", 60)
    (corpus / "report-030.txt").write_bytes(b"\x7fELF\x02\x01\x00binary")
    (corpus / "report-031.txt").write_text("")
    for seed in ("003_e4b81f133e3b5870.txt", "004_4ce2d8bf8c0a0672.txt"):  # German and French: translated, checked
        shutil.copy(REPO / "corpus" / seed, corpus / seed)
    threads = run_corpus(corpus, tmp_path / "threads", models_dir)
    assert threads["exit_code"] == 1
    assert {f["file"] for f in threads["failed"]} == {"report-030.txt", "report-031.txt"}
    assert "NUL bytes" in next(f["reason"] for f in threads["failed"] if f["file"] == "report-030.txt")
    assert len(threads["documents"]) == 60

    from reportmt.flows import pool

    monkeypatch.setattr(pool, "PROCESS_POOL_MIN_BYTES", 0)  # this small corpus on every core, in processes
    processes = run_corpus(corpus, tmp_path / "processes", models_dir)
    assert processes["failed"] == threads["failed"]
    assert _snapshot(tmp_path / "processes") == _snapshot(tmp_path / "threads")  # read, translated, checked, written alike
    flags = {family(flag) for record in export_records(tmp_path / "processes") for flag in record["qa"]}
    assert flags & set(CHECK_FAMILIES)  # the test packages' English is meaningless: the checks say so


def test_a_rerun_trusts_unchanged_files_and_verify_hashes_them_all(tmp_path, run_corpus):
    corpus = _many_reports(tmp_path / "corpus", 12)
    out = tmp_path / "out"
    assert run_corpus(corpus, out, tmp_path / "no-models")["exit_code"] == 0
    target = corpus / "report-005.txt"
    before = target.stat()
    text = target.read_text()
    target.write_text(text.replace("Report 5", "Rapport5"))  # same size, same inode
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))

    trusted = run_corpus(corpus, out, tmp_path / "no-models")
    assert trusted["unchanged"] == 12 and trusted["changed"] == 0  # size, time and inode said unchanged: not read
    verified = run_corpus(corpus, out, tmp_path / "no-models", verify=True)
    assert verified["changed"] == 1
    records = store.records_path(out, store.read_snapshot(out).documents[5]).read_text()
    assert "Rapport5" in records

    target.write_text(text + "One more paragraph of the report, added later.\n")  # a real edit moves size and time
    assert run_corpus(corpus, out, tmp_path / "no-models")["changed"] == 1


def test_a_new_copy_of_a_report_in_the_corpus_is_a_duplicate(tmp_path, run_corpus):
    corpus = _many_reports(tmp_path / "corpus", 3)
    out = tmp_path / "out"
    run_corpus(corpus, out, tmp_path / "no-models")
    (corpus / "a-copy.txt").write_bytes((corpus / "report-002.txt").read_bytes())
    summary = run_corpus(corpus, out, tmp_path / "no-models")
    assert [d["file"] for d in summary["duplicates"]] == ["a-copy.txt"]
    assert "report-002.txt" in summary["duplicates"][0]["reason"]  # the report already in the corpus stays


def test_segmentation_scores_at_least_pysbd_on_the_hard_boundaries():
    ours, misses = segmentation_accuracy(split_sentences)
    baseline, _ = segmentation_accuracy(pysbd_alone)
    assert ours >= baseline
    assert misses == []


SEED_LANGUAGES = {"003_e4b81f133e3b5870.txt": "de", "004_4ce2d8bf8c0a0672.txt": "fr"}


def test_where_the_rules_decide_pysbd_agrees():
    from reportmt.segment import _split_with_pysbd, _stretches, cut_long_sentence

    decided = 0
    for path in sorted((REPO / "corpus").iterdir()):
        lang = SEED_LANGUAGES.get(path.name, "en")
        for line in path.read_text().splitlines():
            text = line.strip()
            if len(text.split()) >= 8 and all(clear for _, _, clear in _stretches(text, lang)):  # prose, not links
                decided += 1
                # the same boundaries; a sentence of over 100 words is cut alike after either
                assert split_sentences(text, lang) == [piece for sentence in _split_with_pysbd(text, lang)
                                                       for piece in cut_long_sentence(sentence)], text
    assert decided > 50


def test_paragraph_languages_are_as_right_as_lingua_everywhere():
    ours, misses = language_accuracy(reportmt_languages)
    reference, _ = language_accuracy(lingua_everywhere)
    assert ours >= reference
    assert misses == []
