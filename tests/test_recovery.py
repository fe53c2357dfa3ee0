"""A damaged output folder, a full disk and odd files end in one clear line, lose nothing, and
have a way back (`run --rebuild`) that gives the corpus an uninterrupted run gives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import REPO, reportmt, unnamed_objects

from reportmt import store
from reportmt.edits import EditStore
from reportmt.reader import Corpus

GERMAN = "003_e4b81f133e3b5870.txt"
MACHINERY = ("Traceback", "Error logging to API", "EventsWorker")


def _records(out: Path) -> dict[str, bytes]:
    return {e["doc_id"]: store.records_path(out, e).read_bytes() for e in store.read_snapshot(out).documents}


def _run(corpus: Path, out: Path, models_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return reportmt("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir), "--json", *args)


def _clean(result: subprocess.CompletedProcess) -> None:
    assert not any(word in result.stderr for word in MACHINERY), result.stderr


def test_a_damaged_translation_cache_is_set_aside_and_rebuilt(tmp_path, corpus, models_dir):
    out = tmp_path / "out"
    assert _run(corpus, out, models_dir).returncode == 0
    cache = out / "cache" / "translations.sqlite3"
    cache.write_bytes(os.urandom(4096))
    german = corpus / GERMAN
    german.write_text(german.read_text() + "Der Ausschuss tagte am Abend erneut.\n")
    result = _run(corpus, out, models_dir)
    assert result.returncode == 0, result.stderr
    _clean(result)
    assert json.loads(result.stdout)["changed"] == 1
    assert [line for line in result.stderr.splitlines() if "translation cache" in line and "damaged" in line]
    assert len(list(cache.parent.glob("translations.sqlite3.damaged-*"))) == 1
    reference = tmp_path / "reference"
    assert _run(corpus, reference, models_dir).returncode == 0
    assert _records(out) == _records(reference)


@pytest.mark.parametrize("damage", ["overwritten catalog", "files deleted"])
def test_a_damaged_corpus_names_the_way_back_and_rebuild_loses_nothing(tmp_path, corpus, models_dir, damage):
    out = tmp_path / "out"
    assert _run(corpus, out, models_dir).returncode == 0
    record = next(Corpus(out).records(doc=GERMAN))
    EditStore(out).save(record, en_after="The committee met.", status="edited", reviewer="ana", expected=record["en_text"])
    before = _records(out)
    if damage == "overwritten catalog":
        (out / "catalog.sqlite3").write_bytes(os.urandom(8192))
    else:
        shutil.rmtree(out / "objects")

    refused = _run(corpus, out, models_dir)
    assert refused.returncode == 1 and refused.stdout == ""
    _clean(refused)
    assert "reportmt run --rebuild" in refused.stderr and refused.stderr.count("error:") == 1

    rebuilt = _run(corpus, out, models_dir, "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    _clean(rebuilt)
    assert json.loads(rebuilt.stdout)["sentences_translated"] == 0  # all from the cache
    after = _records(out)
    assert after.keys() == before.keys()
    assert {k: v for k, v in after.items() if k != GERMAN} == {k: v for k, v in before.items() if k != GERMAN}
    assert next(Corpus(out).records(doc=GERMAN))["en_text"] == "The committee met."  # the saved edit, applied
    assert reportmt("corpus", "validate", "--normalized", str(out)).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a 3 MB tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_says_so_once_and_keeps_the_previous_corpus(tmp_path, small_disk):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("000_18754e56d8b48404.txt", "001_f6a9db11861e7d8f.txt"):
        shutil.copy(REPO / "corpus" / name, corpus / name)
    out = small_disk / "normalized"
    assert _run(corpus, out, tmp_path / "no-models").returncode == 0
    before = _records(out)
    paragraphs = [line for path in sorted(corpus.iterdir()) for line in path.read_text().splitlines() if len(line) > 80]
    for number in range(300):
        (corpus / f"more-{number:03d}.txt").write_text("\n".join(paragraphs[number % 7 :]) + f"\nReport {number}.\n")
    full = _run(corpus, out, tmp_path / "no-models")
    assert full.returncode == 1 and full.stdout == ""
    _clean(full)
    errors = [line for line in full.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"no space left on {small_disk}" in errors[0] and "previous corpus is still in force" in errors[0]
    assert _records(out) == before
    assert reportmt("corpus", "validate", "--normalized", str(out)).returncode == 0
    assert unnamed_objects(out) == []  # the failed run's files are gone, not taking space


def test_a_record_file_that_cannot_be_created_fails_the_run_in_one_line_and_the_next_run_starts_clean(tmp_path):
    """Small documents' record files are created on a thread of their own: its failure
    still stops the run before its commit."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    shutil.copy(REPO / "corpus" / "000_18754e56d8b48404.txt", corpus)
    assert _run(corpus, out, tmp_path / "no-models").returncode == 0
    before = _records(out)
    records = out / "objects" / "records"
    blocked = [records / f"{n:02x}" for n in range(256) if not (records / f"{n:02x}").exists()]
    for path in blocked:  # a file where a record file's folder would go: every new record file fails
        path.write_text("")
    shutil.copy(REPO / "corpus" / "001_f6a9db11861e7d8f.txt", corpus)
    failed = _run(corpus, out, tmp_path / "no-models")
    assert failed.returncode == 1 and failed.stdout == "", "the new report's records went to the one folder left open"
    _clean(failed)
    errors = [line for line in failed.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Not a directory" in errors[0] and "previous corpus" in errors[0]
    assert _records(out) == before

    for path in blocked:
        path.unlink()
    assert _run(corpus, out, tmp_path / "no-models").returncode == 0
    assert len(_records(out)) == 2 and unnamed_objects(out) == [] and not list((out / "objects" / "incoming").iterdir())


def test_a_fifo_in_the_corpus_is_listed_not_hidden(tmp_path, run_corpus):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPO / "corpus" / "000_18754e56d8b48404.txt", corpus / "report.txt")
    os.mkfifo(corpus / "pipe.txt")
    summary = run_corpus(corpus, tmp_path / "out", tmp_path / "no-models")
    assert [(f["file"], f["reason"]) for f in summary["failed"]] == [("pipe.txt", "is not a regular file (a named pipe (FIFO)); not read")]


