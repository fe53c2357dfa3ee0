"""Snapshots over content-named files: a run writes only what changed, a reader finishes
on the snapshot it started on while runs commit, files no retained snapshot names are
collected after the window (and nothing that is named), and a corpus written before the
catalog is upgraded by the next run without losing an edit."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import REPO, reportmt, snapshot_files, unnamed_objects

from reportmt import store
from reportmt.edits import read_edits
from reportmt.glossary import Normalizer, load_glossary
from reportmt.reader import Corpus, validate
from reportmt.snapshots import RETENTION_ENV

PARAGRAPH = "The Standing Committee of the Provincial Party Committee held a conference on report {n} in the province."
LEGACY = REPO / "tests" / "data" / "legacy-corpus"  # written by reportmt at b625db7 (schema 3): manifest.json, snapshots/
SCHEMA4 = REPO / "tests" / "data" / "schema4-corpus"  # the same, upgraded by reportmt at 62feec2 (schema 4): metadata in files


def _add_report(corpus: Path, n: int, extra: str = "") -> None:
    (corpus / f"report-{n:02d}.txt").write_text("\n".join(PARAGRAPH.format(n=n) + f" Part {k}." for k in range(20)) + extra + "\n",
                                                encoding="utf-8")


def _object_files(out: Path) -> set[Path]:
    return {p for kind in ("records", "documents") for p in (out / "objects" / kind).rglob("*.json*")}


def _snapshots(out: Path) -> list[int]:
    with closing(sqlite3.connect(out / "catalog.sqlite3")) as db:
        return [row[0] for row in db.execute("SELECT id FROM snapshots ORDER BY id")]


def test_a_run_writes_only_what_changed_and_a_reader_finishes_on_its_snapshot(tmp_path, run_corpus, monkeypatch):
    def whole_machine():
        raise AssertionError("os.sync() flushes every file system of the machine; a commit syncs its own")

    monkeypatch.setattr(os, "sync", whole_machine)
    corpus, out, models = tmp_path / "corpus", tmp_path / "normalized", tmp_path / "no-models"
    corpus.mkdir()
    for n in range(4):
        _add_report(corpus, n)  # 20 lines of two sentences each
    run_corpus(corpus, out, models)
    files = {p: p.stat().st_mtime_ns for p in _object_files(out)}
    reader = Corpus(out)  # an export, a page: it reads the snapshot in force when it starts
    records = reader.records()
    taken = [next(records)]

    _add_report(corpus, 0, extra="\nA paragraph added later.")  # changed
    (corpus / "report-01.txt").unlink()  # removed
    _add_report(corpus, 4)  # new
    summary = run_corpus(corpus, out, models)
    assert (summary["new"], summary["changed"], summary["unchanged"], summary["removed"]) == (1, 1, 2, ["report-01.txt"])
    untouched = {p: p.stat().st_mtime_ns for p in files if p.exists()}
    assert untouched == files  # nothing of the first snapshot was rewritten, linked or removed
    assert len(_object_files(out) - set(files)) == 2  # the changed and the new document's records (metadata: in the catalog)
    for n in range(5, 7):  # more runs commit meanwhile
        _add_report(corpus, n)
        assert run_corpus(corpus, out, models)["exit_code"] == 0

    taken += list(records)  # the reader started before all this: it finishes on its snapshot
    assert len(taken) == 160 and {r["doc_id"] for r in taken} == {f"report-{n:02d}.txt" for n in range(4)}
    assert not any("added later" in r["src_text"] for r in taken)
    assert Corpus(out).stats()["documents"] == 6


def test_the_commit_names_record_files_only_once_they_are_whole(tmp_path, run_corpus, monkeypatch):
    """A small document's record file is created on a thread while the next document's
    records are made: a slow disk must not let the catalog name a file before it is there."""
    from reportmt import objects

    create = objects._create

    def slow_disk(*arguments):
        time.sleep(0.05)
        create(*arguments)

    monkeypatch.setattr(objects, "_create", slow_disk)
    corpus, out, models = tmp_path / "corpus", tmp_path / "normalized", tmp_path / "no-models"
    corpus.mkdir()
    for n in range(30):
        _add_report(corpus, n)
    assert run_corpus(corpus, out, models)["exit_code"] == 0
    assert validate(out, Normalizer(load_glossary())) == [] and Corpus(out).stats()["documents"] == 30
    assert unnamed_objects(out) == [] and not list((out / "objects" / "incoming").iterdir())


def test_past_the_window_unnamed_files_go_and_named_ones_stay(tmp_path, run_corpus, monkeypatch):
    corpus, out, models = tmp_path / "corpus", tmp_path / "normalized", tmp_path / "no-models"
    corpus.mkdir()
    for n in range(3):
        _add_report(corpus, n)
    run_corpus(corpus, out, models)
    first = Corpus(out)
    for n in range(3):  # every document changes: the first snapshot's files are named by it alone
        _add_report(corpus, n, extra=f"\nRevision {n}.")
        run_corpus(corpus, out, models)
    assert len(_snapshots(out)) == 4  # within the window every snapshot stays readable
    assert len(list(first.records())) == 120

    monkeypatch.setenv(RETENTION_ENV, "0")  # past the window: only the snapshot in force and the one before it stay
    _add_report(corpus, 3)
    run_corpus(corpus, out, models)
    assert len(_snapshots(out)) == 2
    assert unnamed_objects(out) == []  # what only the collected snapshots named is gone ...
    kept = snapshot_files(out)  # ... and every file the retained snapshots name is there
    assert len(kept) == 8 and validate(out, Normalizer(load_glossary())) == []
    with closing(sqlite3.connect(out / "catalog.sqlite3")) as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 4  # the rows only collected snapshots saw: gone
    assert not (out / "objects" / "incoming").exists() or not list((out / "objects" / "incoming").iterdir())

    refused = reportmt("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models),
                       env={RETENTION_ENV: "an hour"})
    assert refused.returncode != 0 and f"{RETENTION_ENV}='an hour' is not a number of seconds" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert Corpus(out).stats()["documents"] == 4  # the previous corpus is still in force


@pytest.mark.parametrize("written_by", [LEGACY, SCHEMA4], ids=["schema3-manifest", "schema4-metadata-files"])
def test_a_corpus_of_an_earlier_schema_is_read_then_upgraded_by_the_next_run(tmp_path, run_corpus, monkeypatch, written_by):
    corpus, out = tmp_path / "corpus", tmp_path / "normalized"
    corpus.mkdir()
    for name in ("000_18754e56d8b48404.txt", "001_f6a9db11861e7d8f.txt"):
        shutil.copy(REPO / "corpus" / name, corpus / name)
    shutil.copytree(written_by / "normalized", out)
    old = Corpus(out)  # readable as it is: records, stats, exports
    assert old.stats()["documents"] == 2 and old.stats()["reviewed_share"] > 0
    before = list(old.records())
    assert reportmt("corpus", "export", "--format", "tmx", "--normalized", str(out), "--out", str(tmp_path / "old.tmx")).returncode == 0

    summary = run_corpus(corpus, out, tmp_path / "no-models")
    assert summary["exit_code"] == 0 and summary["records_renormalized"] == len(before)  # no source read again
    assert (out / "catalog.sqlite3").is_file() and not (out / "manifest.json").exists() and not (out / "snapshots").exists()
    after = list(Corpus(out).records())
    assert [r["record_id"] for r in after] == [r["record_id"] for r in before]
    assert [r["en_text"] for r in after if r["review"]] == ["The Provincial Party Committee met on Monday.",
                                                           "A second sentence, corrected."]  # the edit saved after the last run, too
    assert [e.reviewer for e in read_edits(out)] == ["ana", "ben"]
    assert validate(out, Normalizer(load_glossary())) == []

    fresh = tmp_path / "fresh"  # the same reports and edits, never in the old layout
    fresh.mkdir()
    shutil.copy(out / "edits.sqlite3", fresh / "edits.sqlite3")
    run_corpus(corpus, fresh, tmp_path / "no-models")
    assert snapshot_files(out) == snapshot_files(fresh)
    assert store.read_snapshot(out).info.schema_version == store.read_snapshot(fresh).info.schema_version
    with closing(sqlite3.connect(out / "catalog.sqlite3")) as db:  # every document's metadata moved into the catalog
        assert db.execute("SELECT count(*) FROM documents WHERE until IS NULL AND metadata_sha256 NOT IN "
                          "(SELECT sha256 FROM metadata)").fetchone() == (0,)
    monkeypatch.setenv(RETENTION_ENV, "0")
    run_corpus(corpus, out, tmp_path / "no-models")  # the upgraded snapshot's predecessor leaves the window
    assert not list((out / "objects" / "documents").rglob("*.json")) and unnamed_objects(out) == []
    assert snapshot_files(out) == snapshot_files(fresh)


def test_an_export_of_a_large_corpus_is_whole_while_runs_commit(tmp_path):
    """While `corpus export` streams a corpus of 30,000 records, runs commit changes to the
    documents it has yet to read: the export is the corpus as it was when the export began,
    every line. The export writes into a pipe read only after the commits, so it is held
    mid-corpus, on any machine, while they land."""
    from bench.review_search import write_corpus
    from reportmt.snapshots import Change, SnapshotWriter

    out = tmp_path / "normalized"
    write_corpus(REPO, tmp_path, out, 30_000)
    before = reportmt("corpus", "export", "--format", "jsonl", "--normalized", str(out)).stdout
    errors = tmp_path / "export.err"
    with errors.open("w") as sink:
        exporting = subprocess.Popen([sys.executable, "-m", "reportmt", "corpus", "export", "--format", "jsonl", "--normalized",
                                      str(out)], cwd=REPO, stdout=subprocess.PIPE, stderr=sink,
                                     env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    first = exporting.stdout.readline()  # it has opened its snapshot and streams; the full pipe holds it there
    commits = []
    for entry in list(reversed(store.read_snapshot(out).documents))[:5]:  # documents the export reads last
        records = [replace(r, en_text=r.en_text + " (revised)") for r in store.read_records(out, entry)]
        writer = SnapshotWriter(out)
        changed = writer.write_document(store.read_metadata(out, entry), records, entry["source_stat"])
        commits.append(writer.commit(Change([changed], [], time.time()), store.read_snapshot(out).info).name)
    rest = exporting.stdout.read()  # the rest of the stream, after what readline buffered
    assert exporting.wait(timeout=300) == 0, errors.read_text()
    assert len(commits) == 5  # runs committed while the export read
    assert (first + rest).decode("utf-8") == before
    assert "(revised)" in reportmt("corpus", "export", "--format", "jsonl", "--normalized", str(out)).stdout
