"""The glossary as the corpus uses it: term statistics, and suggestions to accept or reject."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ...glossary import Normalizer, load_glossary
from ...glossary.entries import GlossaryError
from ...glossary.interchange import merge_into_file
from ...glossary.suggest import as_glossary_entries, read_rejections, reject, suggest
from ...qa.flags import TERM_MISSING, evidence, family
from ...reader import Corpus
from ..workspace import Workspace, render, workspace_of

SUGGESTIONS_SHOWN = 100


def terms(request: Request) -> Response:
    workspace = workspace_of(request)

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

    return render(request, "terms.html", entries=workspace.read_snapshot(read))


def suggestions(request: Request) -> Response:
    workspace = workspace_of(request)
    return render(request, "suggestions.html", suggestions=_current_suggestions(workspace)[:SUGGESTIONS_SHOWN],
                  glossary_path=workspace.glossary_path, message=request.query_params.get("done", ""))


async def settle_suggestion(request: Request) -> Response:
    """Accept (merge into the glossary file) or reject (never propose again) one suggestion."""
    form = await request.form()  # the guard checked its origin and form key
    return await run_in_threadpool(_settle, request, str(form.get("key", "")), str(form.get("action", "")))


def _settle(request: Request, key: str, action: str) -> Response:
    workspace = workspace_of(request)
    found = next((s for s in _current_suggestions(workspace) if s.key == key), None)
    if found is None:
        return render(request, "message.html", 409, title="Not found", message="That suggestion is no longer proposed; reload the page.")
    if action == "accept":
        try:
            merge_into_file(workspace.glossary_path, [entry for _, entry in as_glossary_entries([found], workspace.normalizer.glossary)])
            workspace.normalizer = Normalizer(load_glossary(workspace.glossary_path))
        except GlossaryError as refused:
            return render(request, "message.html", 422, title="Not added", message=str(refused))
        done = f"Added “{found.text}” to {workspace.glossary_path.name}; the next run re-normalizes the corpus."
    else:
        reject(workspace.normalized_dir, found.key)
        done = f"Rejected “{found.text}”: it will not be proposed again."
    return RedirectResponse(request.app.url_path_for("suggestions") + f"?done={quote(done)}", status_code=303)


def _current_suggestions(workspace: Workspace) -> list:
    corpus = Corpus(workspace.normalized_dir)
    key = (corpus.snapshot.name, workspace.normalizer.glossary.version)
    if key not in workspace.suggestions:
        workspace.suggestions = {key: workspace.read_snapshot(lambda c: suggest(c.records(), workspace.normalizer.glossary))}
    rejected = read_rejections(workspace.normalized_dir)
    return [s for s in workspace.suggestions[key] if s.key not in rejected]
