"""The review workspace for a team: reviewers named by their own tokens (stored hashed) or
by a trusted proxy, statuses, each sentence's history and revert, comments (in TMX too),
presence and conflicts; in-process, then two reviewers in two real browser contexts."""

from __future__ import annotations

import json
import re
import shutil
import signal
import sqlite3
from contextlib import closing

import pytest
from helpers import REPO, export_records, reportmt, serve_review, type_and_save
from starlette.testclient import TestClient
from test_review import BROWSER_ARGS, CHROMIUM, GERMAN, SAME_ORIGIN, _first

from reportmt.comments import CommentStore
from reportmt.edits import EditStore, read_edits
from reportmt.reader import Corpus
from reportmt.review.app import create_app
from reportmt.review.identities import ProxyHeader, ReviewerTokens

JSON = {**SAME_ORIGIN, "accept": "application/json"}


def _add_reviewer(users, name: str) -> str:
    added = reportmt("reviewers", "add", name, "--users", str(users))
    assert added.returncode == 0, added.stderr
    return added.stdout.strip()


def _team_client(out, users) -> TestClient:
    return TestClient(create_app(out, ReviewerTokens(users), allowed_hosts=["testserver"]), base_url="http://testserver")


def _save(client, record, text, expected, action="save", token=None, **extra):
    form = {"form_key": client.app.state.workspace.form_key, "doc_id": record["doc_id"], "en_text": text,
            "expected": expected, "action": action, **extra}
    return client.post(f"/records/{record['record_id']}", data=form, headers={**JSON, **({"x-reportmt-token": token} if token else {})})


def test_each_reviewer_signs_in_with_a_token_of_their_own_stored_only_hashed(out, tmp_path):
    users = tmp_path / "reviewers.json"
    ana, ben = _add_reviewer(users, "ana"), _add_reviewer(users, "ben")
    stored = users.read_text()
    assert ana not in stored and ben not in stored and json.loads(stored)["reviewers"]["ana"].startswith("sha256:")
    assert reportmt("reviewers", "list", "--users", str(users)).stdout.split() == ["ana", "ben"]
    assert reportmt("reviewers", "add", "ana smith", "--users", str(users)).returncode != 0  # not a name a page can show

    client = _team_client(out, users)
    assert client.get("/").status_code == 403  # on loopback too: who is it?
    assert client.get("/", params={"token": "guess"}).status_code == 403
    page = client.get(f"/documents/{GERMAN}", params={"token": ana})
    assert page.status_code == 200 and "Reviewing as <strong>ana</strong>" in page.text
    assert "Reviewing as <strong>ana</strong>" in client.get("/").text  # the token stays in a cookie
    record = _first(out)
    assert _save(client, record, "Ana's English.", record["en_text"]).status_code == 200
    client.cookies.clear()
    assert _save(client, record, "Ben's English.", "Ana's English.", token=ben).json()["reviewer"] == "ben"
    assert [(e.reviewer, e.en_after) for e in read_edits(out)] == [("ana", "Ana's English."), ("ben", "Ben's English.")]

    assert reportmt("reviewers", "remove", "ben", "--users", str(users)).returncode == 0
    assert client.get("/", headers={"x-reportmt-token": ben}).status_code == 403  # from the next request on
    assert client.get("/", headers={"x-reportmt-token": ana}).status_code == 200


def test_a_trusted_proxy_names_the_reviewer_only_on_loopback(out):
    client = TestClient(create_app(out, ProxyHeader("X-Forwarded-User"), allowed_hosts=["testserver"]), base_url="http://testserver")
    assert client.get("/").status_code == 403
    assert "Reviewing as <strong>cleo</strong>" in client.get("/", headers={"x-forwarded-user": "cleo"}).text
    assert client.get("/", headers={"x-forwarded-user": "<script>"}).status_code == 403
    refused = reportmt("review", "--normalized", str(out), "--host", "0.0.0.0", "--reviewer-header", "X-Forwarded-User")
    assert refused.returncode == 2 and "serve on loopback behind the proxy" in refused.stderr and "Traceback" not in refused.stderr
    both = reportmt("review", "--normalized", str(out), "--users", "x.json", "--reviewer", "ana")
    assert both.returncode == 2 and "choose one" in both.stderr


