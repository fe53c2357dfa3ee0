"""Human edits: stored apart and never lost, applied by runs without the engine, reused for
the same sentence elsewhere, flagged (never rewritten) by the glossary, stale when their
sentence changes, carried by every export."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest
from helpers import BROWSER_ARGS, REPO, export_records, serve_review
from lxml import etree

from reportmt import store
from reportmt.edits import ACCEPTED, EDITED, EditConflict, EditError, EditStore, ReviewMemory
from reportmt.glossary import Normalizer, load_glossary
from reportmt.glossary.entries import default_glossary_path
from reportmt.reader import Corpus, validate

CHROMIUM = shutil.which("chromium")

GERMAN = "003_e4b81f133e3b5870.txt"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _record(**fields) -> dict:
    base = {"record_id": "r1", "doc_id": "d.txt", "src_lang": "de", "src_text": "Der Ausschuss tagte.",
            "mt_text": "The committee met.", "en_text": "The committee met."}
    return {**base, **fields}


def test_the_store_keeps_every_save_and_refuses_what_it_must(tmp_path):
    store = EditStore(tmp_path)
    record = _record()
    first = store.save(record, en_after="The Committee  met today.", status=EDITED, reviewer="ana", expected="The committee met.")
    assert first.en_after == "The Committee met today." and first.en_before == "The committee met."
    assert store.current_english(record) == "The Committee met today."
    with pytest.raises(EditConflict) as conflict:  # a second tab still showing the old text
        store.save(record, en_after="Other.", status=EDITED, reviewer="bo", expected="The committee met.")
    assert conflict.value.current == "The Committee met today." and conflict.value.submitted_against == "The committee met."
    with pytest.raises(EditError, match="empty English"):
        store.save(record, en_after="  ", status=EDITED, reviewer="ana", expected="The Committee met today.")
    accepted = store.save(record, en_after="", status=ACCEPTED, reviewer="bo", expected="The Committee met today.")
    assert accepted.en_after == "The Committee met today."
    store.close()
    reopened = EditStore(tmp_path)  # another process, later: everything is there, in order
    assert [e.edit_id for e in reopened.all()] == [1, 2]
    assert reopened.latest_in("d.txt")["r1"].status == ACCEPTED and reopened.latest_in("other.txt") == {}
    assert reopened.records_edited_after(0) == {"d.txt": 1} and reopened.records_edited_after(2) == {}


def test_an_edit_fits_only_its_sentence_and_engine_output():
    edit = _make_edit(1, "r1", "Der Ausschuss tagte.", "The committee met.", "A.")
    memory = ReviewMemory([edit])
    assert memory.review_for(_record()) == (edit, None)
    assert memory.review_for(_record(mt_text="Another engine output.")) is None  # its own record changed: stale
    assert memory.review_for(_record(record_id="r9", doc_id="other.txt")) == (edit, "r1")  # propagated
    assert ReviewMemory([edit], propagate=False).review_for(_record(record_id="r9")) is None


def _make_edit(edit_id, record_id, src, mt, after, status=EDITED):
    from reportmt.edits import Edit

    return Edit(edit_id, record_id, "d.txt", "de", src, mt, mt, after, status, "ana", "2026-11-25T10:00:00+00:00")


@pytest.fixture(scope="module")
def reviewed_once(tmp_path_factory, tiny_archives, run_corpus) -> Path:
    """A corpus of the seeds and a second German report that repeats one seed sentence; one
    run, then the German seed's first sentence edited by a reviewer."""
    from reportmt.translators.packages import install_archive

    root = tmp_path_factory.mktemp("reviewed")
    for archive in tiny_archives.values():
        install_archive(archive, root / "packages")
    corpus = root / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    first_line = (corpus / GERMAN).read_text(encoding="utf-8").splitlines()[0]
    (corpus / "kopie.txt").write_text(first_line + "\nDie Sitzung endete am Abend mit einer Abstimmung der Delegierten.\n",
                                      encoding="utf-8")
    assert run_corpus(corpus, root / "normalized", root / "packages")["exit_code"] == 0
    target = next(r for r in export_records(root / "normalized") if r["doc_id"] == GERMAN and r["seg_index"] == 0)
    store = EditStore(root / "normalized")
    store.save(target, en_after="On the afternoon of April 19, the committee held a conference.", status=EDITED,
               reviewer="ana", expected=target["en_text"])
    store.close()
    return root


@pytest.fixture
def reviewed(reviewed_once, tmp_path) -> dict:
    """A private copy of the reviewed corpus, its reports and its packages."""
    for name in ("corpus", "normalized", "packages"):
        shutil.copytree(reviewed_once / name, tmp_path / name, symlinks=True)
    out = tmp_path / "normalized"
    records = {r["record_id"]: r for r in export_records(out)}
    target = next(r for r in records.values() if r["doc_id"] == GERMAN and r["seg_index"] == 0)
    return {"corpus": tmp_path / "corpus", "out": out, "packages": tmp_path / "packages", "target": target,
            "edit": EditStore(out).all()[0], "before": records}


