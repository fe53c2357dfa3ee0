"""The decisions of a corpus run, as plain functions (the flow, reportmt.flows.corpus_run,
calls them and does the work between): what to plan, which unchanged documents new edits
touch, which documents wait for a model, what the snapshot's info says, which documents
are gone, which test packages the corpus serves, and which edits went stale.

Nothing here reads the corpus folder or talks to Prefect: what a step needs from disk it
is given, as values or as a function to call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, Protocol, TypeVar

from .edits import Edit
from .incremental import RunPlan, ScanResult, Scope, Unread, plan_run, unread_outside
from .languages import language_pair
from .snapshot_info import SnapshotInfo, build_info
from .translators.packages import install_command
from .unread import UnreadFile, UnreadKind


class Serving(Protocol):
    """A translation engine, as the run's decisions see it."""

    @property
    def pair(self) -> str: ...

    @property
    def model(self) -> str: ...

    @property
    def meaningless(self) -> bool: ...


class Translatable(Protocol):
    """A prepared document, as the run's decisions see it."""

    @property
    def doc_id(self) -> str: ...

    @property
    def translated_languages(self) -> set[str]: ...


Doc = TypeVar("Doc", bound=Translatable)


@dataclass(frozen=True)
class RunClock:
    """When a run began: ``started`` for its duration, ``started_at`` for its info, and
    ``changes_read_at``: the noted changes from before this are the ones the run reads."""

    started: float
    started_at: str
    changes_read_at: float

    @classmethod
    def start(cls) -> RunClock:
        return cls(time.monotonic(), utc_now(), time.time())

    def record(self, flow_run_id: str) -> dict[str, str]:
        """The run, as the snapshot's info keeps it."""
        return {"started_at": self.started_at, "flow_run_id": flow_run_id, "finished_at": utc_now()}

    def seconds(self) -> float:
        return time.monotonic() - self.started


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def last_edit_id(edits: Iterable[Edit]) -> int:
    return max((e.edit_id for e in edits), default=0)


def models_by_language(engines: Mapping[str, Serving]) -> dict[str, str]:
    return {lang: engine.model for lang, engine in engines.items()}


def models_by_pair(engines: Mapping[str, Serving]) -> dict[str, str]:
    return {engine.pair: engine.model for engine in engines.values()}


def plan(scanned: ScanResult, before: dict | None, glossary_version: str, engines: Mapping[str, Serving],
         new: list[Edit], read_records: Callable[[dict], Iterable[dict]]) -> RunPlan:
    """What the run does with each file in scope. ``before``: the previous snapshot's info
    and entries in scope (Snapshot.as_manifest); ``new``: edits saved since it was made;
    ``read_records``: the records of an entry."""
    planned = plan_run(scanned, before, glossary_version, models_by_language(engines))
    planned.rebuild(touched_by_edits(new, planned.carry, read_records))
    return planned


def new_edits(edits: Iterable[Edit], previous: SnapshotInfo | None) -> list[Edit]:
    """The edits saved after the previous snapshot was made (all of them before the first)."""
    applied_through = previous.applied_through if previous else 0
    return [e for e in edits if e.edit_id > applied_through]


def touched_by_edits(new: list[Edit], carried: list[dict], read_records: Callable[[dict], Iterable[dict]]) -> set[str]:
    """Unchanged documents that new edits touch: the edited document, and (the edit being
    reused for the same sentence) any carried document with that sentence. Only carried
    documents are read, and only while no edit names them."""
    if not new:
        return set()
    touched = {e.doc_id for e in new}
    sources = {(e.src_lang, e.src_text) for e in new}
    for entry in carried:
        if entry["doc_id"] not in touched and any(
            (r["src_lang"], r["src_text"]) in sources for r in read_records(entry)
        ):
            touched.add(entry["doc_id"])
    return touched


