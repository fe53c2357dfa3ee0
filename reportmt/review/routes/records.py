"""One sentence in full: its history (the engine output, every edit, who and when, each
against the version before), revert to any version, and its comments."""

from __future__ import annotations

from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ...edits import EDITED, EditError
from ..diff import changes_from_engine, word_diff
from ..security import wants_json
from ..workspace import form_endpoint, refuse, refuse_gone, render, workspace_of


def record_page(request: Request) -> Response:
    workspace = workspace_of(request)
    record_id, doc_id = request.path_params["record_id"], request.query_params.get("doc", "")
    record = workspace.find_record(doc_id, record_id)
    if record is None:
        return render(request, "message.html", 404, title="No such sentence",
                      message=f"sentence {record_id} of {doc_id} is not in the corpus (a run may have replaced it).")
    workspace.presence.seen(doc_id, request.state.reviewer)
    history = workspace.edits.history(record_id)
    current = workspace.edits.current_english(record)
    versions = []
    text = history[0].en_before if history else record["en_text"]
    versions.append({"label": "as the run made it", "text": text, "diff": None, "edit": None})
    for edit in history:
        versions.append({"label": _label(edit, versions), "text": edit.en_after, "diff": word_diff(text, edit.en_after),
                         "edit": edit})
        text = edit.en_after
    return render(request, "record.html", record=record, doc_id=doc_id, current=current, versions=versions,
                  mt_diff=changes_from_engine(record["mt_text"], current),
                  comments=workspace.comments.of_record(record_id),
                  src_html=workspace.highlight(record["src_text"], record["src_lang"]))


def _label(edit, versions: list[dict]) -> str:
    """An edit back to the English of an earlier version (not the one just before) is named
    as the revert it is, with whose version it brings back."""
    if edit.status != EDITED or versions[-1]["text"] == edit.en_after:
        return edit.status
    earlier = [version for version in versions[:-1] if version["text"] == edit.en_after]
    if not earlier:
        return edit.status
    back_to = earlier[-1]["edit"]
    return f"reverted to {back_to.reviewer}'s version" if back_to else "reverted to the run's English"


def _comment(request: Request, form: FormData) -> Response:
    """Add a comment (action "add", ``body``) or resolve one (action "resolve", ``comment_id``)."""
    workspace = workspace_of(request)
    record_id, doc_id = request.path_params["record_id"], form.get("doc_id", "")
    record = workspace.find_record(doc_id, record_id)
    if record is None:
        return refuse_gone(request, record_id)
    try:
        if form.get("action") == "resolve":
            named = form.get("comment_id", "")
            workspace.comments.resolve(int(named) if named.isdigit() else 0, request.state.reviewer)
        else:
            workspace.comments.add(record, form.get("body", ""), request.state.reviewer)
    except EditError as refused:
        return refuse(request, 422, str(refused))
    workspace.presence.seen(doc_id, request.state.reviewer)
    if wants_json(request):
        return JSONResponse({"comments": [c.__dict__ | {"is_open": c.is_open} for c in workspace.comments.of_record(record_id)]})
    return RedirectResponse(request.app.url_path_for("record", record_id=quote(record_id)) + f"?doc={quote(doc_id)}",
                            status_code=303)


comment = form_endpoint(_comment)


def presence(request: Request) -> Response:
    """Who else has this document open; asking counts as being there (the page asks now and then)."""
    workspace, doc_id = workspace_of(request), request.path_params["doc_id"]
    workspace.presence.seen(doc_id, request.state.reviewer)
    return JSONResponse({"others": workspace.presence.others(doc_id, request.state.reviewer)})
