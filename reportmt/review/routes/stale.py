"""Stale edits: reviewers' edits whose source sentence or engine output a run has changed
since, so that no run applies them. A changed source is a new sentence (a record's id
follows its source), so each stale edit is shown beside the sentence of its document that
is most like the one it was made against: the source then, the source now and the edit.
It can be re-applied to that sentence, or dropped, which records the sentence's English as
it stands. Both are saves like any other (reportmt.review.routes.edits), attributed and
revertible; a stale edit whose sentence has a later edit is settled and no longer listed."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ...edits import ACCEPTED, EDITED, NEEDS_DISCUSSION, REJECTED, Edit, stale_edits
from ...reader import Corpus
from ..workspace import render, workspace_of

SIMILAR_SOURCE = 60  # rapidfuzz ratio from which a sentence now is taken for the one an edit was made against
# The save action that records an edit's status again.
ACTION_OF = {EDITED: "save", ACCEPTED: "accept", NEEDS_DISCUSSION: "discuss", REJECTED: "reject"}


@dataclass(frozen=True)
class StaleEdit:
    edit: Edit
    record: dict | None  # the sentence now; None when its document no longer has it

    @property
    def action(self) -> str:
        return ACTION_OF.get(self.edit.status, "save")


async def stale_page(request: Request) -> Response:
    workspace = workspace_of(request)
    doc_id = request.query_params.get("doc") or None
    stale = await run_in_threadpool(stale_edits_in, workspace, doc_id)
    return render(request, "stale.html", stale=stale, doc_id=doc_id)


def stale_edits_in(workspace, only: str | None) -> list[StaleEdit]:
    """The unsettled stale edits of one document, or of every document (None)."""
    documents = [only] if only else workspace.edits.edited_documents()

    def read(corpus: Corpus) -> list[StaleEdit]:
        return [item for doc_id in documents
                for item in unsettled(workspace.edits.latest_in(doc_id), _records(corpus, doc_id))]

    return workspace.read_snapshot(read)


def unsettled(latest: dict[str, Edit], records: list[dict]) -> list[StaleEdit]:
    """The stale edits among one document's latest edits, each beside its sentence now,
    leaving out those a later save on that sentence settled."""
    found = []
    for edit in stale_edits(latest.values(), records):
        now = _sentence_now(edit, records)
        later = latest.get(now["record_id"]) if now else None
        if later is None or later.edit_id < edit.edit_id:
            found.append(StaleEdit(edit, now))
    return found


def _sentence_now(edit: Edit, records: list[dict]) -> dict | None:
    """The record an edit was made for, if it is still there (its engine output changed),
    else the sentence of the document most like the source the edit was made against."""
    same = next((r for r in records if r["record_id"] == edit.record_id), None)
    if same is not None:
        return same
    best = process.extractOne(edit.src_text, [r["src_text"] for r in records], scorer=fuzz.ratio,
                              score_cutoff=SIMILAR_SOURCE)
    return records[best[2]] if best else None


def _records(corpus: Corpus, doc_id: str) -> list[dict]:
    if corpus.snapshot.document(doc_id) is None:
        return []  # the document is no longer in the corpus: its edits have no sentence
    return list(corpus.records(doc=doc_id))