def test_every_new_change_needs_a_reviewer_the_same_origin_and_the_form_key(out, tmp_path):
    users = tmp_path / "reviewers.json"
    ana = _add_reviewer(users, "ana")
    client = _team_client(out, users)
    record = _first(out)
    key = client.app.state.workspace.form_key
    changes = [
        (f"/records/{record['record_id']}", {"doc_id": GERMAN, "en_text": "x", "expected": record["en_text"], "action": "discuss"}),
        (f"/records/{record['record_id']}/comments", {"doc_id": GERMAN, "body": "Check the number.", "action": "add"}),
        ("/replace", {"find": "the", "replace": "THE", "record": record["record_id"], f"doc:{record['record_id']}": GERMAN,
                      f"expected:{record['record_id']}": record["en_text"]}),
    ]
    for url, form in changes:
        assert client.post(url, data={**form, "form_key": key}, headers=SAME_ORIGIN).status_code == 403  # no reviewer
        signed = {"x-reportmt-token": ana}
        assert client.post(url, data={**form, "form_key": key}, headers={**signed, "origin": "http://evil.example"}).status_code == 403
        assert client.post(url, data=form, headers={**signed, **SAME_ORIGIN}).status_code == 403  # no form key
    assert read_edits(out) == [] and CommentStore(out).everywhere() == {}
    for url, form in changes:
        assert client.post(url, data={**form, "form_key": key}, headers={**JSON, "x-reportmt-token": ana}).status_code == 200


def test_statuses_history_revert_comments_and_what_a_run_makes_of_them(out, workspace_corpus, tmp_path, run_corpus):
    users = tmp_path / "reviewers.json"
    ana, ben = _add_reviewer(users, "ana"), _add_reviewer(users, "ben")
    client = _team_client(out, users)
    records = [r for r in export_records(out) if r["doc_id"] == GERMAN]
    first, second, third = records[:3]
    original = first["en_text"]
    assert _save(client, first, "The committee met.", original, token=ana).status_code == 200
    assert _save(client, first, "The Provincial Party Committee met.", "The committee met.", token=ben).status_code == 200
    marked = _save(client, second, "ignored: a mark keeps the English", second["en_text"], action="discuss", token=ana).json()
    assert marked["status"] == "needs discussion" and marked["en_text"] == second["en_text"]
    assert _save(client, third, "", third["en_text"], action="reject", token=ben).json()["status"] == "rejected translation"

    history = client.get(f"/records/{first['record_id']}", params={"doc": GERMAN, "token": ana}).text
    assert history.index("ana, ") < history.index("ben, ")  # who, oldest first
    assert "The <del>committee</del><ins>Provincial Party Committee</ins> met." in history  # ben's against ana's
    assert f'value="{original}"' in history and "Revert to this" in history
    reverted = _save(client, first, original, "The Provincial Party Committee met.", action="revert", token=ana).json()
    assert reverted["status"] == "edited" and reverted["en_text"] == original
    assert [e.en_after for e in EditStore(out).history(first["record_id"])] == [
        "The committee met.", "The Provincial Party Committee met.", original]  # a revert is an edit; nothing is deleted
    history = client.get(f"/records/{first['record_id']}", params={"doc": GERMAN, "token": ana}).text
    assert "reverted to the run&#39;s English" in history or "reverted to the run's English" in history

    comment = f"/records/{first['record_id']}/comments"
    key = client.app.state.workspace.form_key
    posted = client.post(comment, data={"form_key": key, "doc_id": GERMAN, "body": "Is 'Provincial' right here?",
                                        "action": "add"}, headers={**JSON, "x-reportmt-token": ben}).json()["comments"]
    assert [(c["reviewer"], c["is_open"]) for c in posted] == [("ben", True)]
    with_comments = client.get("/", params={"comments": "open", "token": ana}).text
    assert "1 documents" in with_comments and f"/documents/{GERMAN}" in with_comments
    commented = client.get(f"/documents/{GERMAN}", params={"show": "commented", "token": ana}).text
    assert commented.count('class="row ') == 1 and "Is &#39;Provincial&#39; right here?" in commented
    assert client.get(f"/documents/{GERMAN}", params={"show": "marked"}).text.count('class="row ') == 2
    assert "Changes from the engine output" in commented
    client.post(comment, data={"form_key": key, "doc_id": GERMAN, "comment_id": str(posted[0]["comment_id"]),
                               "action": "resolve"}, headers={**JSON, "x-reportmt-token": ana})
    assert client.get(f"/documents/{GERMAN}", params={"show": "commented"}).text.count('class="row ') == 0
    assert "resolved by ana" in client.get(f"/records/{first['record_id']}", params={"doc": GERMAN}).text

    tmx = tmp_path / "corpus.tmx"
    assert reportmt("corpus", "export", "--format", "tmx", "--normalized", str(out), "--out", str(tmx)).returncode == 0
    assert "ben " in tmx.read_text() and "(resolved by ana " in tmx.read_text() and "Is 'Provincial' right here?</note>" in tmx.read_text()

    root = workspace_corpus["root"]
    run_corpus(root / "corpus", out, root / "packages")  # the edits and marks go into the records
    after = {r["record_id"]: r for r in Corpus(out).records(doc=GERMAN)}
    assert after[second["record_id"]]["review"]["status"] == "needs discussion"
    assert after[second["record_id"]]["en_text"] == second["en_text"]
    assert after[third["record_id"]]["review"]["status"] == "rejected translation"
    assert after[first["record_id"]]["review"]["reviewer"] == "ana" and after[first["record_id"]]["en_text"] == original
    assert Corpus(out).stats()["languages"]["de"]["reviewed"] == 1  # marks are not reviews


