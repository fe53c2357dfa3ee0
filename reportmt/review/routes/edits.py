"""Saving a reviewer's English for one record: a post-edit or an acceptance."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ...edits import ACCEPTED, EDITED, EditConflict, EditError
from ...reader import Corpus
from ..security import wants_json
from ..workspace import announce, refuse, workspace_of


async def save(request: Request) -> Response:
    form = await request.form()  # the guard checked its origin and form key
    return await run_in_threadpool(_save, request, {key: str(value) for key, value in form.items()})


def _save(request: Request, form: dict[str, str]) -> Response:
    workspace = workspace_of(request)
    record_id = request.path_params["record_id"]
    doc_id = form.get("doc_id", "")

    def read(corpus: Corpus) -> dict | None:
        try:
            return next((r for r in corpus.records(doc=doc_id) if r["record_id"] == record_id), None)
        except KeyError:  # the document is no longer in the corpus
            return None

    record = workspace.read_snapshot(read)
    if record is None:
        return refuse(request, 409, f"record {record_id} is no longer in the corpus (a run replaced it); nothing was saved")
    try:
        edit = workspace.edits.save(record, en_after=form.get("en_text", ""),
                                    status=ACCEPTED if form.get("action") == "accept" else EDITED,
                                    reviewer=workspace.reviewer, expected=form.get("expected", ""))
    except EditConflict as conflict:
        return refuse(request, 409, str(conflict), current=conflict.current, submitted=form.get("en_text", ""))
    except EditError as refused:
        return refuse(request, 422, str(refused))
    announce(workspace.normalized_dir, edit.record_id)
    if wants_json(request):
        return JSONResponse({"edit_id": edit.edit_id, "en_text": edit.en_after, "status": edit.status,
                             "en_html": str(workspace.highlight(edit.en_after, "en"))})
    return RedirectResponse(request.app.url_path_for("document", doc_id=quote(doc_id)) + f"#r-{record_id}", status_code=303)
