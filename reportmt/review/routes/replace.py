"""Search and replace across the English of the corpus: a preview of every sentence it
would change, then one edit per chosen sentence, attributed and revertible like any other.
The text to find is matched as reportmt.replacement says (whole words, as written, by
default), in each sentence's English as the reviewers see it now, saved edits included."""

from __future__ import annotations

from contextlib import closing

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from ... import search_index
from ...edits import EDITED, EditConflict, EditError
from ...replacement import Replacement
from ..diff import word_diff
from ..workspace import form_endpoint, refuse, render, workspace_of

CANDIDATES = 2000  # records the search index offers a replacement
SHOWN = 500  # sentences one preview shows, and one replacement changes


def _replacement(fields) -> Replacement:
    """From the preview's query or the apply form: the same fields, the same meaning."""
    return Replacement(fields.get("find", ""), fields.get("replace", ""), whole_words=fields.get("parts") != "1",
                       ignore_case=fields.get("ignore_case") == "1")


def preview(request: Request) -> Response:
    asked = _replacement(request.query_params)
    changes, more = _changes(workspace_of(request), asked) if asked.find.strip() else ([], False)
    return render(request, "replace.html", find=asked.find, replacement=asked.replacement, asked=asked, changes=changes,
                  more=more, shown=SHOWN)


def _apply(request: Request, form: FormData) -> Response:
    """One edit per chosen sentence: its English as the preview showed it, with the text
    replaced; a sentence changed since the preview is left as it is, and said."""
    workspace = workspace_of(request)
    asked = _replacement(form)
    if not asked.find.strip():
        return refuse(request, 422, "nothing to find: write the text to replace")
    chosen = form.getlist("record")[:SHOWN]
    records = workspace.find_records({record_id: form.get(f"doc:{record_id}", "") for record_id in chosen})
    saved, refused = [], []
    for record_id in chosen:
        doc_id, expected = form.get(f"doc:{record_id}", ""), form.get(f"expected:{record_id}", "")
        record = records.get(record_id)
        if record is None:
            refused.append((doc_id, record_id, "no longer in the corpus (a run replaced it)"))
            continue
        try:
            edit = workspace.edits.save(record, en_after=asked.applied_to(expected), status=EDITED,
                                        reviewer=request.state.reviewer, expected=expected)
        except EditConflict as conflict:
            refused.append((doc_id, record_id, f"changed since the preview: it now reads {conflict.current!r}"))
            continue
        except EditError as error:
            refused.append((doc_id, record_id, str(error)))
            continue
        saved.append(edit)
        workspace.saved()
    return render(request, "replaced.html", find=asked.find, replacement=asked.replacement, saved=saved,
                  refused=refused)


apply = form_endpoint(_apply)


def _changes(workspace, asked: Replacement) -> tuple[list[dict], bool]:
    """The sentences whose English, as reviewers see it now, holds ``find``: from the search
    index and the latest edits (no document is read), each with its English now, after, and
    the difference; and whether there are more than SHOWN. Should a sentence have changed in
    a way this does not see, its save is refused as changed since the preview."""
    db = workspace.read_snapshot(search_index.open_index)
    with closing(db):
        candidates = search_index.english_with_words(db, asked.find, CANDIDATES)
    latest = workspace.edits.latest_of(record_id for _, record_id, _, _ in candidates)
    changes = []
    for doc_id, record_id, seg_index, indexed in candidates:
        current = latest[record_id].en_after if record_id in latest else indexed
        if asked.finds_in(current):
            after = asked.applied_to(current)
            changes.append({"doc_id": doc_id, "record_id": record_id, "seg_index": seg_index, "current": current,
                            "diff": word_diff(current, after)})
    return changes[:SHOWN], len(changes) > SHOWN

