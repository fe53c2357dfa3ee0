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
from ...edits import Batch, BatchChange, EditConflict
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
    """One edit per chosen sentence, all saved as one batch: its English as the preview
    showed it, with the text replaced; a sentence changed since the preview is left as it
    is, and said. A kill saves all of them or none, and the batch is reverted as one."""
    workspace = workspace_of(request)
    asked = _replacement(form)
    if not asked.find.strip():
        return refuse(request, 422, "nothing to find: write the text to replace")
    chosen = form.getlist("record")[:SHOWN]
    doc_of = {record_id: form.get(f"doc:{record_id}", "") for record_id in chosen}
    seen = {record_id: form.get(f"expected:{record_id}", "") for record_id in chosen}  # as the preview showed it
    records = workspace.find_records(doc_of)
    batch = workspace.edits.save_batch([BatchChange(records[record_id], asked.applied_to(seen[record_id]), seen[record_id])
                                        for record_id in chosen if record_id in records], reviewer=request.state.reviewer)
    if batch.saved:
        workspace.saved()
    gone = [(doc_of[record_id], record_id, "no longer in the corpus (a run replaced it)") for record_id in chosen
            if record_id not in records]
    return render(request, "replaced.html", find=asked.find, replacement=asked.replacement, batch=batch,
                  refused=gone + _refusals(batch, "since the preview"), reverting=False)


def _revert(request: Request, form: FormData) -> Response:
    """Take a replacement back as one batch: each sentence that still reads as the
    replacement left it gets its English from before."""
    workspace = workspace_of(request)
    done = workspace.edits.batch(form.get("batch", ""))
    if not done:
        return refuse(request, 404, "no such replacement: open it again from a sentence's history")
    records = workspace.find_records({edit.record_id: edit.doc_id for edit in done})
    batch = workspace.edits.revert_batch(done[0].batch or "", records, reviewer=request.state.reviewer)
    if batch.saved:
        workspace.saved()
    gone = [(edit.doc_id, edit.record_id, "no longer in the corpus (a run replaced it)") for edit in batch.gone]
    return render(request, "replaced.html", find=form.get("find", ""), replacement=form.get("replace", ""),
                  batch=batch, refused=gone + _refusals(batch, "since the replacement"), reverting=True)


def _refusals(batch: Batch, since: str) -> list[tuple[str, str, str]]:
    said = []
    for record, why in batch.refused:
        reason = f"changed {since}: it now reads {why.current!r}" if isinstance(why, EditConflict) else str(why)
        said.append((record["doc_id"], record["record_id"], reason))
    return said


apply = form_endpoint(_apply)
revert = form_endpoint(_revert)


def _changes(workspace, asked: Replacement) -> tuple[list[dict], bool]:
    """The sentences whose English, as reviewers see it now, holds ``find``: from the search
    index and the latest edits, also those only an edit holds (no document is read), each with its English now, after, and
    the difference; and whether there are more than SHOWN. Should a sentence have changed in
    a way this does not see, its save is refused as changed since the preview."""
    db = workspace.read_snapshot(search_index.open_index)
    with closing(db):
        candidates = search_index.english_with_words(db, asked.find, CANDIDATES)
        # Text only a saved edit holds, which no snapshot has yet, is a candidate too.
        candidates += [(e.doc_id, e.record_id, place, e.en_after) for e, place in search_index.only_in_edits(
            db, workspace.edits, asked.find, CANDIDATES, {record_id for _, record_id, _, _ in candidates})]
    latest = workspace.edits.latest_of(record_id for _, record_id, _, _ in candidates)
    changes = []
    for doc_id, record_id, seg_index, indexed in candidates:
        current = latest[record_id].en_after if record_id in latest else indexed
        if asked.finds_in(current):
            after = asked.applied_to(current)
            changes.append({"doc_id": doc_id, "record_id": record_id, "seg_index": seg_index, "current": current,
                            "diff": word_diff(current, after)})
    return changes[:SHOWN], len(changes) > SHOWN

