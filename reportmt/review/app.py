"""The review workspace's pages and its one state-changing request (saving an edit).

Safety: GET never changes anything. Every request must name an allowed host in its Host
header (on loopback: 127.0.0.1, localhost and [::1]), so a site that points its own name
at 127.0.0.1 (DNS rebinding) gets nothing. Every POST must come from the workspace's own
pages: its Origin or Referer names this server, and it carries the form key of this server's
pages. Bound to an address other than loopback, every request needs the access token (from
the printed URL, then a cookie), as Jupyter does. Secrets are compared as bytes, in
constant time. Everything from the corpus is escaped (Jinja2 autoescape).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from contextlib import closing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..edits import ACCEPTED, EDITED, EditConflict, EditError, EditStore
from ..editions import edition_text, test_output_warning
from ..furniture import link_target
from ..glossary import Normalizer, load_glossary
from ..glossary.entries import GlossaryError, default_glossary_path
from ..glossary.interchange import merge_into_file
from ..glossary.suggest import as_glossary_entries, read_rejections, reject, suggest
from ..reader import Corpus
from ..store import CorpusError
from ..qa.flags import TERM_MISSING, evidence, family
from . import index

TOKEN_COOKIE = "reportmt_token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
ANY_HOST = "*"
OUT_OF_DATE = ("the workspace was restarted, or this page is not from it: reload the page "
               "(copy your text first: it is kept in the box below)")
SUGGESTIONS_SHOWN = 100
SNAPSHOT_RETRIES = 5  # a page read while runs commit snapshots one after another


@dataclass
class Workspace:
    normalized_dir: Path
    reviewer: str
    token: str | None  # None on loopback
    form_key: str  # in every form and fetch: proves a POST comes from a page of this server
    normalizer: Normalizer
    edits: EditStore
    glossary_path: Path  # where an accepted suggestion is merged
    suggestions: dict  # (snapshot, glossary version) -> the suggestions for it
    allowed_hosts: frozenset[str]  # host names a request's Host header may name; ANY_HOST: all
    index_follower: index.Follower


def create_app(normalized_dir: Path, *, reviewer: str, token: str | None, glossary: str | None = None,
               allowed_hosts: Iterable[str] = LOOPBACK_HOSTS) -> Starlette:
    workspace = Workspace(Path(normalized_dir), reviewer, token, secrets.token_urlsafe(24), Normalizer(load_glossary(glossary)),
                          EditStore(Path(normalized_dir)), Path(glossary) if glossary else default_glossary_path(), {},
                          frozenset(host.strip("[]").lower() for host in allowed_hosts), index.Follower(Path(normalized_dir)))
    templates = Environment(loader=PackageLoader("reportmt.review", "templates"), autoescape=select_autoescape(["html"]))
    templates.globals.update(form_key=workspace.form_key, reviewer=reviewer, quote=quote, link_target=link_target)

    def render(name: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(**context), status_code=status)

    def open_corpus() -> Corpus:
        return Corpus(workspace.normalized_dir)  # the snapshot in force now: a new snapshot is followed

    def read_snapshot(read):
        """``read(corpus)`` on the snapshot in force; again on the next one when a run
        committed a new snapshot (and removed this one) while it was being read."""
        for _ in range(SNAPSHOT_RETRIES):
            corpus = open_corpus()
            try:
                return read(corpus)
            except CorpusError:
                if open_corpus().snapshot.name == corpus.snapshot.name:
                    raise
        return read(open_corpus())

    async def documents(request: Request) -> Response:
        corpus, db = read_snapshot(lambda corpus: (corpus, index.open_index(corpus)))
        if index.indexed_snapshot(workspace.normalized_dir) != corpus.snapshot.name:
            workspace.index_follower.nudge()  # this page shows the index as it is; a later one the new snapshot
        with closing(db):
            params = request.query_params
            page = _page(params.get("page"))
            filters = {key: params.get(key, "") for key in ("language", "flag", "term", "status")}
            rows, total = index.find_documents(db, page=page, **filters)
            query = params.get("q", "").strip()
            hits, hit_total = index.search(db, query, page) if query else ([], 0)
            facets = index.facets(db)
        pending = _pending_by_doc(workspace.edits, corpus)
        return render("documents.html", rows=rows, total=total, page=page, pages=_pages(max(total, hit_total)),
                      filters=filters, facets=facets, query=query, hits=hits, hit_total=hit_total,
                      pending=pending, snippet=_snippet, count_limit=index.COUNT_LIMIT, snapshot=corpus.snapshot.name,
                      indexed=index.indexed_snapshot(workspace.normalized_dir))

    async def document(request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        latest = workspace.edits.latest()

        def read(corpus: Corpus) -> tuple[dict, list[dict]] | None:
            try:
                metadata = corpus.metadata(doc_id)
            except KeyError:
                return None
            rows = []
            for record in corpus.records(doc=doc_id):
                edit = latest.get(record["record_id"])
                state = ""
                if edit is not None and not edit.made_against(record):
                    state = "stale"
                elif edit is not None and (record["review"] or {}).get("edit_id") != edit.edit_id:
                    state = "pending"
                shown = edit.en_after if state == "pending" else record["en_text"]
                rows.append({"record": record, "edit": edit, "state": state, "english": shown,
                             "src_html": _highlight(workspace.normalizer, record["src_text"], record["src_lang"]),
                             "en_html": _highlight(workspace.normalizer, shown, "en")})
            return metadata, rows

        found = read_snapshot(read)
        if found is None:
            return render("message.html", 404, title="No such document", message=f"{doc_id} is not in the corpus.")
        metadata, rows = found
        return render("document.html", doc_id=doc_id, metadata=metadata, rows=rows,
                      warning=test_output_warning(row["record"] for row in rows))

    async def terms(request: Request) -> Response:
        def read(corpus: Corpus) -> list[dict]:
            entries = {e.id: {"entry": e, "occurrences": 0, "replaced": {}, "missing": []}
                       for e in workspace.normalizer.glossary.entries}
            for record in corpus.records():
                english = record["en_text"] if record["review"] else (record["mt_text"] or record["src_text"])
                for match in workspace.normalizer.normalize(english).matches:
                    stats = entries[match.entry_id]
                    stats["occurrences"] += 1
                    if match.matched != match.canonical:
                        stats["replaced"][match.matched] = stats["replaced"].get(match.matched, 0) + 1
                for flag in record["qa"]:
                    if family(flag) == TERM_MISSING and evidence(flag) in entries:
                        entries[evidence(flag)]["missing"].append(record)
            return list(entries.values())

        return render("terms.html", entries=read_snapshot(read))

    async def edition(request: Request) -> Response:
        doc_id = request.path_params["doc_id"]

        def read(corpus: Corpus) -> str | None:
            try:
                metadata = corpus.metadata(doc_id)
            except KeyError:
                return None
            return edition_text(doc_id, list(corpus.records(doc=doc_id)), metadata, "markdown")

        text = read_snapshot(read)
        if text is None:
            return PlainTextResponse(f"{doc_id} is not in the corpus", 404)
        return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")

    async def save(request: Request) -> Response:
        form = await request.form()
        form_key = request.headers.get("x-reportmt-form-key") or str(form.get("form_key", ""))
        wants_json = _wants_json(request)
        if not same_secret(form_key, workspace.form_key):
            return _forbidden(request, OUT_OF_DATE)
        record_id = request.path_params["record_id"]
        doc_id = str(form.get("doc_id", ""))
        action = str(form.get("action", "save"))
        def read(corpus: Corpus) -> dict | None:
            if doc_id not in {d["doc_id"] for d in corpus.documents}:
                return None
            return next((r for r in corpus.records(doc=doc_id) if r["record_id"] == record_id), None)

        record = read_snapshot(read)
        if record is None:
            return _refuse(wants_json, 409, f"record {record_id} is no longer in the corpus (a run replaced it); nothing was saved",
                           render)
        try:
            edit = workspace.edits.save(record, en_after=str(form.get("en_text", "")), status=ACCEPTED if action == "accept" else EDITED,
                                        reviewer=workspace.reviewer, expected=str(form.get("expected", "")))
        except EditConflict as conflict:
            return _refuse(wants_json, 409, str(conflict), render, current=conflict.current, submitted=str(form.get("en_text", "")))
        except EditError as refused:
            return _refuse(wants_json, 422, str(refused), render)
        _announce(workspace.normalized_dir, edit.record_id)
        if wants_json:
            return JSONResponse({"edit_id": edit.edit_id, "en_text": edit.en_after, "status": edit.status,
                                 "en_html": str(_highlight(workspace.normalizer, edit.en_after, "en"))})
        return RedirectResponse(f"/documents/{quote(doc_id)}#r-{record_id}", status_code=303)

    def current_suggestions() -> list:
        corpus = open_corpus()
        key = (corpus.snapshot.name, workspace.normalizer.glossary.version)
        if key not in workspace.suggestions:
            workspace.suggestions = {key: read_snapshot(lambda c: suggest(c.records(), workspace.normalizer.glossary))}
        rejected = read_rejections(workspace.normalized_dir)
        return [s for s in workspace.suggestions[key] if s.key not in rejected]

    async def suggestions(request: Request) -> Response:
        return render("suggestions.html", suggestions=current_suggestions()[:SUGGESTIONS_SHOWN],
                      glossary_path=workspace.glossary_path, message=request.query_params.get("done", ""))

    async def settle_suggestion(request: Request) -> Response:
        """Accept (merge into the glossary file) or reject (never propose again) one suggestion."""
        form = await request.form()
        if not same_secret(str(form.get("form_key", "")), workspace.form_key):
            return _forbidden(request, OUT_OF_DATE)
        found = next((s for s in current_suggestions() if s.key == form.get("key")), None)
        if found is None:
            return render("message.html", 409, title="Not found", message="That suggestion is no longer proposed; reload the page.")
        if form.get("action") == "accept":
            try:
                merge_into_file(workspace.glossary_path, [entry for _, entry in as_glossary_entries([found], workspace.normalizer.glossary)])
                workspace.normalizer = Normalizer(load_glossary(workspace.glossary_path))
            except GlossaryError as refused:
                return render("message.html", 422, title="Not added", message=str(refused))
            done = f"Added “{found.text}” to {workspace.glossary_path.name}; the next run re-normalizes the corpus."
        else:
            reject(workspace.normalized_dir, found.key)
            done = f"Rejected “{found.text}”: it will not be proposed again."
        return RedirectResponse(f"/suggestions?done={quote(done)}", status_code=303)

    static = StaticFiles(directory=str(Path(__file__).parent / "static"))
    routes = [
        Route("/", documents),
        Route("/documents/{doc_id:path}", document),
        Route("/edition/{doc_id:path}", edition),
        Route("/terms", terms),
        Route("/suggestions", suggestions),
        Route("/suggestions", settle_suggestion, methods=["POST"]),
        Route("/records/{record_id}", save, methods=["POST"]),
        Mount("/static", static, name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(_Guard, workspace=workspace)])
    app.state.workspace = workspace
    return app


class _Guard(BaseHTTPMiddleware):
    def __init__(self, app, workspace: Workspace):
        super().__init__(app)
        self.workspace = workspace

    async def dispatch(self, request: Request, call_next) -> Response:
        allowed = self.workspace.allowed_hosts
        host = _host_name(request.headers.get("host", ""))
        if ANY_HOST not in allowed and host not in allowed:
            return _forbidden(request, f"this workspace does not answer to the host name {host!r}; "
                                       "open the URL `reportmt review` printed (or start it with --allow-host)")
        token = self.workspace.token
        supplied = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or request.headers.get("x-reportmt-token")
        if token and not (supplied and same_secret(supplied, token)):
            return _forbidden(request, "this workspace needs its access token: open the URL `reportmt review` printed")
        if request.method not in ("GET", "HEAD") and not _same_origin(request):
            return _forbidden(request, "a change must come from a page of this workspace (cross-site request refused)")
        response = await call_next(request)
        if token and request.query_params.get("token"):
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _forbidden(request: Request, message: str) -> Response:
    """A 403 the reviewer reads: JSON for the page's script (which shows it beside the
    text being saved), plain text otherwise."""
    if _wants_json(request):
        return JSONResponse({"error": message, "reload": True}, status_code=403)
    return PlainTextResponse(f"403: {message}", 403)


def same_secret(supplied: str, expected: str) -> bool:
    """Constant-time comparison of a token or form key, as bytes (any text a client sends)."""
    return hmac.compare_digest(supplied.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


def _host_name(host_header: str) -> str:
    """The name in a Host header, without its port: "[::1]:8765" -> "::1"."""
    try:
        return urlsplit(f"//{host_header}").hostname or ""
    except ValueError:
        return ""


def _same_origin(request: Request) -> bool:
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return False
    return urlsplit(source).netloc == request.headers.get("host")


def _refuse(wants_json: bool, status: int, message: str, render, **texts) -> Response:
    if wants_json:
        return JSONResponse({"error": message, **texts}, status_code=status)
    return render("message.html", status, title="Not saved", message=message, **texts)


def _announce(normalized_dir: Path, record_id: str) -> None:
    """Tell Prefect, when it listens, that the corpus has a new edit: a served corpus's
    triggered deployment then runs and applies it."""
    if not os.environ.get("PREFECT_API_URL"):
        return
    from prefect.events import emit_event

    from ..flows.names import REVIEW_SAVED_EVENT, normalized_resource_id

    emit_event(event=REVIEW_SAVED_EVENT, resource={"prefect.resource.id": normalized_resource_id(normalized_dir)},
               payload={"record_id": record_id})


def _pending_by_doc(edits: EditStore, corpus: Corpus) -> dict[str, int]:
    """Edits saved after the snapshot was made, per document."""
    applied = (corpus.snapshot.info.get("edits") or {}).get("applied_through", 0)
    pending: dict[str, int] = {}
    for edit in edits.latest().values():
        if edit.edit_id > applied:
            pending[edit.doc_id] = pending.get(edit.doc_id, 0) + 1
    return pending


def _highlight(normalizer: Normalizer, text: str, lang: str) -> Markup:
    """``text`` escaped, with every glossary term marked."""
    parts, position = [], 0
    for match in normalizer.find_terms(text, lang):
        parts += [escape(text[position:match.start]),
                  Markup('<mark class="term" title="{}">{}</mark>').format(match.canonical, text[match.start:match.end])]
        position = match.end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def _snippet(text: str) -> Markup:
    return Markup(str(escape(text)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


def _page(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _pages(total: int) -> int:
    return max(1, -(-total // index.PAGE_SIZE))


def is_loopback(host: str) -> bool:
    """Only this machine can connect (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

