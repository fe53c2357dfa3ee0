"""Reading the corpus from the command line: its documents listed, its figures as text."""

from __future__ import annotations

import json

from helpers import reportmt


def test_corpus_list_names_every_document_with_filters_and_stats_read_as_text(tmp_path, corpus, models_dir, run_corpus):
    out = tmp_path / "normalized"
    run_corpus(corpus, out, models_dir)
    listed = reportmt("corpus", "list", "--normalized", str(out))
    assert listed.returncode == 0
    assert sorted(line.split("\t")[0] for line in listed.stdout.splitlines()) == sorted(p.name for p in corpus.iterdir())
    documents = json.loads(reportmt("corpus", "list", "--normalized", str(out), "--json").stdout)
    german = [d["doc_id"] for d in documents if d["language"] == "de"]
    only_german = reportmt("corpus", "list", "--normalized", str(out), "--lang", "de").stdout.splitlines()
    assert german and [line.split("\t")[0] for line in only_german] == german
    flagged = reportmt("corpus", "list", "--normalized", str(out), "--flag", "test_model_output").stdout
    assert all("flagged test_model_output" in line for line in flagged.splitlines())
    assert {line.split("\t")[0] for line in flagged.splitlines()} == {d["doc_id"] for d in documents if d["language"] != "en"}
    stats = reportmt("corpus", "stats", "--normalized", str(out)).stdout
    assert f"{len(documents)} documents (de " in stats and "{" not in stats


def test_a_run_over_many_reports_prints_a_summary_and_lists_them_on_request(tmp_path):
    corpus = tmp_path / "reports"
    corpus.mkdir()
    for number in range(25):
        (corpus / f"report-{number:02d}.txt").write_text(
            f"The committee met on Monday to discuss the budget of district {number}.\n"
            "It approved the plan and asked the office to report again next month.\n")
    first = reportmt("run", "--corpus", str(corpus), "--out", str(tmp_path / "out"))
    assert first.returncode == 0, first.stderr
    assert "25 documents written, not listed: `reportmt run --documents` lists them" in " ".join(first.stdout.split())
    assert "report-00.txt" not in first.stdout and len(first.stdout.splitlines()) < 15
    (corpus / "report-00.txt").write_text("The committee met again on Tuesday.\n")
    listed = reportmt("run", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--documents")
    assert listed.returncode == 0 and all(f"report-{n:02d}.txt" in listed.stdout for n in range(25))
