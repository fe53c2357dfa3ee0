"""The review workspace: its pages and its one change (saving an edit), in-process; then a
real headless Chromium (Debian's package, driven by Playwright) against `reportmt review`."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from helpers import BROWSER_ARGS, REPO, export_records, free_port, reportmt, serve_review
from starlette.testclient import TestClient

from reportmt.edits import EditStore
from reportmt.review.app import create_app
from reportmt.review.identities import OneReviewer
from reportmt.review.security import is_loopback

GERMAN = "003_e4b81f133e3b5870.txt"
CHROMIUM = shutil.which("chromium")


def _client(out: Path, token: str | None = None, on_save: Callable[[Path], None] | None = None) -> TestClient:
    return TestClient(create_app(out, OneReviewer("ana", token), allowed_hosts=["testserver"], on_save=on_save),
                      base_url="http://testserver")


def _first(out: Path, doc_id: str = GERMAN) -> dict:
    return next(r for r in export_records(out) if r["doc_id"] == doc_id)


def _form(client: TestClient, record: dict, text: str, expected: str, action: str = "save") -> dict:
    return {"form_key": client.app.state.workspace.form_key, "doc_id": record["doc_id"], "en_text": text,
            "expected": expected, "action": action}


SAME_ORIGIN = {"origin": "http://testserver"}


def test_pages_show_documents_search_terms_and_escape_everything(out):
    client = _client(out)
    home = client.get("/")
    assert home.status_code == 200 and GERMAN in home.text and "markup.txt" in home.text
    assert "6 documents" in home.text
    assert client.get("/", params={"language": "fr"}).text.count("/documents/") == 1
    found = client.get("/", params={"q": "Provinzparteikomitees"})
    assert "sentences match" in found.text and "<mark>Provinzparteikomitees</mark>" in found.text
    page = client.get("/documents/markup.txt")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
    assert "onerror=alert" not in page.text.replace("onerror=alert(2)&gt;", "")
    german = client.get(f"/documents/{GERMAN}")
    assert '<mark class="term"' in german.text and "TEST package" in german.text and "Konferenzteilnehmer." in german.text
    terms = client.get("/terms")
    assert "Central Internal Affairs Committee" in terms.text and f"/documents/{GERMAN}#r-" in terms.text
    assert client.get("/edition/" + GERMAN).text.startswith("# " + GERMAN.replace("_", "\\_"))  # Markdown-escaped
    assert client.get("/documents/nope.txt").status_code == 404


def test_saving_an_edit_stores_it_and_refuses_what_it_must(out):
    client = _client(out)
    record = _first(out)
    saved = client.post(f"/records/{record['record_id']}", data=_form(client, record, "The committee met.", record["en_text"]),
                        headers={**SAME_ORIGIN, "accept": "application/json"})
    assert saved.status_code == 200 and saved.json()["en_text"] == "The committee met.", saved.text
    again = client.post(f"/records/{record['record_id']}", data=_form(client, record, "Another text.", record["en_text"]),
                        headers={**SAME_ORIGIN, "accept": "application/json"})  # a second tab, made against the old text
    assert again.status_code == 409
    assert again.json()["current"] == "The committee met." and again.json()["submitted"] == "Another text."
    empty = client.post(f"/records/{record['record_id']}", data=_form(client, record, " ", "The committee met."),
                        headers={**SAME_ORIGIN, "accept": "application/json"})
    assert empty.status_code == 422 and "empty English" in empty.json()["error"]
    gone = client.post("/records/0000", data=_form(client, {**record, "record_id": "0000"}, "x", "y"), headers=SAME_ORIGIN)
    assert gone.status_code == 409 and "no longer in the corpus" in gone.text
    assert [e.en_after for e in EditStore(out).all()] == ["The committee met."]
    page = client.get(f"/documents/{GERMAN}")
    assert "applied at the next run" in page.text and "The committee met." in page.text


def test_changes_need_the_same_origin_and_the_form_key_and_gets_change_nothing(out):
    client = _client(out)
    record = _first(out)
    url = f"/records/{record['record_id']}"
    form = _form(client, record, "Changed.", record["en_text"])
    assert client.post(url, data=form, headers={"origin": "http://evil.example"}).status_code == 403
    assert client.post(url, data=form).status_code == 403  # no Origin, no Referer
    assert client.post(url, data={**form, "form_key": "guess"}, headers=SAME_ORIGIN).status_code == 403
    assert client.get(url, params={"doc": GERMAN}).status_code == 200  # the sentence's page: reading changes nothing
    assert EditStore(out).all() == []
    saved = client.post(url, data=form, headers={"referer": "http://testserver/documents/x"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/documents/{GERMAN}#r-{record['record_id']}"


def test_off_loopback_every_request_needs_the_token(out):
    assert is_loopback("127.0.0.1") and is_loopback("127.0.0.2") and is_loopback("::1") and not is_loopback("0.0.0.0")
    client = _client(out, token="s3cret")
    assert client.get("/").status_code == 403
    assert client.get("/", params={"token": "wrong"}).status_code == 403
    first = client.get("/", params={"token": "s3cret", "q": "Ausschuss"}, follow_redirects=False)
    assert first.status_code == 303 and "reportmt_token" in first.headers["set-cookie"]
    assert first.headers["location"] == "/?q=Ausschuss"  # the token leaves the address bar and the history
    assert client.get(f"/documents/{GERMAN}").status_code == 200  # the cookie carries it from now on


def test_every_answer_keeps_the_workspace_out_of_frames_and_foreign_scripts(out):
    client = _client(out)
    for answer in (client.get("/"), client.get("/nowhere"), client.get("/", headers={"host": "evil.example"})):
        assert answer.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"
    listed = client.get("/", headers={"host": "127.0.0.1, evil.example"})
    assert listed.status_code == 400 and "one Host header" in listed.text


def test_an_edit_over_the_size_limit_is_refused_in_words(out):
    from reportmt.review.security import MAX_EDIT_CHARS, MAX_REQUEST_BYTES

    client = _client(out)
    record = _first(out)
    answer = client.post(f"/records/{record['record_id']}", headers={**SAME_ORIGIN, "accept": "application/json"},
                         data=_form(client, record, "word " * (MAX_EDIT_CHARS // 5 + 1), record["en_text"]))
    assert answer.status_code == 413 and "at most 100,000" in answer.json()["error"]
    huge = client.post(f"/records/{record['record_id']}", headers=SAME_ORIGIN,
                       data=_form(client, record, "x" * (MAX_REQUEST_BYTES + 1), record["en_text"]))
    assert huge.status_code == 413 and "bytes" in huge.text


def test_a_star_host_is_refused_where_no_token_guards(out):
    for extra in ([], ["--reviewer-header", "X-Forwarded-User"]):
        refused = reportmt("review", "--normalized", str(out), "--allow-host", "*", *extra)
        assert refused.returncode == 2 and "DNS rebinding" in refused.stderr and "Traceback" not in refused.stderr


def test_pages_stay_whole_while_runs_commit_new_snapshots(out):
    """Snapshots are committed by the store's own writer, as a run does, while a reader keeps
    opening the pages: every page answers, whole."""
    from reportmt.snapshots import Change, SnapshotWriter
    from reportmt.store import read_snapshot

    client = _client(out)
    expected = client.get(f"/documents/{GERMAN}").text.count('class="row')
    stop = threading.Event()
    commits = []

    def commit_snapshots():
        while not stop.is_set():
            previous = read_snapshot(out)
            commits.append(SnapshotWriter(out).commit(Change([], [], time.time()), previous.info).name)
            stop.wait(0.05)  # a run commits at most every few seconds; this is many times as often

    committer = threading.Thread(target=commit_snapshots)
    committer.start()
    try:
        pages = [client.get(path) for _ in range(40) for path in (f"/documents/{GERMAN}", "/terms", f"/edition/{GERMAN}", "/?q=Provinz")]
    finally:
        stop.set()
        committer.join()
    assert len(set(commits)) > 10
    assert [page.status_code for page in pages] == [200] * len(pages)
    assert {page.text.count('class="row') for page in pages[::4]} == {expected}


def test_a_run_carries_an_edit_saved_in_the_workspace(workspace_corpus, out, run_corpus):
    client = _client(out)
    record = _first(out)
    client.post(f"/records/{record['record_id']}", data=_form(client, record, "The committee met on Monday.", record["en_text"]),
                headers=SAME_ORIGIN)
    run_corpus(workspace_corpus["root"] / "corpus", out, workspace_corpus["root"] / "packages")
    assert _first(out)["en_text"] == "The committee met on Monday." and _first(out)["review"]["reviewer"] == "ana"
    assert "applied at the next run" not in client.get(f"/documents/{GERMAN}").text  # in the snapshot now


def test_killed_during_saves_every_edit_is_whole_or_absent(out):
    process, port = serve_review(out)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"origin": f"http://127.0.0.1:{port}"})
    page = client.get(f"/documents/{GERMAN}").text
    form_key = page.split('name="form_key" value="')[1].split('"')[0]
    records = [r for r in export_records(out) if r["doc_id"] == GERMAN]
    stop = threading.Event()

    def save_forever():
        for number in range(10_000):
            record = records[number % len(records)]
            if stop.is_set():
                return
            try:
                current = client.post(f"/records/{record['record_id']}", headers={"accept": "application/json"}, data={
                    "form_key": form_key, "doc_id": GERMAN, "en_text": f"Edit number {number}.", "action": "save",
                    "expected": EditStore(out).current_english(record)})
                assert current.status_code in (200, 409)
            except httpx.HTTPError:
                return

    saver = threading.Thread(target=save_forever)
    saver.start()
    time.sleep(1.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stop.set()
    saver.join(timeout=30)
    db = sqlite3.connect(out / "edits.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    edits = EditStore(out).all()
    assert edits, "no save went through before the kill"
    assert all(e.en_after.startswith("Edit number ") and e.reviewer == "ana" and e.created_at for e in edits)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_a_reviewer_edits_with_the_keyboard_in_a_real_browser(out):
    from playwright.sync_api import sync_playwright

    process, port = serve_review(out)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(f"http://127.0.0.1:{port}/documents/markup.txt")
            assert "<script>alert('x')</script>" in page.inner_text("table.aligned")  # shown as text, never run
            page.goto(f"http://127.0.0.1:{port}/documents/{GERMAN}")
            page.keyboard.press("j")  # first sentence
            page.keyboard.press("j")  # second
            focused = page.evaluate("document.activeElement.dataset.record")
            page.keyboard.press("e")
            page.keyboard.press("Control+a")
            page.keyboard.type("Comrade Nguyen Ngoc Tien attended the conference.")
            page.keyboard.press("Control+Enter")
            page.wait_for_selector(f"#r-{focused} .status:has-text('Saved')")
            page.keyboard.press("j")
            page.keyboard.press("a")  # accept the third sentence as it is
            third = page.evaluate("document.activeElement.dataset.record")
            page.wait_for_selector(f"#r-{third} .status:has-text('Accepted')")
            page.reload()
            assert "Comrade Nguyen Ngoc Tien attended the conference." in page.inner_text(f"#r-{focused} .english")
            assert "applied at the next run" in page.inner_text(f"#r-{focused}")
            page.screenshot(path=str(out.parent / "document-page.png"), full_page=False)
            assert dialogs == []
            browser.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    edits = EditStore(out).all()
    assert [(e.record_id, e.status) for e in edits] == [(focused, "edited"), (third, "accepted")]


def test_off_loopback_the_served_workspace_prints_a_token_url_and_needs_it(out):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "reportmt", "review", "--normalized", str(out), "--host", "0.0.0.0",
                                "--port", str(port)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("Indexing snapshot ")  # a new snapshot is indexed before the workspace opens
        line = process.stdout.readline()
        assert "?token=" in line
        token = line.split("?token=")[1].split()[0]
        deadline = time.monotonic() + 60
        while True:
            try:
                refused = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert refused.status_code == 403
        assert httpx.get(f"http://127.0.0.1:{port}/", params={"token": token}, timeout=10,
                         follow_redirects=True).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_a_save_tells_prefect_so_a_served_corpus_catches_up(out, prefect_api):
    from reportmt.events import REVIEW_SAVED_EVENT, normalized_resource_id
    from reportmt.flows.announce import announce_save
    from reportmt.flows.deployments import build_deployment

    client = _client(out, on_save=announce_save)  # as `reportmt review` serves it
    record = _first(out)
    assert client.post(f"/records/{record['record_id']}", data=_form(client, record, "The committee met.", record["en_text"]),
                       headers=SAME_ORIGIN, follow_redirects=False).status_code == 303
    body = {"filter": {"event": {"name": [REVIEW_SAVED_EVENT]}, "any_resource": {"id": [normalized_resource_id(out)]}}, "limit": 10}
    deadline = time.monotonic() + 60
    while not (events := httpx.post(f"{prefect_api}/events/filter", json=body, timeout=30).json()["events"]):
        assert time.monotonic() < deadline, "the event never reached the server"
        time.sleep(1)  # the server stores events in batches
    assert [e["payload"]["saves"] for e in events] == [1]  # saves are folded: one event says how many
    triggered = build_deployment(REPO / "corpus", out, None, None, cron="0 * * * *")
    assert any(REVIEW_SAVED_EVENT in t.expect and t.match.root["prefect.resource.id"] == normalized_resource_id(out)
               for t in triggered.triggers)


def test_glossary_suggestions_are_accepted_into_the_glossary_or_rejected_for_good(tmp_path, run_corpus):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(2):
        (corpus / f"report-{number}.txt").write_text(
            f"The Central Internal Affairs Board met on day {number} to review the cases of the quarter.\n"
            f"The Provincial Land Allocation Council answered the complaints of day {number} in the afternoon.\n")
    out = tmp_path / "normalized"
    assert run_corpus(corpus, out, tmp_path / "no-models")["exit_code"] == 0
    glossary = tmp_path / "glossary.yaml"
    shutil.copy(REPO / "reportmt" / "glossary" / "glossary.yaml", glossary)
    from reportmt.glossary import load_glossary
    from reportmt.glossary.suggest import suggest
    from reportmt.reader import Corpus

    client = TestClient(create_app(out, OneReviewer("ana", None), glossary=str(glossary), allowed_hosts=["testserver"]),
                        base_url="http://testserver")
    page = client.get("/suggestions")
    assert "Central Internal Affairs Board" in page.text and "Provincial Land Allocation Council" in page.text
    form_key = client.app.state.workspace.form_key

    keys = {s.text: s.key for s in suggest(Corpus(out).records(), load_glossary(glossary))}

    def settle(text: str, action: str):
        return client.post("/suggestions", data={"form_key": form_key, "key": keys[text], "action": action},
                           headers=SAME_ORIGIN, follow_redirects=False)

    accepted = settle("Central Internal Affairs Board", "accept")
    assert accepted.status_code == 303 and "Central Internal Affairs Board" in glossary.read_text()
    assert settle("Provincial Land Allocation Council", "reject").status_code == 303
    assert "Provincial Land Allocation Council" not in glossary.read_text()
    again = TestClient(create_app(out, OneReviewer("ana", None), glossary=str(glossary), allowed_hosts=["testserver"]),
                       base_url="http://testserver")
    shown = again.get("/suggestions").text
    assert "Central Internal Affairs Board" not in shown and "Provincial Land Allocation Council" not in shown
    assert client.post("/suggestions", data={"form_key": "guess", "key": "x", "action": "accept"}, headers=SAME_ORIGIN).status_code == 403


def test_terms_and_suggestions_are_computed_per_snapshot_off_the_request_path(out, monkeypatch):
    """A new snapshot's figures are computed in the background: meanwhile the pages answer
    at once with the previous snapshot's, and say so."""
    from reportmt.review import figures
    from reportmt.snapshots import Change, SnapshotWriter
    from reportmt.store import read_snapshot

    client = _client(out)
    first = client.get("/terms")
    assert "Central Internal Affairs Committee" in first.text and "being computed" not in first.text
    held = threading.Event()
    plain = figures.term_figures

    def held_figures(*args):
        held.wait(60)
        return plain(*args)

    monkeypatch.setattr(figures, "term_figures", held_figures)
    previous = read_snapshot(out)
    SnapshotWriter(out).commit(Change([], [], time.time()), previous.info)  # a run commits a new snapshot
    try:
        for path in ("/terms", "/suggestions"):
            page = client.get(path)  # its figures are held: the page does not wait for them
            assert page.status_code == 200 and f"figures are of snapshot {previous.name}" in page.text
    finally:
        held.set()
    deadline = time.monotonic() + 30
    while "figures are of snapshot" in client.get("/terms").text:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_status_changed_since_the_page_was_loaded_is_a_conflict_not_overwritten(out):
    client = _client(out)
    record = _first(out)
    page = client.get(f"/documents/{GERMAN}").text
    assert 'name="expected_status" value=""' in page  # what the reviewer saw: unreviewed
    seen = {**_form(client, record, record["en_text"], record["en_text"], action="accept"), "expected_status": ""}
    assert client.post(f"/records/{record['record_id']}", data=seen, headers=SAME_ORIGIN,
                       follow_redirects=False).status_code == 303
    other_tab = {**seen, "action": "reject"}  # loaded before the acceptance
    answer = client.post(f"/records/{record['record_id']}", data=other_tab,
                         headers={**SAME_ORIGIN, "accept": "application/json"})
    assert answer.status_code == 409 and "marked 'accepted'" in answer.json()["error"]
    assert answer.json()["status_now"] == "accepted"
    assert [e.status for e in EditStore(out).all()] == ["accepted"]
    again = {**other_tab, "expected_status": "accepted"}  # decided again, knowing
    assert client.post(f"/records/{record['record_id']}", data=again, headers=SAME_ORIGIN,
                       follow_redirects=False).status_code == 303


def test_a_conflict_between_unrelated_texts_is_not_diffed_word_by_word(out):
    client = _client(out)
    record = _first(out)
    first = _form(client, record, "The committee met on Monday morning.", record["en_text"])
    assert client.post(f"/records/{record['record_id']}", data=first, headers=SAME_ORIGIN,
                       follow_redirects=False).status_code == 303
    unrelated = _form(client, record, "Budget figures for 2024 were published.", record["en_text"])
    answer = client.post(f"/records/{record['record_id']}", data=unrelated,
                         headers={**SAME_ORIGIN, "accept": "application/json"}).json()
    assert answer["current"] == "The committee met on Monday morning." and answer["diff_html"] == ""


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_document_page_gives_the_source_room_and_fits_a_phone(out):
    from playwright.sync_api import sync_playwright

    process, port = serve_review(out)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            for width in (1366, 420):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"http://127.0.0.1:{port}/documents/{GERMAN}")
                source = page.evaluate("document.querySelector('table.sentences td:nth-child(2)').offsetWidth")
                assert source >= (350 if width == 1366 else 300), (width, source)  # was about 150 at 1366
                assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
            browser.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