def test_a_terms_concordance_and_the_corpus_progress(out):
    from reportmt import search_index
    from reportmt.review.identities import OneReviewer

    client = TestClient(create_app(out, OneReviewer("ana", None), allowed_hosts=["testserver"]), base_url="http://testserver")
    with closing(search_index.open_index(Corpus(out))) as db:
        term = search_index.facets(db)["terms"][0]
        holding = [r for r in export_records(out) if term in r["terms"]]
    page = client.get("/concordance", params={"term": term}).text
    assert f"{len(holding)} sentences hold it" in page
    assert all(f"#r-{r['record_id']}" in page for r in holding)
    assert f'title="{term}"' in page  # marked where it stands
    assert "concordance" in client.get("/terms").text
    records = list(export_records(out))
    words = sum(len(r["src_text"].split()) for r in records)
    assert f"Reviewed: 0 of {len(records)} sentences, 0 of {words} source words" in client.get("/").text


def test_a_corpus_wide_replacement_is_previewed_then_one_attributed_edit_per_sentence(out, tmp_path):
    users = tmp_path / "reviewers.json"
    ana = _add_reviewer(users, "ana")
    client = _team_client(out, users)
    holding = [r for r in export_records(out) if re.search(r"\bCommittee\b", r["en_text"])]  # whole words
    assert len(holding) >= 3 and any("Committees" in r["en_text"] for r in export_records(out))
    preview = client.get("/replace", params={"find": "Committee", "replace": "Commission", "token": ana}).text
    assert f"{len(holding)} sentences would change" in preview
    assert preview.count("<del>") >= len(holding) and "<ins>Commission" in preview
    assert EditStore(out).all() == []  # a preview changes nothing

    first, second = holding[:2]
    _save(client, second, "Changed by ben meanwhile.", second["en_text"])  # after the preview: this one must not change
    form = {"form_key": client.app.state.workspace.form_key, "find": "Committee", "replace": "Commission",
            "record": [r["record_id"] for r in holding]}
    for r in holding:
        form[f"doc:{r['record_id']}"], form[f"expected:{r['record_id']}"] = r["doc_id"], r["en_text"]
    done = client.post("/replace", data=form, headers=SAME_ORIGIN)
    assert done.status_code == 200 and f"{len(holding) - 1} sentences changed" in done.text and "changed since the preview" in done.text
    edits = {e.record_id: e for e in EditStore(out).all() if e.en_after != "Changed by ben meanwhile."}
    assert edits[first["record_id"]].en_after == re.sub(r"\bCommittee\b", "Commission", first["en_text"])
    assert edits[first["record_id"]].reviewer == "ana" and second["record_id"] not in edits
    assert "Revert to this" in client.get(f"/records/{first['record_id']}", params={"doc": first["doc_id"]}).text
    assert len({e.batch for e in edits.values()}) == 1  # one replacement, saved as one

    batch = re.search(r'name="batch" value="(\w+)"', done.text)[1]
    undone = client.post("/replace/revert", data={"form_key": form["form_key"], "batch": batch}, headers=SAME_ORIGIN)
    assert undone.status_code == 200 and f"{len(holding) - 1} sentences have their English from before" in undone.text
    store = EditStore(out)
    assert store.current_english(first) == first["en_text"]  # as before the replacement
    assert store.current_english(second) == "Changed by ben meanwhile."  # never part of it: untouched
    missing = client.post("/replace/revert", data={"form_key": form["form_key"], "batch": "nope"}, headers=SAME_ORIGIN)
    assert missing.status_code == 404


