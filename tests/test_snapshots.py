"""Readers never starve: a replaced snapshot stays readable for the retention window, so a
reader that started on it finishes on it while runs commit new ones; past the window, all
but the last two snapshots are collected."""

from __future__ import annotations

import os

from helpers import reportmt

from reportmt.glossary import Normalizer, load_glossary
from reportmt.reader import Corpus, validate
from reportmt.store import RETENTION_ENV

PARAGRAPH = "The Standing Committee of the Provincial Party Committee held a conference on report {n} in the province."


def _add_report(corpus, n: int) -> None:
    (corpus / f"report-{n:02d}.txt").write_text("\n".join(PARAGRAPH.format(n=n) + f" Part {k}." for k in range(20)) + "\n",
                                                encoding="utf-8")


def test_a_reader_finishes_on_its_snapshot_while_runs_commit_new_ones(tmp_path, run_corpus, monkeypatch):
    def whole_machine():
        raise AssertionError("os.sync() flushes every file system of the machine; a commit syncs its own")

    monkeypatch.setattr(os, "sync", whole_machine)
    corpus, out, models = tmp_path / "corpus", tmp_path / "normalized", tmp_path / "no-models"
    corpus.mkdir()
    for n in range(3):
        _add_report(corpus, n)
    run_corpus(corpus, out, models)
    reader = Corpus(out)  # an export, a page: it reads the snapshot in force when it starts
    started_on = reader.manifest["snapshot"]
    records = reader.records()
    taken = [next(records)]
    for n in range(3, 6):  # three runs commit three new snapshots meanwhile
        _add_report(corpus, n)
        assert run_corpus(corpus, out, models)["exit_code"] == 0
    taken += list(records)
    assert len(taken) == 120 and {r["doc_id"] for r in taken} == {f"report-{n:02d}.txt" for n in range(3)}
    assert (out / started_on).is_dir() and len(list((out / "snapshots").iterdir())) == 4

    monkeypatch.setenv(RETENTION_ENV, "0")  # past the window: only the snapshot in force and the one before it stay
    _add_report(corpus, 6)
    run_corpus(corpus, out, models)
    assert len(list((out / "snapshots").iterdir())) == 2 and not (out / started_on).exists()
    assert validate(out, Normalizer(load_glossary())) == []

    monkeypatch.setenv(RETENTION_ENV, "an hour")
    _add_report(corpus, 7)
    refused = reportmt("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models),
                       env={RETENTION_ENV: "an hour"})
    assert refused.returncode != 0 and f"{RETENTION_ENV}='an hour' is not a number of seconds" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert Corpus(out).stats()["documents"] == 7  # the previous corpus is still in force
