"""The review workspace, assembled: its routes (reportmt.review.routes), the one guard in
front of them (reportmt.review.security) and its state (reportmt.review.workspace).
Everything from the corpus is escaped (Jinja2 autoescape)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .identities import Identities
from .routes import documents, edits, glossary, records, replace, stale
from .security import LOOPBACK_HOSTS, Guard
from .workspace import Workspace

ROUTES = [
    Route("/", documents.documents_page, name="documents"),
    Route("/documents/{doc_id:path}", documents.document_page, name="document"),
    Route("/edition/{doc_id:path}", documents.edition, name="edition"),
    Route("/terms", glossary.terms, name="terms"),
    Route("/concordance", glossary.concordance, name="concordance"),
    Route("/replace", replace.preview, name="replace"),
    Route("/replace", replace.apply, methods=["POST"], name="replace_apply"),
    Route("/replace/revert", replace.revert, methods=["POST"], name="replace_revert"),
    Route("/stale", stale.stale_page, name="stale"),
    Route("/suggestions", glossary.suggestions, name="suggestions"),
    Route("/suggestions", glossary.settle_suggestion, methods=["POST"], name="settle_suggestion"),
    Route("/records/{record_id}", records.record_page, name="record"),
    Route("/records/{record_id}", edits.save, methods=["POST"], name="save"),
    Route("/records/{record_id}/comments", records.comment, methods=["POST"], name="comment"),
    Route("/presence/{doc_id:path}", records.presence, name="presence"),
    Mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static"),
]


def create_app(normalized_dir: Path, identities: Identities, *, glossary: str | None = None,
               allowed_hosts: Iterable[str] = LOOPBACK_HOSTS, on_save: Callable[[Path], None] | None = None) -> Starlette:
    """The workspace of ``normalized_dir``; ``on_save`` is called with it after every save."""
    app = Starlette(routes=ROUTES, middleware=[Middleware(Guard)])
    app.state.workspace = Workspace.open(Path(normalized_dir), identities, glossary=glossary, allowed_hosts=allowed_hosts,
                                          on_save=on_save)
    return app
