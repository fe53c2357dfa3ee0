"""A run that reads only the files `reportmt watch` noted as changed gives the corpus a run
over every file gives, touching nothing else; it reads every file when the glossary (or
the models, or the edits) changed, since those change records the watcher never sees."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from helpers import REPO, snapshot_files

from reportmt import store

TEXT = "The Standing Committee of the Provincial Party Committee met on report {n}. It decided on part {k}."


def _write(corpus: Path, name: str, n: int, extra: str = "") -> None:
    (corpus / name).write_text("\n".join(TEXT.format(n=n, k=k) for k in range(5)) + extra + "\n", encoding="utf-8")


def _settle() -> None:
    time.sleep(2.1)  # a file younger than two seconds may still be being written: the run would defer it


def test_a_run_of_noted_changes_equals_a_run_over_every_file(tmp_path, run_corpus):
    corpus, out, models = tmp_path / "corpus", tmp_path / "normalized", tmp_path / "no-models"
    corpus.mkdir()
    for n in range(5):
        _write(corpus, f"report-{n}.txt", n)
    run_corpus(corpus, out, models)
    everything = tmp_path / "everything"  # the same corpus, for a run that reads every file
    shutil.copytree(out, everything)
    untouched = {p: p.stat().st_mtime_ns for p in (out / "objects").rglob("*.json*")}

    _write(corpus, "report-0.txt", 0, extra="\nA paragraph added later.")  # changed
    (corpus / "report-1.txt").unlink()  # removed
    _write(corpus, "report-5.txt", 5)  # new
    shutil.copy(corpus / "report-2.txt", corpus / "copy-of-2.txt")  # a second copy of a file the run does not read
    (corpus / "report-3.txt").rename(corpus / "renamed-3.txt")  # its old name goes, its content stays in the corpus
    _write(corpus, "unnoted.txt", 9)  # the watcher missed it: the next full sync reads it
    (corpus / "report-4.txt").write_bytes(b"\x00\x01 no longer a report\n")  # changed into a file that fails
    _settle()
    noted = ["report-0.txt", "report-1.txt", "report-5.txt", "copy-of-2.txt", "report-3.txt", "renamed-3.txt", "report-4.txt"]
    store.note_changes(out, noted)

    summary = run_corpus(corpus, out, models, changes_only=True)
    assert summary["scope"] == "changes"
    assert {d["doc_id"]: d["status"] for d in summary["documents"]} == {
        "report-0.txt": "changed", "report-5.txt": "new", "renamed-3.txt": "new"}
    assert sorted(summary["removed"]) == ["report-1.txt", "report-3.txt"]
    assert [(d["file"], d["reason"]) for d in summary["duplicates"]] == [("copy-of-2.txt", "has the same content as report-2.txt")]
    assert [d["file"] for d in summary["failed"]] == ["report-4.txt"]
    assert store.noted_changes(out) == []  # taken in by the commit
    still = {p: p.stat().st_mtime_ns for p in untouched if p.exists()}
    assert len(still) >= 2 and still == {p: untouched[p] for p in still}  # report-2 and the renamed content: not rewritten
    documents = {e["doc_id"] for e in store.read_snapshot(out).documents}
    assert documents == {"report-0.txt", "report-2.txt", "report-5.txt", "renamed-3.txt"}  # report-4's old records: gone

    (corpus / "unnoted.txt").unlink()
    assert run_corpus(corpus, everything, models)["scope"] == "all"
    assert snapshot_files(out) == snapshot_files(everything)


def test_a_changed_glossary_makes_a_run_of_noted_changes_read_every_file(tmp_path, run_corpus):
    corpus, out, models = tmp_path / "corpus", tmp_path / "normalized", tmp_path / "no-models"
    corpus.mkdir()
    for n in range(3):
        _write(corpus, f"report-{n}.txt", n)
    glossary = tmp_path / "glossary.yaml"
    shutil.copy(REPO / "reportmt" / "glossary" / "glossary.yaml", glossary)
    run_corpus(corpus, out, models, glossary=glossary)
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a new version, same entries
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("Standing Committee of the Provincial Party Committee",
                                                                     "Provincial Standing Committee", 1), encoding="utf-8")
    summary = run_corpus(corpus, out, models, glossary=glossary, changes_only=True)
    assert summary["scope"] == "all" and summary["records_renormalized"] == 30
