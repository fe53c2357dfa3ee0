"""A file the run could not read, to and from a snapshot's info and failures.json."""

from __future__ import annotations

import pytest

from reportmt.errors import MalformedData
from reportmt.unread import UnreadFile, UnreadKind

PENDING_JSON = {"doc_id": "002_bericht.txt", "language": "de", "pair": "de-en",
                "reason": "no de-en model is installed", "install_command": "reportmt models install de-en"}
FAILED_JSON = {"file": "003.doc", "kind": "failed", "reason": "is an old binary Word document (.doc), which is not read",
               "action": "save it as .docx"}


def test_a_pending_file_keeps_the_shape_corpora_have():
    pending = UnreadFile.from_json(PENDING_JSON, UnreadKind.PENDING)
    assert pending == UnreadFile.pending("002_bericht.txt", "de", "de-en", "no de-en model is installed",
                                         "reportmt models install de-en")
    assert pending.kind is UnreadKind.PENDING and pending.file == "002_bericht.txt"
    assert pending.to_json() == PENDING_JSON


def test_a_pending_file_of_an_older_corpus_has_no_reason_and_gets_one_in_the_report():
    data = {key: value for key, value in PENDING_JSON.items() if key != "reason"}
    pending = UnreadFile.from_json(data, UnreadKind.PENDING)
    assert pending.reason is None and pending.to_json() == data
    assert pending.report() == {"file": "002_bericht.txt", "kind": "pending", "reason": "no de-en model is installed",
                                "action": "reportmt models install de-en"}


@pytest.mark.parametrize("kind", ["failed", "deferred", "duplicate"])
def test_other_files_round_trip_with_their_kind(kind):
    data = {**FAILED_JSON, "kind": kind}
    unread = UnreadFile.from_json(data, UnreadKind(kind))
    assert unread.kind is UnreadKind(kind)
    assert unread.to_json() == data == unread.report()


def test_each_kind_has_its_list_in_the_info():
    assert [kind.info_key for kind in UnreadKind] == ["pending", "failed", "deferred", "duplicates"]


def test_malformed_items_are_named():
    with pytest.raises(MalformedData, match="pending file: missing fields install_command"):
        UnreadFile.from_json({key: value for key, value in PENDING_JSON.items() if key != "install_command"},
                             UnreadKind.PENDING)
    with pytest.raises(MalformedData, match="unread file: unknown kind 'lost'"):
        UnreadFile.from_json({**FAILED_JSON, "kind": "lost"}, UnreadKind.FAILED)
    with pytest.raises(MalformedData, match="unread file: field 'reason' has type int"):
        UnreadFile.from_json({**FAILED_JSON, "reason": 3}, UnreadKind.FAILED)
    with pytest.raises(MalformedData, match="a JSON object was expected"):
        UnreadFile.from_json("003.doc", UnreadKind.FAILED)


def test_a_snapshots_info_keeps_its_unread_files_typed_and_stores_them_as_before(tmp_path):
    import json

    from reportmt.snapshot_info import SnapshotInfo
    from reportmt.store import write_failures_report

    stored = {"schema_version": "5", "pending": [PENDING_JSON], "failed": [FAILED_JSON],
              "deferred": [{**FAILED_JSON, "file": "004.txt", "kind": "deferred"}], "duplicates": []}
    info = SnapshotInfo.from_json(stored)
    assert [item.kind for item in info.pending + info.failed + info.deferred] == [
        UnreadKind.PENDING, UnreadKind.FAILED, UnreadKind.DEFERRED]
    assert {key: info.to_json()[key] for key in stored} == stored
    write_failures_report(tmp_path, info)
    report = json.loads((tmp_path / "failures.json").read_text())
    assert [(item["file"], item["kind"]) for item in report] == [
        ("002_bericht.txt", "pending"), ("003.doc", "failed"), ("004.txt", "deferred")]


def test_a_malformed_item_in_a_snapshots_info_is_a_corpus_error(tmp_path):
    from reportmt.store import CorpusError, _read_legacy

    (tmp_path / "manifest.json").write_text('{"documents": [], "snapshot": "s", "failed": [{"file": "x"}]}')
    with pytest.raises(CorpusError, match="missing fields action, kind, reason"):
        _read_legacy(tmp_path)
