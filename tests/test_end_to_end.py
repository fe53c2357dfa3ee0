"""The whole path a user takes: install a package from a file, run on the corpus, export."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import export_records, reportmt

from reportmt.reader import Corpus

FURNITURE = ["Comment (0)", "Kommentar (0)", "Dao Quyen", "Kieu An - Truong Giang", "Konferenzteilnehmer.",
             "Photo: QH", "Video: 27923_", "Source: https://", "Quelle", "Tran Thanh", "Diem My"]
SEEDS = sorted(p.name for p in (Path(__file__).resolve().parents[1] / "corpus").iterdir())


def test_install_from_file_then_run_and_export(tmp_path, corpus, tiny_archives, prefect_api):
    models = tmp_path / "models"
    for archive in tiny_archives.values():
        installed = reportmt("models", "install", str(archive), "--models-dir", str(models))
        assert installed.returncode == 0, installed.stderr
        assert "TEST package" in installed.stderr
    listing = reportmt("models", "list", "--models-dir", str(models))
    assert "de-en" in listing.stdout and "fr-en" in listing.stdout

    out = tmp_path / "normalized"
    run = reportmt("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models), "--json")
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert sorted(d["doc_id"] for d in summary["documents"]) == SEEDS
    assert summary["test_models"] == ["de-en", "fr-en"]

    records = export_records(out)
    by_doc = {}
    for record in records:
        by_doc.setdefault(record["doc_id"], []).append(record)
    assert sorted(by_doc) == SEEDS
    languages = {doc: recs[0]["src_lang"] for doc, recs in by_doc.items()}
    assert sorted(languages.values()) == ["de", "en", "en", "en", "fr"]

    required = {"doc_id", "seg_index", "src_lang", "src_text", "mt_text", "en_text", "terms", "model",
                "glossary_version", "source_sha256"}
    for record in records:
        assert required <= record.keys()
        assert record["src_text"].strip() and record["en_text"].strip()
        for furniture in FURNITURE:
            assert furniture not in record["src_text"]

    for record in records:
        if record["src_lang"] in ("de", "fr"):
            # CTranslate2 output of the test package: present, and flagged as meaningless.
            assert record["mt_text"], record
            assert record["model"] == f"reportmt-tiny-test-{record['src_lang']}_en@0.0.1"
            assert "test_model_output" in record["qa"]
        else:
            assert record["mt_text"] is None and record["model"] is None

    english = " ".join(r["en_text"] for r in records if r["src_lang"] == "en")
    for variant in ("Central Internal Affairs Commission", "Standing Committee Member", "Politburo member",
                    "Provincial Party Committee Standing Committee", "Provincial Steering Committee for Anti-Corruption and Negativity"):
        assert variant not in english
    assert "Member of the Standing Committee" in english
    assert "Standing Committee of the Provincial Party Committee" in english

    german = [r for r in by_doc["003_e4b81f133e3b5870.txt"]]
    assert "Provincial Party Committee's Internal Affairs Committee" in german[0]["terms"]
    assert german[0]["src_text"].startswith("Am Nachmittag des 19. April")

    seed_hashes = {r["doc_id"]: r["source_sha256"] for r in records}
    import hashlib

    for name, digest in seed_hashes.items():
        assert hashlib.sha256((corpus / name).read_bytes()).hexdigest() == digest

    corpus_reader = Corpus(out)
    metadata = corpus_reader.metadata("001_f6a9db11861e7d8f.txt")
    kinds = [item["kind"] for item in metadata["furniture"]]
    assert kinds == ["caption", "photo_credit", "caption", "photo_credit", "byline", "source", "comment_counter"]
    assert metadata["source_url"].startswith("https://baoquangtri.vn/")
    german_meta = corpus_reader.metadata("003_e4b81f133e3b5870.txt")
    assert {"kind": "caption", "text": "Konferenzteilnehmer.", "line": 8} in german_meta["furniture"]


def test_missing_model_leaves_documents_pending(tmp_path, corpus, prefect_api):
    out = tmp_path / "normalized"
    run = reportmt("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(tmp_path / "none"), "--json")
    assert run.returncode == 3, run.stderr
    summary = json.loads(run.stdout)
    assert {(p["doc_id"], p["install_command"]) for p in summary["pending"]} == {
        ("003_e4b81f133e3b5870.txt", "reportmt models install de-en"),
        ("004_4ce2d8bf8c0a0672.txt", "reportmt models install fr-en"),
    }
    records = export_records(out)
    assert {r["src_lang"] for r in records} == {"en"}
    assert len({r["doc_id"] for r in records}) == 3
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".part"]
    assert leftovers == []
    manifest = json.loads((out / "manifest.json").read_text())
    assert [p["pair"] for p in manifest["pending"]] == ["de-en", "fr-en"]


def test_human_output_names_pending_install_commands(tmp_path, corpus, prefect_api):
    run = reportmt("run", "--corpus", str(corpus), "--out", str(tmp_path / "n"), "--models-dir", str(tmp_path / "none"))
    assert run.returncode == 3
    assert "reportmt models install de-en" in run.stderr
    assert "reportmt models install fr-en" in run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_plain_run_starts_and_stops_its_own_server_quietly(tmp_path, corpus, models_dir, monkeypatch):
    """No PREFECT_API_URL: the command brings its own Prefect API and no traceback reaches the user."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    env = {"PREFECT_HOME": str(tmp_path / "prefect-home"), "ARGOS_PACKAGES_DIR": str(models_dir), "COLUMNS": "200"}
    run = reportmt("run", "--corpus", str(corpus), "--out", str(tmp_path / "n"), env=env)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert "Error logging to API" not in run.stderr
    assert "003_e4b81f133e3b5870.txt" in run.stdout


def test_bad_glossary_stops_before_the_run(tmp_path, corpus):
    broken = tmp_path / "glossary.yaml"
    broken.write_text("entries:\n  - id: x\n    category: body\n")
    run = reportmt("run", "--corpus", str(corpus), "--out", str(tmp_path / "n"), "--glossary", str(broken))
    assert run.returncode == 2
    assert f"{broken}:2: entry 'x'" in run.stderr and "no canonical form" in run.stderr
    assert not (tmp_path / "n").exists()


def test_export_without_a_corpus_is_a_clear_error(tmp_path):
    result = reportmt("corpus", "export", "--format", "jsonl", "--corpus-dir", str(tmp_path / "nothing"))
    assert result.returncode == 1
    assert "no manifest" in result.stderr
