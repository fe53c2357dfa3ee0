"""The whole path a user takes: install a package from a file, run on the corpus, export."""

from __future__ import annotations

import hashlib
import json
import shutil
from types import SimpleNamespace

import pytest
from helpers import REPO, export_records, reportmt

from reportmt import store
from reportmt.reader import Corpus

FURNITURE = ["Comment (0)", "Kommentar (0)", "Dao Quyen", "Kieu An - Truong Giang", "Konferenzteilnehmer.",
             "Photo: QH", "Video: 27923_", "Source: https://", "Quelle", "Tran Thanh", "Diem My"]
SEEDS = sorted(p.name for p in (REPO / "corpus").iterdir())


@pytest.fixture(scope="module")
def user_run(tmp_path_factory, tiny_archives, prefect_api):
    """The path a user takes, on the command line: install both packages from files, run
    on the sample corpus, export as JSONL."""
    root = tmp_path_factory.mktemp("user")
    shutil.copytree(REPO / "corpus", root / "corpus")
    models = root / "models"
    installs = [reportmt("models", "install", str(archive), "--models-dir", str(models)) for archive in tiny_archives.values()]
    listing = reportmt("models", "list", "--models-dir", str(models))
    out = root / "normalized"
    run = reportmt("run", "--corpus", str(root / "corpus"), "--out", str(out), "--models-dir", str(models), "--json")
    assert run.returncode == 0, run.stderr
    return SimpleNamespace(corpus=root / "corpus", out=out, installs=installs, listing=listing,
                           summary=json.loads(run.stdout), records=export_records(out))


def test_installing_a_test_package_says_it_is_one(user_run):
    for installed in user_run.installs:
        assert installed.returncode == 0, installed.stderr
        assert "TEST package" in installed.stderr
    assert "de-en" in user_run.listing.stdout and "fr-en" in user_run.listing.stdout


def test_every_seed_becomes_records_in_its_language(user_run):
    assert sorted(d["doc_id"] for d in user_run.summary["documents"]) == SEEDS
    assert user_run.summary["test_models"] == ["de-en", "fr-en"]
    languages = {r["doc_id"]: r["src_lang"] for r in user_run.records}
    assert sorted(languages) == SEEDS
    assert sorted(languages.values()) == ["de", "en", "en", "en", "fr"]
    required = {"doc_id", "seg_index", "src_lang", "src_text", "mt_text", "en_text", "terms", "model",
                "glossary_version", "source_sha256"}
    for record in user_run.records:
        assert required <= record.keys()
        assert record["src_text"].strip() and record["en_text"].strip()


def test_records_carry_the_source_files_hash(user_run):
    for record in user_run.records:
        assert hashlib.sha256((user_run.corpus / record["doc_id"]).read_bytes()).hexdigest() == record["source_sha256"]


def test_translations_of_a_test_package_are_flagged_meaningless(user_run):
    for record in user_run.records:
        if record["src_lang"] in ("de", "fr"):
            # CTranslate2 output of the test package: present, and flagged as meaningless.
            assert record["mt_text"], record
            assert record["model"] == f"reportmt-tiny-test-{record['src_lang']}_en@0.0.1"
            assert "test_model_output" in record["qa"]
        else:
            assert record["mt_text"] is None and record["model"] is None


def test_page_furniture_is_moved_out_of_the_body_into_metadata(user_run):
    for record in user_run.records:
        for furniture in FURNITURE:
            assert furniture not in record["src_text"]
    corpus = Corpus(user_run.out)
    metadata = corpus.metadata("001_f6a9db11861e7d8f.txt")
    assert [item["kind"] for item in metadata["furniture"]] == [
        "caption", "photo_credit", "caption", "photo_credit", "byline", "source", "comment_counter"]
    assert metadata["source_url"].startswith("https://baoquangtri.vn/")
    assert {"kind": "caption", "text": "Konferenzteilnehmer.", "line": 8} in corpus.metadata("003_e4b81f133e3b5870.txt")["furniture"]


def test_the_english_side_uses_one_name_for_one_thing(user_run):
    english = " ".join(r["en_text"] for r in user_run.records if r["src_lang"] == "en")
    for variant in ("Central Internal Affairs Commission", "Standing Committee Member", "Politburo member",
                    "Provincial Party Committee Standing Committee", "Provincial Steering Committee for Anti-Corruption and Negativity"):
        assert variant not in english
    assert "Member of the Standing Committee" in english
    assert "Standing Committee of the Provincial Party Committee" in english
    german = [r for r in user_run.records if r["doc_id"] == "003_e4b81f133e3b5870.txt"]
    assert "Provincial Party Committee's Internal Affairs Committee" in german[0]["terms"]
    assert german[0]["src_text"].startswith("Am Nachmittag des 19. April")


def test_missing_model_leaves_documents_pending(tmp_path, corpus, run_corpus):
    out = tmp_path / "normalized"
    summary = run_corpus(corpus, out, tmp_path / "none")
    assert summary["exit_code"] == 3
    assert {(p["doc_id"], p["install_command"]) for p in summary["pending"]} == {
        ("003_e4b81f133e3b5870.txt", "reportmt models install de-en"),
        ("004_4ce2d8bf8c0a0672.txt", "reportmt models install fr-en"),
    }
    records = export_records(out)
    assert {r["src_lang"] for r in records} == {"en"}
    assert len({r["doc_id"] for r in records}) == 3
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".part"]
    assert leftovers == []
    assert [p.pair for p in store.read_snapshot(out).info.pending] == ["de-en", "fr-en"]


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
    result = reportmt("corpus", "export", "--format", "jsonl", "--normalized", str(tmp_path / "nothing"))
    assert result.returncode == 1
    assert "no catalog" in result.stderr