def _snapshot_inodes(out: Path) -> dict[str, int]:
    return {e["doc_id"]: store.records_path(out, e).stat().st_ino for e in store.read_snapshot(out).documents}


def test_a_run_applies_and_propagates_edits_without_the_engine(reviewed, run_corpus):
    out, target = reviewed["out"], reviewed["target"]
    inodes = _snapshot_inodes(out)
    for package in reviewed["packages"].iterdir():  # a translation call would fail the run
        (package / "model" / "model.bin").write_bytes(b"broken")
    summary = run_corpus(reviewed["corpus"], out, reviewed["packages"])
    assert summary["exit_code"] == 0 and summary["sentences_translated"] == 0
    assert summary["stale_edits"] == []
    records = {r["record_id"]: r for r in export_records(out)}
    edited = records[target["record_id"]]
    assert edited["en_text"] == reviewed["edit"].en_after and edited["mt_text"] == target["mt_text"]
    assert edited["review"] == {"status": "edited", "reviewer": "ana", "time": reviewed["edit"].created_at, "edit_id": 1}
    copy = next(r for r in records.values() if r["doc_id"] == "kopie.txt" and r["src_text"] == target["src_text"])
    assert copy["en_text"] == reviewed["edit"].en_after and copy["review"]["propagated_from"] == target["record_id"]
    # Only the two documents concerned were written again; the others are the same files.
    after = _snapshot_inodes(out)
    assert {doc for doc in inodes if inodes[doc] != after[doc]} == {GERMAN, "kopie.txt"}
    assert summary["records_renormalized"] == sum(1 for r in records.values() if r["doc_id"] in (GERMAN, "kopie.txt"))
    assert validate(out, Normalizer(load_glossary())) == []
    assert Corpus(out).stats()["reviewed_share"] == round(2 / len(records), 4)


def test_without_propagation_only_the_edited_record_changes(reviewed, run_corpus):
    run_corpus(reviewed["corpus"], reviewed["out"], reviewed["packages"], propagate=False)
    records = export_records(reviewed["out"])
    assert [r["doc_id"] for r in records if r["review"]] == [GERMAN]


def test_a_changed_sentence_makes_its_edit_stale_and_keeps_it(reviewed, run_corpus):
    german = reviewed["corpus"] / GERMAN
    german.write_text(german.read_text(encoding="utf-8").replace("Am Nachmittag des 19. April", "Am Morgen des 20. April"),
                      encoding="utf-8")
    summary = run_corpus(reviewed["corpus"], reviewed["out"], reviewed["packages"])
    assert [e["record_id"] for e in summary["stale_edits"]] == [reviewed["target"]["record_id"]]
    assert summary["stale_edits"][0]["en_after"] == reviewed["edit"].en_after
    assert all(r["review"] is None for r in export_records(reviewed["out"]) if r["doc_id"] == GERMAN)
    assert len(EditStore(reviewed["out"]).all()) == 1  # kept, for a new look


