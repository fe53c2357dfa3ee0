"""The review workspace against an attacker and against failure: hostile text in reports,
other host names (DNS rebinding), odd secrets, a restarted server, two tabs at once."""

from __future__ import annotations

import re
import shutil
import signal

import pytest
from helpers import REPO, reportmt, serve_review, type_and_save
from starlette.testclient import TestClient
from test_review import CHROMIUM, GERMAN, SAME_ORIGIN, _client, _first, _form

from reportmt.edits import EditStore
from reportmt.review.app import create_app
from reportmt.review.identities import OneReviewer

HOSTILE = "hostile.txt"
HOSTILE_TEXT = (
    "Source: javascript:alert(1)\n"
    "The committee <script>alert(2)</script> met on [Monday](javascript:alert(3)) and <a href=\"javascript:alert(4)\">"
    "talked</a> for a long time about the [link=javascript:alert(5)]budget[/link] of the province and its people.\n"
)


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory, tiny_archives, run_corpus):
    """The seeds and an English report whose source line and text are attacks."""
    from reportmt.translators.packages import install_archive

    root = tmp_path_factory.mktemp("hostile")
    for archive in tiny_archives.values():
        install_archive(archive, root / "packages")
    shutil.copytree(REPO / "corpus", root / "corpus")
    (root / "corpus" / HOSTILE).write_text(HOSTILE_TEXT, encoding="utf-8")
    assert run_corpus(root / "corpus", root / "normalized", root / "packages")["exit_code"] == 0
    return root / "normalized"


def test_only_web_addresses_become_links_and_text_stays_text(hostile_corpus):
    from reportmt.reader import Corpus

    assert Corpus(hostile_corpus).metadata(HOSTILE)["source_url"] is None  # decided when the report is read
    client = _client(hostile_corpus)
    page = client.get(f"/documents/{HOSTILE}").text
    assert "Source: javascript:alert(1)" in page  # kept as text among the page furniture
    assert 'href="javascript' not in page and "<script>alert(2)" not in page and "<a href=\"javascript" not in page
    linked = client.get("/documents/001_f6a9db11861e7d8f.txt").text
    assert '<a href="https://baoquangtri.vn/' in linked  # a web address is still a link

    edition = client.get(f"/edition/{HOSTILE}").text
    assert edition.count("Source:") == 1 and "- Source: javascript:alert(1)" in edition  # once, and not a link
    assert "<script>" not in edition and "<a href" not in edition
    assert not re.search(r"(?<!\\)\]\(", edition)  # no Markdown link: every bracket is escaped
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in edition and "\\[Monday\\](javascript:alert(3))" in edition
    shown = reportmt("corpus", "show", HOSTILE, "--normalized", str(hostile_corpus), env={"COLUMNS": "400"})
    assert shown.returncode == 0, shown.stderr
    assert "[link=javascript:alert(5)]budget[/link]" in shown.stdout  # rich markup shown as text, not made a link
    assert "\x1b]8;" not in shown.stdout  # no terminal hyperlink


def test_on_loopback_only_loopback_host_names_are_answered(hostile_corpus):
    """A page on attacker.example whose name resolves to 127.0.0.1 (DNS rebinding) gets nothing."""
    out = hostile_corpus
    record = _first(out, GERMAN)
    rebinding = TestClient(create_app(out, OneReviewer("ana", None)), base_url="http://attacker.example:8765")
    page = rebinding.get(f"/documents/{GERMAN}")
    assert page.status_code == 403 and "attacker.example" in page.text and "form_key" not in page.text
    form = _form(_client(out), record, "Hijacked.", record["en_text"]) | {"form_key": rebinding.app.state.workspace.form_key}
    assert rebinding.post(f"/records/{record['record_id']}", data=form,
                          headers={"origin": "http://attacker.example:8765"}).status_code == 403
    assert EditStore(out).all() == []
    for base in ("http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765"):
        assert TestClient(create_app(out, OneReviewer("ana", None)), base_url=base).get("/").status_code == 200, base
    allowed = TestClient(create_app(out, OneReviewer("ana", None), allowed_hosts=["reports.example"]),
                         base_url="http://reports.example:8765")
    assert allowed.get("/").status_code == 200


