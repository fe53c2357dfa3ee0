"""The normalized corpus as a contract: exports, reader, validation, determinism, crash safety."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from helpers import documents_in_force, export_records, reportmt, snapshot_files

from reportmt import store
from reportmt.reader import Corpus


@pytest.fixture(scope="module")
def built_corpus(tmp_path_factory, tiny_archives, run_corpus) -> Path:
    """One run over the five seeds with the tiny packages, shared by the read-only tests."""
    from reportmt.translators.packages import install_archive

    root = tmp_path_factory.mktemp("built")
    for archive in tiny_archives.values():
        install_archive(archive, root / "packages")
    shutil.copytree(Path(__file__).resolve().parents[1] / "corpus", root / "corpus")
    out = root / "normalized"
    assert run_corpus(root / "corpus", out, root / "packages")["exit_code"] == 0
    return out


def test_jsonl_round_trip(built_corpus, tmp_path):
    result = reportmt("corpus", "export", "--format", "jsonl", "--normalized", str(built_corpus), "--out", str(tmp_path / "c.jsonl"))
    assert result.returncode == 0, result.stderr
    exported = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert exported == list(Corpus(built_corpus).records())
    assert len({r["record_id"] for r in exported}) == len(exported)


def test_tmx_is_read_back_by_translate_toolkit(built_corpus, tmp_path):
    from translate.storage import tmx

    out = tmp_path / "c.tmx"
    assert reportmt("corpus", "export", "--format", "tmx", "--normalized", str(built_corpus), "--out", str(out)).returncode == 0
    store = tmx.tmxfile.parsefile(str(out))
    pairs = [r for r in Corpus(built_corpus).records() if r["src_lang"] in ("de", "fr")]
    assert [(u.source, u.target) for u in store.units] == [(r["src_text"], r["en_text"]) for r in pairs]
    header = store.document.getroot().find("header")
    assert header.get("creationtool") == "reportmt" and header.get("segtype") == "sentence" and header.get("srclang") == "*all*"
    first = store.document.getroot().find("body/tu")
    props = {p.get("type") for p in first.findall("prop")}
    assert {"x-doc-id", "x-seg-index", "x-term", "x-qa"} <= props
    assert [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in first.findall("tuv")] == ["de", "en"]


def test_moses_files_are_line_aligned(built_corpus, tmp_path):
    out = tmp_path / "moses"
    result = reportmt("corpus", "export", "--format", "moses", "--normalized", str(built_corpus), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["de-en.de", "de-en.en", "fr-en.en", "fr-en.fr"]
    records = list(Corpus(built_corpus).records())
    for lang in ("de", "fr"):
        source = (out / f"{lang}-en.{lang}").read_text().splitlines()
        target = (out / f"{lang}-en.en").read_text().splitlines()
        expected = [r for r in records if r["src_lang"] == lang]
        assert len(source) == len(target) == len(expected)
        assert source == [" ".join(r["src_text"].split()) for r in expected]


def test_parquet_is_read_by_pyarrow_and_pandas(built_corpus, tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    out = tmp_path / "c.parquet"
    result = reportmt("corpus", "export", "--format", "parquet", "--lang", "de", "--normalized", str(built_corpus), "--out", str(out))
    assert result.returncode == 0, result.stderr
    table = pq.read_table(out)
    assert str(table.schema.field("terms").type) == "list<element: string>"
    frame = pd.read_parquet(out)
    expected = Corpus(built_corpus).to_pandas(lang="de")
    assert frame["src_text"].tolist() == expected["src_text"].tolist()
    assert frame["terms"].map(list).tolist() == expected["terms"].tolist()
    assert frame["mt_text"].notna().all()


def test_reader_filters(built_corpus):
    corpus = Corpus(built_corpus)
    politburo = list(corpus.records(term="politburo"))
    assert politburo and all("Politburo" in r["terms"] for r in politburo)
    missing = list(corpus.records(qa="term_missing"))
    assert missing and all(any(f.startswith("term_missing:") for f in r["qa"]) for r in missing)
    assert {r["doc_id"] for r in corpus.records(doc="004_4ce2d8bf8c0a0672.txt")} == {"004_4ce2d8bf8c0a0672.txt"}
    assert set(corpus.to_pandas(lang="en")["src_lang"]) == {"en"}
    assert corpus.metadata("003_e4b81f133e3b5870.txt")["language"] == "de"


def test_stats_and_show(built_corpus):
    stats = json.loads(reportmt("corpus", "stats", "--json", "--normalized", str(built_corpus)).stdout)
    assert stats["documents"] == 5 and stats["documents_by_language"] == {"de": 1, "en": 3, "fr": 1}
    assert stats["languages"]["de"]["sentences"] == 34
    assert stats["qa_flags"]["test_model_output"] == 46
    shown = reportmt("corpus", "show", "003_e4b81f133e3b5870.txt", "--normalized", str(built_corpus), env={"COLUMNS": "240"})
    assert shown.returncode == 0 and "Am Nachmittag des 19. April" in shown.stdout and "Konferenzteilnehmer." in shown.stdout
    unknown = reportmt("corpus", "show", "nope.txt", "--normalized", str(built_corpus))
    assert unknown.returncode == 1 and "nope.txt: not a document" in unknown.stderr


def test_validate_accepts_a_run_and_catches_tampering(built_corpus, tmp_path):
    assert reportmt("corpus", "validate", "--normalized", str(built_corpus)).returncode == 0
    copy = tmp_path / "copy"
    shutil.copytree(built_corpus, copy)
    documents = documents_in_force(copy)
    english = next(d for d in documents if d["language"] == "en")
    path = store.records_path(copy, english)
    lines = path.read_text().splitlines()
    record = json.loads(lines[0])
    record["en_text"] = "The Central Internal Affairs Commission met."
    lines[0] = json.dumps(record, ensure_ascii=False, sort_keys=True)
    lines[1] = lines[1].replace('"en_text": "', '"en_text": " ', 1).replace('"en_text": " ', '"en_text": "', 1)
    record2 = json.loads(lines[1])
    record2["src_text"] = "  "
    lines[1] = json.dumps(record2, ensure_ascii=False, sort_keys=True)
    path.write_text("\n".join(lines) + "\n")
    result = reportmt("corpus", "validate", "--normalized", str(copy))
    assert result.returncode == 1
    assert f"{path}: sha256 differs from the catalog" in result.stderr
    assert f"{path}:1: glossary variant left in en_text: 'Central Internal Affairs Commission'" in result.stderr
    assert f"{path}:2: empty source side" in result.stderr
    with closing(sqlite3.connect(copy / "catalog.sqlite3")) as db, db:
        db.execute("UPDATE metadata SET text = replace(text, '\"encoding\"', '\"Encoding\"') WHERE sha256 = ?",
                   (english["metadata_sha256"],))
    assert f"metadata of {english['doc_id']}: sha256 differs from the catalog" in reportmt(
        "corpus", "validate", "--normalized", str(copy)).stderr
    path.unlink()
    assert f"{path}: listed in the catalog but missing" in reportmt("corpus", "validate", "--normalized", str(copy)).stderr


def test_two_runs_give_byte_identical_files_and_exports(tmp_path, corpus, models_dir, run_corpus):
    outputs = []
    for name in ("first", "second"):
        out = tmp_path / name
        assert run_corpus(corpus, out, models_dir)["exit_code"] == 0
        for fmt, target in (("jsonl", "c.jsonl"), ("tmx", "c.tmx"), ("parquet", "c.parquet"), ("moses", "moses")):
            assert reportmt("corpus", "export", "--format", fmt, "--normalized", str(out), "--out", str(tmp_path / f"{name}-{target}")).returncode == 0
        files = sorted(p for p in tmp_path.glob(f"{name}-*") if p.is_file()) + sorted((tmp_path / f"{name}-moses").iterdir())
        exports = {p.name.removeprefix(f"{name}-"): p.read_bytes() for p in files}
        exports.update(snapshot_files(out))
        outputs.append(exports)
    assert outputs[0].keys() == outputs[1].keys()
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name


def test_interrupted_write_leaves_the_previous_corpus_valid(built_corpus, tmp_path):
    """What a run killed before its commit leaves behind: files no snapshot names and .part files."""
    copy = tmp_path / "copy"
    shutil.copytree(built_corpus, copy)
    before = export_records(copy)
    (copy / "objects" / "records" / ".x.part").write_text('{"half": ')
    unnamed = copy / "objects" / "records" / "ab" / f"{'ab' * 32}.jsonl"
    unnamed.parent.mkdir(exist_ok=True)
    unnamed.write_text('{"doc_id": "000_18754e56d8b48404.txt"}\n')
    assert reportmt("corpus", "validate", "--normalized", str(copy)).returncode == 0
    assert export_records(copy) == before
