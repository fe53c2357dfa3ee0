"""Reading the corpus: the documents page (filters, search), a document, its English edition."""

from __future__ import annotations

from contextlib import closing

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ... import search_index
from ...editions import edition_text, test_output_warning
from ...edits import NEEDS_DISCUSSION, REJECTED, SETTLED, Edit
from ...errors import DocumentNotFound
from ...reader import Corpus
from ..diff import changes_from_engine
from ..workspace import page_count, page_number, render, snippet, workspace_of
from . import stale

FILTERS = ("language", "flag", "term", "status")


def documents_page(request: Request) -> Response:
    workspace = workspace_of(request)
    corpus, db = workspace.read_snapshot(lambda corpus: (corpus, search_index.open_index(corpus)))
    indexed = search_index.indexed_snapshot(workspace.normalized_dir)
    if indexed != corpus.snapshot.name:
        workspace.index_follower.nudge()  # this page shows the index as it is; a later one the new snapshot
    with closing(db):
        params = request.query_params
        page = page_number(params.get("page"))
        filters = {key: params.get(key, "") for key in FILTERS}
        open_comments = workspace.comments.open_by_document()
        among = set(open_comments) if params.get("comments") == "open" else None
        rows, total = search_index.find_documents(db, page=page, among=among, **filters)
        query = params.get("q", "").strip()
        found, hit_total = search_index.search(db, query, page) if query else ([], 0)
        if query and page == 1:  # what reviewers wrote that no snapshot holds yet, found too
            only_edited = [search_index.Hit(e.record_id, e.doc_id, place, e.src_text, e.en_after, e.en_before)
                           for e, place in search_index.only_in_edits(db, workspace.edits, query, search_index.PAGE_SIZE,
                                                                      {hit.record_id for hit in found})]
            found, hit_total = found + only_edited, hit_total + len(only_edited)
        facets = search_index.facets(db)
        progress = search_index.progress(db)
    latest = workspace.edits.latest_of(hit.record_id for hit in found)  # a hit is edited in place: from what reviewers see now
    hits = [{"hit": hit, "edited": hit.record_id in latest, "english": latest[hit.record_id].en_after if hit.record_id in latest
             else hit.en_text} for hit in found]
    return render(request, "documents.html", rows=rows, total=total, page=page, pages=page_count(max(total, hit_total)),
                  filters=filters, facets=facets, query=query, hits=hits, hit_total=hit_total,
                  pending=workspace.pending_by_doc(corpus), snippet=snippet, count_limit=search_index.COUNT_LIMIT,
                  snapshot=corpus.snapshot.name, indexed=indexed, progress=progress, open_comments=open_comments,
                  comments_filter=params.get("comments", ""))


def document_page(request: Request) -> Response:
    workspace = workspace_of(request)
    doc_id = request.path_params["doc_id"]
    show = request.query_params.get("show", "")
    latest = workspace.edits.latest_in(doc_id)
    comments = workspace.comments.in_document(doc_id)

    def read(corpus: Corpus) -> tuple[dict, list[dict]] | None:
        try:
            metadata = corpus.metadata(doc_id)
        except DocumentNotFound:
            return None
        return metadata, [_row(workspace, record, latest.get(record["record_id"]), comments.get(record["record_id"], []))
                          for record in corpus.records(doc=doc_id)]

    found = workspace.read_snapshot(read)
    if found is None:
        return render(request, "message.html", 404, title="No such document", message=f"{doc_id} is not in the corpus.")
    metadata, rows = found
    stale_count = len(stale.unsettled(latest, [row["record"] for row in rows]))  # the records this page read
    workspace.presence.seen(doc_id, request.state.reviewer)
    return render(request, "document.html", doc_id=doc_id, metadata=metadata, show=show, shows=SHOWS,
                  rows=[row for row in rows if SHOWS.get(show, SHOWS[""])(row)], total=len(rows),
                  progress=_progress(rows), others=workspace.presence.others(doc_id, request.state.reviewer),
                  warning=test_output_warning(row["record"] for row in rows), stale_count=stale_count)


# The rows a document page can be narrowed to (?show=...).
SHOWS = {
    "": lambda row: True,
    "flagged": lambda row: bool(row["record"]["qa"]),
    "unreviewed": lambda row: row["status"] not in SETTLED,
    "commented": lambda row: any(c.is_open for c in row["comments"]),
    "marked": lambda row: row["status"] in (NEEDS_DISCUSSION, REJECTED),
}


def _row(workspace, record: dict, edit: Edit | None, comments: list) -> dict:
    """A sentence as the page shows it: the English a pending edit gives it, its status,
    the changes from the engine output, its comments."""
    state = ""
    if edit is not None and not edit.made_against(record):
        state = "stale"
    elif edit is not None and (record["review"] or {}).get("edit_id") != edit.edit_id:
        state = "pending"
    shown = edit.en_after if state == "pending" else record["en_text"]
    status = edit.status if state == "pending" else (record["review"] or {}).get("status")
    return {"record": record, "edit": edit, "state": state, "english": shown, "status": status, "comments": comments,
            "mt_diff": changes_from_engine(record["mt_text"], shown),
            "src_html": workspace.highlight(record["src_text"], record["src_lang"]), "en_html": workspace.highlight(shown, "en")}


def _progress(rows: list[dict]) -> dict:
    """Reviewed sentences and source words of the document, as the page shows them."""
    done = [row for row in rows if row["status"] in SETTLED]
    return {"sentences": len(done), "of_sentences": len(rows),
            "words": sum(len(row["record"]["src_text"].split()) for row in done),
            "of_words": sum(len(row["record"]["src_text"].split()) for row in rows)}


def edition(request: Request) -> Response:
    doc_id = request.path_params["doc_id"]

    def read(corpus: Corpus) -> str | None:
        try:
            metadata = corpus.metadata(doc_id)
        except DocumentNotFound:
            return None
        return edition_text(doc_id, list(corpus.records(doc=doc_id)), metadata, "markdown")

    text = workspace_of(request).read_snapshot(read)
    if text is None:
        return PlainTextResponse(f"{doc_id} is not in the corpus", 404)
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")