def test_a_tbx_term_with_an_unexpanded_entity_is_refused_whole(tmp_path):
    glossary = tmp_path / "glossary.yaml"
    shutil.copy(REPO / "reportmt" / "glossary" / "glossary.yaml", glossary)
    before = glossary.read_bytes()
    tbx = tmp_path / "evil.tbx"
    tbx.write_text('<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
                   '<martif type="TBX-Basic" xml:lang="en"><text><body><termEntry id="evil"><langSet xml:lang="en">'
                   "<tig><term>Evil &x; Committee</term></tig></langSet></termEntry></body></text></martif>\n")
    result = reportmt("glossary", "import", str(tbx), "--format", "tbx", "--into", str(glossary))
    assert result.returncode != 0 and "'evil'" in result.stderr and "&x;" in result.stderr and "Traceback" not in result.stderr
    assert glossary.read_bytes() == before


def test_an_archive_that_expands_far_beyond_its_size_is_refused_unless_allowed(tmp_path, tiny_archives):
    bomb = tmp_path / "bomb-de_en.argosmodel"
    with zipfile.ZipFile(tiny_archives["de-en"]) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        folder = source.namelist()[0].split("/")[0]
        for item in source.infolist():
            target.writestr(item, source.read(item))
        with target.open(f"{folder}/padding.bin", "w") as padding:
            for _ in range(60):
                padding.write(bytes(1024 * 1024))
    assert bomb.stat().st_size < 5 * 1024 * 1024
    packages = tmp_path / "packages"
    refused = reportmt("models", "install", str(bomb), "--models-dir", str(packages))
    assert refused.returncode != 0 and "zip bomb" in refused.stderr and "--allow-large" in refused.stderr
    assert not packages.exists() or not any(p for p in packages.iterdir() if not p.name.startswith("."))
    allowed = reportmt("models", "install", str(bomb), "--models-dir", str(packages), "--allow-large")
    assert allowed.returncode == 0, allowed.stderr