def test_a_stale_edit_is_listed_in_the_workspace_and_re_applied_there(reviewed, run_corpus):
    from starlette.testclient import TestClient

    from reportmt.review.app import create_app
    from reportmt.review.identities import OneReviewer

    german = reviewed["corpus"] / GERMAN
    german.write_text(german.read_text(encoding="utf-8").replace("Am Nachmittag des 19. April", "Am Morgen des 20. April"),
                      encoding="utf-8")
    run_corpus(reviewed["corpus"], reviewed["out"], reviewed["packages"])
    client = TestClient(create_app(reviewed["out"], OneReviewer("ben", None), allowed_hosts=["testserver"]),
                        base_url="http://testserver")
    page = client.get(f"/documents/{GERMAN}").text
    assert "1 stale edit in this document" in page
    listed = client.get("/stale").text
    assert "1 stale edit" in listed and "Am Nachmittag des 19. April" in listed and "Am Morgen des 20. April" in listed
    assert reviewed["edit"].en_after in listed
    now = next(r for r in export_records(reviewed["out"]) if "Am Morgen des 20. April" in r["src_text"])
    assert f'action="/records/{now["record_id"]}"' in listed  # re-applied to the sentence as it is now
    if CHROMIUM is None:  # the same form, posted without a browser
        form = {"form_key": client.app.state.workspace.form_key, "doc_id": GERMAN, "expected": now["en_text"],
                "en_text": reviewed["edit"].en_after, "return_to": "stale", "action": "save"}
        done = client.post(f"/records/{now['record_id']}", data=form, headers={"origin": "http://testserver"},
                           follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"].startswith("/stale?doc=")
    else:
        _reapply_in_a_browser(reviewed["out"])
    assert "0 stale edits" in client.get("/stale").text
    assert "stale edit" not in client.get(f"/documents/{GERMAN}").text  # settled on the document page too
    run_corpus(reviewed["corpus"], reviewed["out"], reviewed["packages"])
    applied = next(r for r in export_records(reviewed["out"]) if r["record_id"] == now["record_id"])
    assert applied["en_text"] == reviewed["edit"].en_after
    assert applied["review"]["reviewer"] == ("ben" if CHROMIUM is None else "ana")


def _reapply_in_a_browser(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    process, port = serve_review(out)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/documents/{GERMAN}")
            page.click("a:has-text('1 stale edit in this document')")
            assert "Stale edits in" in page.inner_text("h1")
            page.click("table.stale button:has-text('Re-apply')")
            assert "0 stale edits" in page.inner_text("main")
            browser.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_a_glossary_change_flags_a_human_edit_and_never_rewrites_it(reviewed, run_corpus, tmp_path):
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text(default_glossary_path().read_text(encoding="utf-8")
                        + "\n  - id: conference\n    category: phrase\n    canonical: Conference Meeting\n    en: [conference]\n",
                        encoding="utf-8")
    run_corpus(reviewed["corpus"], reviewed["out"], reviewed["packages"], glossary=glossary)
    edited = next(r for r in export_records(reviewed["out"]) if r["record_id"] == reviewed["target"]["record_id"])
    assert edited["en_text"] == reviewed["edit"].en_after
    assert "review_vs_glossary:conference" in edited["qa"]


def test_exports_carry_the_review(reviewed, run_corpus, tmp_path):
    import pyarrow.parquet as pq

    from reportmt.exports import write_parquet, write_tmx

    run_corpus(reviewed["corpus"], reviewed["out"], reviewed["packages"])
    records = list(Corpus(reviewed["out"]).records())
    with (tmp_path / "c.tmx").open("wb") as handle:
        write_tmx(records, handle)
    unit = etree.parse(str(tmp_path / "c.tmx")).find(f".//tu[@tuid='{reviewed['target']['record_id']}']")
    english = next(t for t in unit.iter("tuv") if t.get(_XML_LANG) == "en")
    assert english.get("changeid") == "ana" and len(english.get("changedate")) == 16
    assert "edited" in [p.text for p in unit.iter("prop") if p.get("type") == "x-review"]
    assert etree.DTD(str(Path(__file__).parent / "schemas" / "tmx14.dtd")).validate(etree.parse(str(tmp_path / "c.tmx")))
    with (tmp_path / "c.parquet").open("wb") as handle:
        write_parquet(records, handle)
    table = pq.read_table(tmp_path / "c.parquet").to_pylist()
    reviewed_rows = [row for row in table if row["review"]]
    assert {row["review"]["reviewer"] for row in reviewed_rows} == {"ana"} and len(reviewed_rows) == 2


def test_the_english_edition_has_one_document_per_report_with_the_reviewed_text(reviewed, run_corpus, tmp_path):
    from helpers import reportmt

    run_corpus(reviewed["corpus"], reviewed["out"], reviewed["packages"])
    result = reportmt("corpus", "export", "--format", "markdown", "--normalized", str(reviewed["out"]), "--out", str(tmp_path / "ed"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "ed").iterdir()) == sorted(
        p.name + ".md" for p in reviewed["corpus"].iterdir())
    german = (tmp_path / "ed" / (GERMAN + ".md")).read_text(encoding="utf-8")
    assert german.startswith("# " + GERMAN.replace("_", "\\_") + "\n\n> WARNING: this English comes from a TEST package")
    assert reviewed["edit"].en_after in german
    assert "- Source:" not in german  # a bare "Quelle" line names no source: no "Source: Quelle"
    english = (tmp_path / "ed" / "001_f6a9db11861e7d8f.txt.md").read_text(encoding="utf-8")
    assert "WARNING" not in english and "- Photo: " in english
    assert "- Source: <https://baoquangtri.vn/" in english  # the address once, as a link
    paragraphs = [block for block in english.split("\n\n")[2:] if block.strip()]
    assert len(paragraphs) == len({r["paragraph"] for r in export_records(reviewed["out"]) if r["doc_id"] == "001_f6a9db11861e7d8f.txt"})
    text = reportmt("corpus", "export", "--format", "text", "--normalized", str(reviewed["out"]), "--out", str(tmp_path / "tx"))
    assert text.returncode == 0 and (tmp_path / "tx" / "001_f6a9db11861e7d8f.txt.txt").read_text().startswith("001_f6a9db11861e7d8f.txt\n")


def test_saves_from_many_threads_each_stay_one_transaction(tmp_path):
    """The workspace saves from its thread pool on one store: every save lands, none is
    refused for another thread's transaction."""
    import threading

    store = EditStore(tmp_path)
    failures = []

    def reviewer(n: int) -> None:
        for k in range(25):
            record = _record(record_id=f"r{n}-{k}", doc_id=f"d{n}.txt")
            try:
                store.save(record, en_after=f"Text {n} {k}.", status=EDITED, reviewer=f"r{n}", expected=record["en_text"])
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                failures.append(exc)

    threads = [threading.Thread(target=reviewer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and len(store.all()) == 200
    assert store.records_edited_after(0) == {f"d{n}.txt": 25 for n in range(8)}
