"""Saving a reviewer's English for one record: a post-edit, an acceptance, a mark (needs
discussion, rejected translation) or a revert to an earlier version (an edit like any)."""

from __future__ import annotations

from urllib.parse import quote

from rapidfuzz import fuzz
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ...edits import ACCEPTED, EDITED, NEEDS_DISCUSSION, REJECTED, EditConflict, EditError
from ..diff import changes_from_engine, word_diff
from ..security import MAX_EDIT_CHARS, wants_json
from ..workspace import form_endpoint, refuse, refuse_gone, workspace_of

ALIKE = 50  # rapidfuzz ratio below which two texts are unrelated
ACTIONS = {"save": EDITED, "revert": EDITED, "accept": ACCEPTED, "discuss": NEEDS_DISCUSSION, "reject": REJECTED}


def _save(request: Request, form: FormData) -> Response:
    workspace = workspace_of(request)
    record_id, doc_id = request.path_params["record_id"], form.get("doc_id", "")
    status = ACTIONS.get(form.get("action", "save"))
    if status is None:
        return refuse(request, 422, f"unknown action {form.get('action')!r}: use one of {', '.join(ACTIONS)}")
    record = workspace.find_record(doc_id, record_id)
    if record is None:
        return refuse_gone(request, record_id)
    submitted = form.get("en_text", "")
    if len(submitted) > MAX_EDIT_CHARS:
        return refuse(request, 413, f"the English is {len(submitted):,} characters; a sentence may have at most "
                                    f"{MAX_EDIT_CHARS:,}: split the text or shorten it")
    try:
        edit = workspace.edits.save(record, en_after=submitted, status=status, reviewer=request.state.reviewer,
                                    expected=form.get("expected", ""), expected_status=form.get("expected_status"))
    except EditConflict as conflict:
        return refuse(request, 409, str(conflict), current=conflict.current, submitted=submitted,
                      status_now=workspace.edits.current_status(record),
                      diff_html=str(word_diff(conflict.current, submitted))
                      if _alike(conflict.current, submitted) else "")
    except EditError as refused:
        return refuse(request, 422, str(refused))
    workspace.presence.seen(doc_id, request.state.reviewer)
    workspace.saved()
    if wants_json(request):
        return JSONResponse({"edit_id": edit.edit_id, "en_text": edit.en_after, "status": edit.status,
                             "reviewer": edit.reviewer, "en_html": str(workspace.highlight(edit.en_after, "en")),
                             "mt_diff_html": str(changes_from_engine(record["mt_text"], edit.en_after) or "")})
    if form.get("return_to") == "stale":
        target = request.app.url_path_for("stale") + f"?doc={quote(doc_id)}"
    elif form.get("return_to") == "record":
        target = request.app.url_path_for("record", record_id=quote(record_id)) + f"?doc={quote(doc_id)}"
    else:
        target = request.app.url_path_for("document", doc_id=quote(doc_id)) + f"#r-{record_id}"
    return RedirectResponse(target, status_code=303)


def _alike(theirs: str, yours: str) -> bool:
    """Two texts worth a word-by-word difference; unrelated ones are only shown side by side."""
    return fuzz.ratio(theirs, yours) >= ALIKE


save = form_endpoint(_save)
