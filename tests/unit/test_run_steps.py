"""The decisions of a corpus run (reportmt.run), a snapshot's info (reportmt.snapshot_info) and
a run's options (reportmt.run_options), as plain functions: no Prefect, no subprocess."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pydantic import ValidationError

from reportmt import run
from reportmt.edits import Edit
from reportmt.incremental import ScanResult, Scope, SourceFile, Unread, choose_scope
from reportmt.qa.checks import CHECKS_VERSION
from reportmt.records import SCHEMA_VERSION
from reportmt.run_options import DEFAULTS, Decoding, RunOptions
from reportmt.snapshot_info import SnapshotInfo, build_info
from reportmt.unread import UnreadFile, UnreadKind

DATA = Path(__file__).resolve().parents[1] / "data"
EVERY_FILE = Scope(None, "every file")


def _info(**fields) -> SnapshotInfo:
    base = {"schema_version": SCHEMA_VERSION, "pipeline_version": "1", "glossary_version": "g1",
            "checks_version": CHECKS_VERSION}
    return SnapshotInfo(**{**base, **fields})


def _edit(edit_id: int, doc_id: str, src_text: str, record_id: str | None = None) -> Edit:
    return Edit(edit_id, record_id or f"{doc_id}#0", doc_id, "de", src_text, "mt", "before", "after", "edited", "ana",
                "2026-01-01T00:00:00+00:00")


def _entry(doc_id: str, language: str = "de", model: str | None = "de-pkg@1") -> dict:
    return {"doc_id": doc_id, "language": language, "model": model, "records": 1, "source_sha256": doc_id * 2,
            "source_stat": [1, 2, 3]}


def _failed(file: str, kind: UnreadKind = UnreadKind.FAILED) -> UnreadFile:
    return UnreadFile(file, "is damaged", "replace it", kind)


def _pending(doc_id: str) -> UnreadFile:
    return UnreadFile.pending(doc_id, "fr", "fr-en", "no fr-en package", "reportmt models install fr-en")


@dataclass(frozen=True)
class Engine:
    pair: str
    model: str
    meaningless: bool = False


@dataclass(frozen=True)
class Doc:
    doc_id: str
    translated_languages: set[str] = field(default_factory=set)


# A snapshot's info


def test_an_info_written_by_schema_4_reads_and_writes_back_byte_for_byte():
    catalog = (DATA / "schema4-corpus" / "normalized" / "catalog.sqlite3").as_uri()
    with closing(sqlite3.connect(f"{catalog}?immutable=1", uri=True)) as db:  # test data: no -wal or -shm made
        (stored,) = db.execute("SELECT info FROM snapshots").fetchone()
    info = SnapshotInfo.from_json(json.loads(stored))
    assert info.applied_through == 2 and info.schema_version == "4" and info.models == {}
    assert json.dumps(info.to_json(), ensure_ascii=False, sort_keys=True) == stored


def test_the_info_of_a_schema_3_manifest_reads_and_writes_back_unchanged():
    manifest = json.loads((DATA / "legacy-corpus" / "normalized" / "manifest.json").read_text())
    del manifest["documents"], manifest["snapshot"]
    info = SnapshotInfo.from_json(manifest)
    assert (info.schema_version, info.applied_through, info.run["flow_run_id"]) == (
        "3", 1, "9d51bf77-42b3-49cc-a1c9-82468e88154e")
    assert info.to_json() == manifest


def test_an_info_without_its_versions_or_lists_reads_as_empty_and_unversioned():
    info = SnapshotInfo.from_json({"schema_version": "5"})
    assert info.glossary_version is None and info.pipeline_version is None
    assert (info.pending, info.failed, info.deferred, info.duplicates, info.applied_through) == ([], [], [], [], 0)
    assert info.to_json()["edits"] == {"applied_through": 0}


def test_records_are_current_only_with_the_same_glossary_schema_and_checks():
    assert _info().records_current("g1")
    assert not _info().records_current("g2")
    assert not _info(schema_version="4").records_current("g1")
    assert not _info(checks_version="0").records_current("g1")


def test_a_new_info_names_the_model_of_each_pair_over_those_kept():
    info = build_info(entries=[_entry("a.txt", "de", "de-pkg@2"), _entry("e.txt", "en", None)], glossary_version="g",
                      pending=[], failed=[], deferred=[], duplicates=[], run={}, last_edit=7,
                      models={"de-en": "de-pkg@1", "fr-en": "fr-pkg@1"})
    assert info.models == {"de-en": "de-pkg@2", "fr-en": "fr-pkg@1"}
    assert (info.schema_version, info.checks_version, info.applied_through) == (SCHEMA_VERSION, CHECKS_VERSION, 7)


# The snapshot's info a run commits


def test_a_run_over_every_file_lists_only_its_own_unread_files_and_models():
    previous = _info(models={"fr-en": "fr-pkg@1"}, failed=[_failed("old.txt")])
    unread = Unread(failed=[_failed("bad.txt")], deferred=[], duplicates=[_failed("copy.txt", UnreadKind.DUPLICATE)])
    info = run.snapshot_info(entries=[_entry("a.txt")], glossary_version="g1", previous=previous, scope=EVERY_FILE,
                             pending=[_pending("p.txt")], unread=unread, run={"flow_run_id": "r"}, last_edit=3)
    assert info.models == {"de-en": "de-pkg@1"}
    assert (info.failed, info.duplicates, info.pending) == (
        [_failed("bad.txt")], [_failed("copy.txt", UnreadKind.DUPLICATE)], [_pending("p.txt")])
    assert (info.applied_through, info.run) == (3, {"flow_run_id": "r"})


def test_a_run_over_noted_changes_keeps_what_it_did_not_look_at():
    previous = _info(models={"fr-en": "fr-pkg@1"}, failed=[_failed("old.txt"), _failed("seen.txt")],
                     pending=[_pending("waiting.txt"), _pending("seen.txt")])
    info = run.snapshot_info(entries=[], glossary_version="g1", previous=previous, scope=Scope(["seen.txt"], "noted"),
                             pending=[], unread=Unread([], [], []), run={}, last_edit=0)
    assert info.failed == [_failed("old.txt")] and info.pending == [_pending("waiting.txt")]
    assert info.models == {"fr-en": "fr-pkg@1"}


# Scope and plan


def test_only_noted_changes_are_read_when_nothing_else_can_have_changed_the_records():
    previous = _info(models={"de-en": "de-pkg@1"}, deferred=[_failed("late.txt", UnreadKind.DEFERRED)], applied_through=4)

    def scope(**changed) -> Scope:
        settings = {"glossary_version": "g1", "models": {"de-en": "de-pkg@1"}, "last_edit": 4, **changed}
        return choose_scope(previous, ["new.txt"], changes_only=True, **settings)

    assert scope().doc_ids == ["late.txt", "new.txt"]
    assert scope(glossary_version="g2").doc_ids is None
    assert scope(models={"de-en": "de-pkg@2"}).doc_ids is None
    assert "edits" in scope(last_edit=5).reason and scope(last_edit=5).doc_ids is None
    assert choose_scope(None, ["new.txt"], changes_only=True, glossary_version="g1", models={}, last_edit=0).doc_ids is None


def test_new_edits_are_those_after_the_previous_snapshot():
    edits = [_edit(1, "a.txt", "Eins"), _edit(2, "b.txt", "Zwei"), _edit(3, "c.txt", "Drei")]
    assert [e.edit_id for e in run.new_edits(edits, _info(applied_through=2))] == [3]
    assert [e.edit_id for e in run.new_edits(edits, None)] == [1, 2, 3]
    assert run.last_edit_id(edits) == 3 and run.last_edit_id([]) == 0


def test_new_edits_touch_their_document_and_carried_ones_with_the_same_sentence():
    records = {"same.txt": [{"src_lang": "de", "src_text": "Eins"}], "other.txt": [{"src_lang": "de", "src_text": "Zwei"}],
               "edited.txt": [{"src_lang": "de", "src_text": "Eins"}]}
    read: list[str] = []

    def read_records(entry: dict) -> list[dict]:
        read.append(entry["doc_id"])
        return records[entry["doc_id"]]

    carried = [_entry(doc_id) for doc_id in ("edited.txt", "other.txt", "same.txt")]
    touched = run.touched_by_edits([_edit(5, "edited.txt", "Eins")], carried, read_records)
    assert touched == {"edited.txt", "same.txt"}
    assert read == ["other.txt", "same.txt"]  # the edited document is not read
    assert run.touched_by_edits([], carried, read_records) == set()


def test_a_plan_makes_touched_documents_again_and_removes_files_that_are_gone():
    before = {**_info().to_json(), "documents": [_entry("kept.txt"), _entry("touched.txt"), _entry("gone.txt")]}
    scanned = ScanResult(sources=[SourceFile(d, Path(d), d * 2, 1, [1, 2, 3]) for d in ("kept.txt", "touched.txt")])
    engines = {"de": Engine("de-en", "de-pkg@1")}
    plan = run.plan(scanned, before, "g1", engines, [_edit(1, "touched.txt", "Eins")], lambda entry: [])
    assert [e["doc_id"] for e in plan.carry] == ["kept.txt"]
    assert [e["doc_id"] for e in plan.renormalize] == ["touched.txt"]
    assert [e["doc_id"] for e in plan.removed] == ["gone.txt"]
    assert run.gone_documents(before, plan.carry + plan.renormalize) == ["gone.txt"]
    assert run.gone_documents(None, []) is None


def test_a_file_outside_the_scope_with_the_same_content_is_known():
    catalog = {"aaa": "outside.txt", "bbb": "inside.txt"}
    known = run.outside_scope(catalog.get, Scope(["inside.txt"], "noted"))
    assert (known("aaa"), known("bbb"), known("ccc")) == ("outside.txt", None, None)
    assert run.outside_scope(catalog.get, EVERY_FILE)("aaa") is None
    assert run.outside_scope(None, Scope(["inside.txt"], "noted"))("aaa") is None


# Models


def test_documents_wait_for_the_model_of_each_language_they_need():
    docs = [Doc("en.txt"), Doc("de.txt", {"de"}), Doc("fr.txt", {"fr"}), Doc("both.txt", {"de", "fr"})]
    ready = run.readiness(docs, {"de"}, {"fr": "no fr-en package is installed"})
    assert [d.doc_id for d in ready.translatable] == ["en.txt", "de.txt"]
    assert [d.doc_id for d in ready.ready] == ["en.txt", "de.txt"]
    assert [item.to_json() for item in ready.pending] == [
        {"doc_id": "fr.txt", "language": "fr", "pair": "fr-en", "reason": "no fr-en package is installed",
         "install_command": "reportmt models install fr-en"},
        {"doc_id": "both.txt", "language": "fr", "pair": "fr-en", "reason": "no fr-en package is installed",
         "install_command": "reportmt models install fr-en"},
    ]


def test_test_packages_are_named_when_used_and_while_the_corpus_holds_their_output():
    engines = {"de": Engine("de-en", "tiny-de@1", meaningless=True), "fr": Engine("fr-en", "tiny-fr@1", meaningless=True),
               "it": Engine("it-en", "real@1")}
    committed = _info(models={"fr-en": "tiny-fr@1", "it-en": "real@1"})
    found = run.meaningless_models(engines, {"de", "it"}, committed)
    assert found.used == ["de-en"]
    assert found.serving == ["de-en", "fr-en"]
    assert run.meaningless_models(engines, set(), _info(models={"fr-en": "tiny-fr@0"})).serving == []
    assert run.models_by_pair(engines)["de-en"] == "tiny-de@1" and run.models_by_language(engines)["it"] == "real@1"


# Stale edits, the run's times


def test_a_stale_edit_is_listed_with_its_record_reviewer_and_time():
    entry = run.stale_edit_entry(_edit(9, "a.txt", "Eins", "a.txt#4"))
    assert entry == {"edit_id": 9, "record_id": "a.txt#4", "doc_id": "a.txt", "src_text": "Eins", "en_after": "after",
                     "reviewer": "ana", "time": "2026-01-01T00:00:00+00:00"}


def test_the_run_is_recorded_with_its_start_end_and_flow_run():
    clock = run.RunClock.start()
    record = clock.record("run-1")
    assert record["flow_run_id"] == "run-1" and record["started_at"] <= record["finished_at"]
    assert clock.seconds() >= 0


# Options


def test_options_given_are_what_a_deployment_stores():
    options = RunOptions(corpus_dir="/c", out_dir="/n", glossary=None, models_dir=None)
    assert options.given() == {"corpus_dir": "/c", "out_dir": "/n", "glossary": None, "models_dir": None}
    parameters = options.flow_parameters()
    assert parameters["decoding"] is None and parameters["propagate"] is True and parameters["shards"] == 1
    assert RunOptions(decoding=Decoding(beam_size=2, device=None)).flow_parameters()["decoding"] == {"beam_size": 2}
    assert (DEFAULTS.corpus_dir, DEFAULTS.out_dir, DEFAULTS.changes_only) == ("corpus", "normalized", False)


@pytest.mark.parametrize("bad", [{"shards": 0}, {"decoding": {"beam_size": 17}}, {"decoding": {"device": "tpu"}},
                                 {"decoding": {"max_batch_tokens": 8}}, {"decoding": {"beams": 2}}, {"verbose": True}])
def test_options_out_of_range_or_unknown_are_refused(bad):
    with pytest.raises(ValidationError):
        RunOptions(**bad)
