"""The review workspace's state and what its pages share: reading the snapshot in force,
rendering a template, marking glossary terms."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.templating import Jinja2Templates

from .. import search_index
from ..comments import CommentStore
from ..edits import EditStore
from ..errors import DocumentNotFound
from ..furniture import link_target
from ..glossary import Normalizer, load_glossary
from ..glossary.entries import default_glossary_path
from ..reader import Corpus
from ..store import CorpusError
from .background import OneAtATime
from .figures import FiguresFollower
from .identities import Identities
from .presence import Presence
from .security import LOOPBACK_HOSTS, MAX_FORM_FIELDS, wants_json

SNAPSHOT_RETRIES = 5  # a page read while runs commit snapshots one after another
T = TypeVar("T")


@dataclass
class Workspace:
    normalized_dir: Path
    identities: Identities  # who a request comes from (the guard asks)
    normalizer: Normalizer
    edits: EditStore
    comments: CommentStore
    glossary_path: Path  # where an accepted suggestion is merged
    allowed_hosts: frozenset[str]  # host names a request's Host header may name; security.ANY_HOST: all
    index_follower: OneAtATime
    # told of every save: `reportmt review` tells Prefect there (flows.announce), so that a
    # served corpus catches up; the workspace itself knows nothing of Prefect
    on_save: Callable[[Path], None] | None = None
    form_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))  # in every form: a POST comes from a page of this server
    figures: FiguresFollower = field(init=False)  # term statistics and suggestions, per snapshot, off the request path
    accepted: set[str] = field(default_factory=set)  # suggestions accepted since the figures were computed
    presence: Presence = field(default_factory=Presence)  # who has which document open

    def __post_init__(self) -> None:
        self.figures = FiguresFollower(self.normalized_dir, lambda: self.normalizer)
        self.figures.nudge()  # the first figures are under way before the first page asks

    @classmethod
    def open(cls, normalized_dir: Path, identities: Identities, *, glossary: str | None = None,
             allowed_hosts: Iterable[str] = LOOPBACK_HOSTS, on_save: Callable[[Path], None] | None = None) -> Workspace:
        return cls(normalized_dir, identities, Normalizer(load_glossary(glossary)), EditStore(normalized_dir),
                   CommentStore(normalized_dir),
                   Path(glossary) if glossary else default_glossary_path(),
                   frozenset(host.strip("[]").lower() for host in allowed_hosts), _index_follower(normalized_dir),
                   on_save)

    def saved(self) -> None:
        """A reviewer's save (or a replacement) is in the edit store."""
        if self.on_save is not None:
            self.on_save(self.normalized_dir)

    def read_snapshot(self, read: Callable[[Corpus], T]) -> T:
        """``read(corpus)`` on the snapshot in force; again on the next one when the one it
        read was collected meanwhile (past its retention window)."""
        for _ in range(SNAPSHOT_RETRIES):
            corpus = Corpus(self.normalized_dir)
            try:
                return read(corpus)
            except CorpusError:
                if Corpus(self.normalized_dir).snapshot.name == corpus.snapshot.name:
                    raise
        return read(Corpus(self.normalized_dir))

    def find_record(self, doc_id: str, record_id: str) -> dict | None:
        """A record of the snapshot in force; None when a run replaced or removed it."""
        return self.find_records({record_id: doc_id}).get(record_id)

    def find_records(self, doc_of: dict[str, str]) -> dict[str, dict]:
        """These records (record_id -> its doc_id) of the snapshot in force, by record_id, each
        document read once; those a run replaced or removed are not there."""
        by_document = defaultdict(set)
        for record_id, doc_id in doc_of.items():
            if doc_id:  # no document named: none to read (an empty one would read them all)
                by_document[doc_id].add(record_id)

        def read(corpus: Corpus) -> dict[str, dict]:
            found = {}
            for doc_id, wanted in by_document.items():
                try:
                    found.update((r["record_id"], r) for r in corpus.records(doc=doc_id) if r["record_id"] in wanted)
                except DocumentNotFound:  # the document is no longer in the corpus
                    continue
            return found

        return self.read_snapshot(read)

    def pending_by_doc(self, corpus: Corpus) -> dict[str, int]:
        """Edits saved after the snapshot was made, per document."""
        return self.edits.records_edited_after(corpus.snapshot.info.applied_through)

    def highlight(self, text: str, lang: str) -> Markup:
        """``text`` escaped, with every glossary term marked."""
        parts, position = [], 0
        for match in self.normalizer.find_terms(text, lang):
            parts += [escape(text[position:match.start]),
                      Markup('<mark class="term" title="{}">{}</mark>').format(match.canonical, text[match.start:match.end])]
            position = match.end
        parts.append(escape(text[position:]))
        return Markup("").join(parts)


def form_endpoint(work: Callable[[Request, FormData], Response]) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint for a change: it reads the form (the guard checked its origin and form
    key), then ``work(request, form)`` runs in the thread pool, never on the event loop."""
    async def endpoint(request: Request) -> Response:
        form = await request.form(max_fields=MAX_FORM_FIELDS)  # the guard has read it with this limit already
        text = FormData([(key, value if isinstance(value, str) else "") for key, value in form.multi_items()])  # no uploads
        return await run_in_threadpool(work, request, text)

    return endpoint


def workspace_of(request: Request) -> Workspace:
    return request.app.state.workspace


def _page_context(request: Request) -> dict:
    workspace = workspace_of(request)

    def path_for(name: str, **params: str) -> str:
        """A route's path, its parameters quoted (a doc_id may hold spaces, # or ?)."""
        return request.app.url_path_for(name, **{key: quote(str(value)) for key, value in params.items()})

    return {"form_key": workspace.form_key, "reviewer": request.state.reviewer, "path_for": path_for}


templates = Jinja2Templates(env=Environment(loader=PackageLoader("reportmt.review", "templates"),
                                            autoescape=select_autoescape(["html"])),
                            context_processors=[_page_context])
templates.env.globals.update(link_target=link_target)


def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def refuse_gone(request: Request, record_id: str) -> Response:
    return refuse(request, 409, f"record {record_id} is no longer in the corpus (a run replaced it); nothing was saved")


def refuse(request: Request, status: int, message: str, **texts) -> Response:
    """A change not made: JSON for the page's script, else a page saying why."""
    if wants_json(request):
        return JSONResponse({"error": message, **texts}, status_code=status)
    return render(request, "message.html", status, title="Not saved", message=message, **texts)


def snippet(text: str) -> Markup:
    return Markup(str(escape(text)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


def page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _index_follower(out_dir: Path) -> OneAtATime:
    """Brings the search index to the snapshot in force in a background thread, so that no page waits for it."""
    return OneAtATime("review-index", lambda: search_index.update(Corpus(out_dir)), "The search index was not updated")


def page_count(total: int) -> int:
    return max(1, -(-total // search_index.PAGE_SIZE))


