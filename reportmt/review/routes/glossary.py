"""The glossary as the corpus uses it: term statistics, and suggestions to accept or reject,
both read from the figures computed per snapshot (reportmt.review.figures)."""

from __future__ import annotations

from contextlib import closing
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ... import search_index
from ...glossary import Normalizer, load_glossary
from ...glossary.entries import GlossaryError
from ...glossary.interchange import merge_into_file
from ...glossary.suggest import as_glossary_entries, read_rejections, reject
from ...reader import Corpus
from ..figures import GlossaryFigures
from ..workspace import Workspace, form_endpoint, page_count, page_number, render, workspace_of

SUGGESTIONS_SHOWN = 100


def terms(request: Request) -> Response:
    figures, note = _figures(workspace_of(request))
    if figures is None:
        return _coming(request)
    return render(request, "terms.html", entries=figures.terms, note=note)


def concordance(request: Request) -> Response:
    """A term's sentences across the corpus, and how each was rendered."""
    workspace = workspace_of(request)
    term, page = request.query_params.get("term", ""), page_number(request.query_params.get("page"))
    db = workspace.read_snapshot(search_index.open_index)
    with closing(db):
        occurrences, total = search_index.concordance(db, term, page)
    rows = [{"occurrence": o, "src_html": workspace.highlight(o.src_text, o.src_lang), "en_html": workspace.highlight(o.en_text, "en")}
            for o in occurrences]
    return render(request, "concordance.html", term=term, rows=rows, total=total, page=page, pages=page_count(total),
                  count_limit=search_index.COUNT_LIMIT)


def suggestions(request: Request) -> Response:
    workspace = workspace_of(request)
    figures, note = _figures(workspace)
    if figures is None:
        return _coming(request)
    return render(request, "suggestions.html", suggestions=_open_suggestions(workspace, figures)[:SUGGESTIONS_SHOWN],
                  glossary_path=workspace.glossary_path, message=request.query_params.get("done", ""), note=note)


def _settle(request: Request, form: FormData) -> Response:
    """Accept (merge into the glossary file) or reject (never propose again) one suggestion."""
    key, action = form.get("key", ""), form.get("action", "")
    workspace = workspace_of(request)
    figures = workspace.figures.latest
    found = next((s for s in _open_suggestions(workspace, figures) if s.key == key), None) if figures else None
    if found is None:
        return render(request, "message.html", 409, title="Not found", message="That suggestion is no longer proposed; reload the page.")
    if action == "accept":
        try:
            merge_into_file(workspace.glossary_path, [entry for _, entry in as_glossary_entries([found], workspace.normalizer.glossary)])
            workspace.normalizer = Normalizer(load_glossary(workspace.glossary_path))
        except GlossaryError as refused:
            return render(request, "message.html", 422, title="Not added", message=str(refused))
        workspace.accepted.add(found.key)
        done = f"Added “{found.text}” to {workspace.glossary_path.name}; the next run re-normalizes the corpus."
    else:
        reject(workspace.normalized_dir, found.key)
        done = f"Rejected “{found.text}”: it will not be proposed again."
    return RedirectResponse(request.app.url_path_for("suggestions") + f"?done={quote(done)}", status_code=303)


settle_suggestion = form_endpoint(_settle)


def _figures(workspace: Workspace) -> tuple[GlossaryFigures | None, str]:
    """The figures last computed, and a note when they are not of the snapshot and glossary in force."""
    corpus = Corpus(workspace.normalized_dir)
    figures = workspace.figures.current(corpus)
    if figures is None or (figures.snapshot, figures.glossary_version) == (corpus.snapshot.name, workspace.normalizer.glossary.version):
        return figures, ""
    return figures, (f"These figures are of snapshot {figures.snapshot} and the glossary as it was then; those of "
                     f"snapshot {corpus.snapshot.name} are being computed: reload in a moment.")


def _open_suggestions(workspace: Workspace, figures: GlossaryFigures) -> list:
    """Suggestions neither rejected (for good) nor accepted since the figures were computed."""
    settled = read_rejections(workspace.normalized_dir) | workspace.accepted
    return [s for s in figures.suggestions if s.key not in settled]


def _coming(request: Request) -> Response:
    return render(request, "message.html", title="Being computed",
                  message="The corpus's term statistics and suggestions are being computed; reload this page in a moment.")