def test_text_only_a_saved_edit_holds_is_found_by_search_and_by_replace(out):
    from reportmt.review.identities import OneReviewer

    client = TestClient(create_app(out, OneReviewer("ana", None), allowed_hosts=["testserver"]), base_url="http://testserver")
    record = next(r for r in export_records(out) if r["src_lang"] == "de")
    assert _save(client, record, "The Quorumsausschuss met twice.", record["en_text"]).status_code == 200
    found = client.get("/", params={"q": "Quorumsausschuss"}).text
    assert "1 sentences match" in found and f'data-record="{record["record_id"]}"' in found
    preview = client.get("/replace", params={"find": "Quorumsausschuss", "replace": "Quorum Committee"}).text
    assert "1 sentences would change" in preview and f'value="{record["record_id"]}"' in preview


def test_a_replacement_of_as_many_sentences_as_the_preview_shows_is_applied(out, tmp_path):
    """500 sentences are three fields each: far over Starlette's default of 1,000 form fields."""
    from reportmt.review.routes.replace import SHOWN

    users = tmp_path / "reviewers.json"
    ana = _add_reviewer(users, "ana")
    client = _team_client(out, users)
    client.get("/", params={"token": ana})
    holding = [r for r in export_records(out) if re.search(r"\bCommittee\b", r["en_text"])]
    form = {"form_key": client.app.state.workspace.form_key, "find": "Committee", "replace": "Commission",
            "record": [r["record_id"] for r in holding] + [f"gone-{n}" for n in range(SHOWN - len(holding))]}
    for record_id in form["record"]:
        form[f"doc:{record_id}"] = next((r["doc_id"] for r in holding if r["record_id"] == record_id), GERMAN)
        form[f"expected:{record_id}"] = next((r["en_text"] for r in holding if r["record_id"] == record_id), "x")
    done = client.post("/replace", data=form, headers=SAME_ORIGIN)
    assert done.status_code == 200 and f"{len(holding)} sentences changed" in done.text
    assert len(EditStore(out).all()) == len(holding)