def test_a_token_or_form_key_of_any_text_is_refused_not_an_error(hostile_corpus):
    client = _client(hostile_corpus, token="s3cret")
    assert client.get("/", params={"token": "é"}).status_code == 403
    client.cookies.set("reportmt_token", "%C3%A9t%C3%A9")
    assert client.get("/").status_code == 403
    open_client = _client(hostile_corpus)
    record = _first(hostile_corpus, GERMAN)
    refused = open_client.post(f"/records/{record['record_id']}", data=_form(open_client, record, "x", "y") | {"form_key": "é"},
                               headers={**SAME_ORIGIN, "accept": "application/json"})
    assert refused.status_code == 403 and "reload the page" in refused.json()["error"]


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_a_save_that_fails_says_so_and_keeps_the_text(hostile_corpus, tmp_path):
    from playwright.sync_api import sync_playwright

    out = tmp_path / "normalized"
    shutil.copytree(hostile_corpus, out)
    process, port = serve_review(out)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            first, second = browser.new_page(), browser.new_page()
            for page in (first, second):
                page.goto(f"http://127.0.0.1:{port}/documents/{GERMAN}")
                page.keyboard.press("j")
            row = first.evaluate("document.activeElement.dataset.record")

            def save(page, text: str) -> str:
                return type_and_save(page, row, text)

            assert save(first, "First tab's English.").startswith("Saved")
            refused = save(second, "Second tab's English.")  # made against the text before the first tab's save
            assert refused.startswith("Not saved") and "First tab's English." in second.inner_text(f"#r-{row} .conflict")
            assert save(second, "Second tab's English.").startswith("Saved")  # it now expects what the server has

            process.send_signal(signal.SIGTERM)  # restarted: a new form key; the open page still has the old one
            process.wait(timeout=30)
            process, port = serve_review(out, port=port)
            message = save(first, "Typed before the restart was noticed.")
            assert "workspace was restarted" in message and "reload the page" in message
            assert first.input_value(f"#r-{row} textarea") == "Typed before the restart was noticed."  # nothing typed is lost
            browser.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert [e.en_after for e in EditStore(out).all()] == ["First tab's English.", "Second tab's English."]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_a_new_route_with_an_unsafe_method_is_guarded_without_asking(hostile_corpus, method):
    """The guard sits in front of every route: one added later needs the same origin and
    the form key before it runs, with nothing of its own."""
    from starlette.responses import PlainTextResponse

    client = _client(hostile_corpus)
    ran = []

    def probe(request):
        ran.append(request.method)
        return PlainTextResponse("changed")

    client.app.router.add_route("/probe", probe, methods=[method])
    key = {"x-reportmt-form-key": client.app.state.workspace.form_key}
    assert client.request(method, "/probe", headers=key).status_code == 403  # no Origin
    assert client.request(method, "/probe", headers={**key, "origin": "http://evil.example"}).status_code == 403
    assert client.request(method, "/probe", headers=SAME_ORIGIN).status_code == 403  # no form key
    assert client.request(method, "/probe", headers={**SAME_ORIGIN, "x-reportmt-form-key": "guess"}).status_code == 403
    assert ran == []
    assert client.request(method, "/probe", headers={**SAME_ORIGIN, **key}).text == "changed" and ran == [method]


def test_a_slow_page_does_not_hold_up_the_others(hostile_corpus, monkeypatch):
    """Pages run in the server's thread pool: while one is busy (here an English edition,
    held until released), another page answers."""
    import threading

    import httpx
    import uvicorn
    from helpers import free_port

    from reportmt.review.routes import documents

    held, entered = threading.Event(), threading.Event()
    plain_edition = documents.edition_text

    def slow_edition(*args):
        entered.set()
        held.wait(60)
        return plain_edition(*args)

    monkeypatch.setattr(documents, "edition_text", slow_edition)
    app = create_app(hostile_corpus, OneReviewer("ana", None))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    try:
        while not server.started:
            threading.Event().wait(0.05)
        slow = []
        busy = threading.Thread(target=lambda: slow.append(httpx.get(f"http://127.0.0.1:{port}/edition/{GERMAN}", timeout=60)))
        busy.start()
        assert entered.wait(30)  # the edition is inside its work now
        other = httpx.get(f"http://127.0.0.1:{port}/documents/{GERMAN}", timeout=20)
        assert other.status_code == 200 and not slow  # answered while the edition is still busy
        held.set()
        busy.join(60)
        assert slow and slow[0].status_code == 200
    finally:
        held.set()
        server.should_exit = True
        serving.join(10)