def outside_scope(with_source: Callable[[str], str | None] | None, scope: Scope) -> Callable[[str], str | None]:
    """The document outside the scope made from a file with this sha256 (a run that reads
    only some files finds copies of the others' content in the catalog). ``with_source``:
    the previous snapshot's lookup, None before the first run."""
    if with_source is None or scope.doc_ids is None:
        return lambda sha256: None

    def known(sha256: str) -> str | None:
        doc_id = with_source(sha256)
        return doc_id if doc_id is not None and not scope.holds(doc_id) else None

    return known


@dataclass(frozen=True)
class Readiness(Generic[Doc]):
    """The prepared documents by what the installed models allow."""

    translatable: list[Doc]  # every language to translate has an engine
    ready: list[Doc]  # none waits for a model: written this run
    pending: list[UnreadFile]  # one per document and language without a model


def readiness(docs: Sequence[Doc], engines: Collection[str], unavailable: Mapping[str, str]) -> Readiness[Doc]:
    """``engines``: the languages an engine serves; ``unavailable``: why the others have none."""
    pending = [_pending(doc.doc_id, lang, unavailable[lang])
               for doc in docs for lang in sorted(doc.translated_languages & unavailable.keys())]
    return Readiness(
        translatable=[d for d in docs if d.translated_languages <= set(engines)],
        ready=[d for d in docs if not d.translated_languages & unavailable.keys()],
        pending=pending,
    )


def _pending(doc_id: str, language: str, reason: str) -> UnreadFile:
    pair = language_pair(language)
    return UnreadFile.pending(doc_id, language, pair, reason, install_command(pair))


def snapshot_info(*, entries: list[dict], glossary_version: str, previous: SnapshotInfo | None, scope: Scope,
                  pending: list[UnreadFile], unread: Unread, run: dict[str, str], last_edit: int) -> SnapshotInfo:
    """The info the run commits: its own unread files, and the previous run's that it did
    not look at. A run over every file names only its documents' models; one over noted
    changes keeps the previous models of the documents it did not look at."""
    kept = unread_outside(previous, scope)
    return build_info(
        entries=entries, glossary_version=glossary_version, pending=kept[UnreadKind.PENDING] + pending,
        failed=kept[UnreadKind.FAILED] + unread.failed, deferred=kept[UnreadKind.DEFERRED] + unread.deferred,
        duplicates=kept[UnreadKind.DUPLICATE] + unread.duplicates, run=run, last_edit=last_edit,
        models=previous.models if previous and scope.doc_ids is not None else {},
    )


def gone_documents(before: dict | None, entries: list[dict]) -> list[str] | None:
    """What the previous snapshot had in scope and this run has no records for: a removed
    file, and a changed one that now fails, duplicates another or waits for a model. None
    before the first run (nothing to remove)."""
    if before is None:
        return None
    return sorted({e["doc_id"] for e in before["documents"]} - {e["doc_id"] for e in entries})


@dataclass(frozen=True)
class MeaninglessModels:
    """Test packages (random weights): those that translated in this run, and every one
    whose output the corpus holds, as the summary lists them."""

    used: list[str]
    serving: list[str]


def meaningless_models(engines: Mapping[str, Serving], used_languages: Iterable[str],
                       info: SnapshotInfo) -> MeaninglessModels:
    """``info``: the committed snapshot's. The corpus's, not only this run's: a run that
    wrote nothing still serves records of a test package."""
    used = {engines[lang].pair for lang in used_languages if engines[lang].meaningless}
    in_corpus = {e.pair for e in engines.values() if e.meaningless and info.models.get(e.pair) == e.model}
    return MeaninglessModels(sorted(used), sorted(used | in_corpus))


def stale_edit_entry(edit: Edit) -> dict:
    """A stale edit as the summary lists it."""
    return {"edit_id": edit.edit_id, "record_id": edit.record_id, "doc_id": edit.doc_id, "src_text": edit.src_text,
            "en_after": edit.en_after, "reviewer": edit.reviewer, "time": edit.created_at}