def test_an_edit_store_from_before_the_new_statuses_is_upgraded_whole(tmp_path):
    legacy = REPO / "tests" / "data" / "legacy-corpus" / "normalized" / "edits.sqlite3"
    shutil.copy(legacy, tmp_path / "edits.sqlite3")
    with closing(sqlite3.connect(tmp_path / "edits.sqlite3")) as db:
        before = db.execute("SELECT * FROM edits ORDER BY edit_id").fetchall()
        assert "needs discussion" not in db.execute("SELECT sql FROM sqlite_master WHERE name = 'edits'").fetchone()[0]
    store = EditStore(tmp_path)
    record = {"record_id": "r1", "doc_id": "d", "src_lang": "de", "src_text": "Satz.", "mt_text": "Sentence.", "en_text": "Sentence."}
    edit = store.save(record, en_after="", status="needs discussion", reviewer="cleo", expected="Sentence.")
    store.close()
    with closing(sqlite3.connect(tmp_path / "edits.sqlite3")) as db:
        columns = ", ".join(name for _, name, *_ in db.execute("PRAGMA table_info(edits)") if name != "batch")
        assert db.execute(f"SELECT {columns} FROM edits WHERE edit_id < ? ORDER BY edit_id", (edit.edit_id,)).fetchall() == before
    assert edit.edit_id == before[-1][0] + 1


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_two_reviewers_in_two_browsers_see_each_other_settle_a_conflict_comment_and_revert(out, tmp_path):
    from playwright.sync_api import sync_playwright

    users = tmp_path / "reviewers.json"
    tokens = {"ana": _add_reviewer(users, "ana"), "ben": _add_reviewer(users, "ben")}
    process, port = serve_review(out, "--users", str(users))
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            pages = {}
            for name in ("ana", "ben"):  # two contexts: two people, two cookie jars
                pages[name] = browser.new_context().new_page()
                pages[name].goto(f"{base}/documents/{GERMAN}?token={tokens[name]}")
            ana, ben = pages["ana"], pages["ben"]
            assert "Reviewing as ana" in ana.inner_text("header") and "Reviewing as ben" in ben.inner_text("header")
            ben.reload()
            assert "Also working on this document: ana" in ben.inner_text(".presence")

            row = ana.evaluate("document.querySelector('tr.row').dataset.record")

            assert type_and_save(ana, row, "Ana's English of the first sentence.").startswith("Saved")
            assert ana.locator(f"#r-{row} .mt-diff ins").count()  # the engine output beside it, the changes marked
            assert type_and_save(ben, row, "Ben's English of the first sentence.").startswith("Not saved")
            conflict = ben.inner_text(f"#r-{row} .conflict")
            assert "Ana's English of the first sentence." in conflict and "Ben's English of the first sentence." in conflict
            assert ben.locator(f"#r-{row} .conflict del").count() and ben.locator(f"#r-{row} .conflict ins").count()
            assert ben.locator(f"#r-{row} .conflict .sides p").count() == 2  # side by side, then their difference
            assert ben.inner_text(f"#r-{row} .english") == "Ana's English of the first sentence."  # the row reads theirs
            ben.click(f"#r-{row} .conflict button:has-text('Keep theirs')")
            assert ben.input_value(f"#r-{row} textarea") == "Ana's English of the first sentence."
            assert type_and_save(ben, row, "Ben's English, second try.").startswith("Saved")  # no new conflict: it expects ana's

            second = ben.evaluate("document.querySelectorAll('tr.row')[1].dataset.record")
            ben.click(f"#r-{second} details.edit summary")
            ben.click(f"#r-{second} button[value='discuss']")
            ben.wait_for_selector(f"#r-{second} .status:has-text('needing discussion')")
            ana.click(f"#r-{second} details.edit summary")  # ana's page was loaded before ben's mark
            ana.click(f"#r-{second} button[value='accept']")
            ana.wait_for_selector(f"#r-{second} .status:has-text('Not saved')")  # not silently overwritten
            ana.click(f"#r-{second} button[value='accept']")  # decided again, knowing: it now expects ben's mark
            ana.wait_for_selector(f"#r-{second} .status:has-text('applied at the next run')")

            ana.goto(f"{base}/records/{row}?doc={GERMAN}")
            assert ana.inner_text(".current") == "Ben's English, second try."
            ana.fill("#comment-body", "Ben, why 'second try'?")
            ana.click("button[value='add']")
            ben.goto(f"{base}/records/{row}?doc={GERMAN}")
            assert "Ben, why 'second try'?" in ben.inner_text("ol.comments")
            ben.click("ol.comments button[value='resolve']")
            assert "resolved by ben" in ben.inner_text("ol.comments")

            ana.reload()
            ana.locator("tr.version", has_text="as the run made it").locator("button:has-text('Revert to this')").click()
            original = ana.inner_text("tr.version >> nth=0 >> td.diff")
            assert ana.inner_text(".current") == original
            versions = ana.inner_text("table.history")
            assert "ana" in versions and "ben" in versions and versions.count("edited") == 2
            assert "reverted to the run's English" in versions  # a revert is named as one

            ana.goto(f"{base}/documents/{GERMAN}")
            ana.keyboard.press("Tab")  # the skip link first: the keys work from there
            assert ana.evaluate("document.activeElement.className") == "skip"
            ana.keyboard.press("j")
            assert "row" in ana.evaluate("document.activeElement.className")
            ana.keyboard.press("n")
            assert "flagged" in ana.evaluate("document.activeElement.className")

            ana.goto(f"{base}/?q=Committee")  # a search result is edited where it is shown
            hit = ana.evaluate("document.querySelector('table.hits tr.row').dataset.record")
            assert type_and_save(ana, hit, "Edited from the search results.").startswith("Saved")
            assert ana.inner_text(f"#r-{hit} .english") == "Edited from the search results."
            browser.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert [(e.reviewer, e.status) for e in read_edits(out)] == [
        ("ana", "edited"), ("ben", "edited"), ("ben", "needs discussion"), ("ana", "accepted"), ("ana", "edited"),
        ("ana", "edited")]  # ana's first acceptance, against a status that had changed, was refused


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_two_reviewers_in_two_browsers_replace_across_the_corpus_follow_a_term_filter_and_keep_their_own(out, tmp_path):
    from playwright.sync_api import sync_playwright

    users = tmp_path / "reviewers.json"
    tokens = {"ana": _add_reviewer(users, "ana"), "ben": _add_reviewer(users, "ben")}
    holding = [r for r in export_records(out) if re.search(r"\bCommittee\b", r["en_text"])]
    process, port = serve_review(out, "--users", str(users))
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            ana, ben = (browser.new_context().new_page() for _ in range(2))
            ana.goto(f"{base}/?token={tokens['ana']}")
            ben.goto(f"{base}/?token={tokens['ben']}")
            assert "token" not in ana.url and "token" not in ben.url  # signed in, the address is clean
            ana.goto(f"{base}/?token={tokens['ben']}")  # a link with another token does not switch reviewers
            assert "ana" in ana.inner_text("header")

            ana.click("header a:has-text('Replace')")
            ana.fill("input[name='find']", "Committee")
            ana.fill("input[name='replace']", "Commission")
            ana.click("button:has-text('Preview')")
            assert f"{len(holding)} sentences would change" in ana.inner_text("h2")
            left_out = ana.locator("table.replace tbody tr").first
            kept = left_out.locator("a").inner_text()
            left_out.locator("input[type='checkbox']").uncheck()
            ana.click("button:has-text('Replace in the chosen sentences')")
            assert f"{len(holding) - 1} sentences changed" in ana.inner_text("main")

            ben.click("header a:has-text('Terms')")
            ben.locator("table.terms a:has-text('concordance')").first.click()
            assert ben.locator("table.concordance tbody tr").count() >= 1 and "sentences hold it" in ben.inner_text("main")
            ben.locator("table.concordance tbody tr a").first.click()
            assert "/documents/" in ben.url

            ben.goto(f"{base}/documents/{GERMAN}")
            flagged = ben.locator("tr.row.flagged").count()
            ben.click("nav.shows a:has-text('flagged')")
            assert "show=flagged" in ben.url and ben.locator("tr.row").count() == flagged

            ana.goto(f"{base}/documents/{GERMAN}")
            ben.goto(f"{base}/documents/{GERMAN}")
            row = ana.evaluate("document.querySelectorAll('tr.row')[2].dataset.record")
            assert type_and_save(ana, row, "Ana's version.").startswith("Saved")
            assert type_and_save(ben, row, "Ben's version.").startswith("Not saved")
            ben.click(f"#r-{row} .conflict button:has-text('Keep mine')")
            ben.wait_for_selector(f"#r-{row} .status:has-text('Saved')")
            assert ben.is_hidden(f"#r-{row} .conflict")

            other = ana.evaluate("document.querySelectorAll('tr.row')[3].dataset.record")
            ana.click(f"#r-{other} details.edit summary")
            ana.click(f"#r-{other} button[value='reject']")
            ana.wait_for_selector(f"#r-{other} .status:has-text('rejected translation')")
            browser.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    edits = read_edits(out)
    replaced = [e for e in edits if "Commission" in e.en_after]
    assert len(replaced) == len(holding) - 1 and {e.reviewer for e in replaced} == {"ana"}
    assert kept.split(" #")[0] in {r["doc_id"] for r in holding}
    assert [(e.reviewer, e.en_after, e.status) for e in edits[-3:]] == [
        ("ana", "Ana's version.", "edited"), ("ben", "Ben's version.", "edited"), ("ana", edits[-1].en_before, "rejected translation")]
