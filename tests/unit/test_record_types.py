"""Records and reviews to and from their JSON: round trips, and malformed data named, not a KeyError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportmt.edits import Edit, Review
from reportmt.errors import MalformedData
from reportmt.records import RECORD_FIELDS, CorpusRecord
from reportmt.shapes import checked, field_types, json_types
from reportmt.store import CorpusError, read_document_records, read_records

RECORD_JSON = {
    "record_id": "7f0e41a524e3867c8b87", "doc_id": "000_report.txt", "seg_index": 0, "paragraph": 0,
    "block": "paragraph", "page": None, "src_lang": "de", "src_text": "Der Ausschuss tagte.",
    "mt_text": "The committee met.", "en_text": "The committee met.", "terms": ["Committee"], "qa": [],
    "model": "de-en@1.0", "glossary_version": "sha256:a1d2348fd1e267b2", "source_sha256": "0" * 64,
    "review": {"edit_id": 1, "reviewer": "ana", "status": "edited", "time": "2026-12-01T10:15:39+00:00"},
}


def test_a_record_reads_back_as_it_was_written():
    record = CorpusRecord.from_json(RECORD_JSON)
    assert record.terms == ("Committee",) and record.qa == ()
    assert record.review == Review("edited", "ana", "2026-12-01T10:15:39+00:00", 1)
    assert record.reviewed
    assert record.to_json() == RECORD_JSON
    assert CorpusRecord.from_json(json.loads(json.dumps(record.to_json()))) == record


def test_record_fields_come_from_the_dataclass_in_its_order():
    assert list(RECORD_FIELDS) == list(RECORD_JSON)
    assert RECORD_FIELDS["page"] == (int, type(None))
    assert RECORD_FIELDS["terms"] == (list,)
    assert RECORD_FIELDS["review"] == (dict, type(None))


def test_a_record_without_a_field_is_named_not_a_key_error():
    data = {key: value for key, value in RECORD_JSON.items() if key not in ("en_text", "doc_id")}
    with pytest.raises(MalformedData, match="missing fields doc_id, en_text"):
        CorpusRecord.from_json(data)


def test_a_record_field_of_a_wrong_type_is_named():
    with pytest.raises(MalformedData, match="field 'seg_index' has type str"):
        CorpusRecord.from_json({**RECORD_JSON, "seg_index": "0"})
    with pytest.raises(MalformedData, match="field 'paragraph' has type bool"):
        CorpusRecord.from_json({**RECORD_JSON, "paragraph": True})
    with pytest.raises(MalformedData, match="a JSON object was expected, not list"):
        CorpusRecord.from_json([1, 2])


def test_a_record_of_schema_2_reads_as_a_paragraph_on_no_page():
    data = {key: value for key, value in RECORD_JSON.items() if key not in ("block", "page")}
    record = CorpusRecord.from_json(data)
    assert (record.block, record.page) == ("paragraph", None)


def test_a_review_round_trips_and_keeps_propagated_from_only_where_it_is():
    own = Review("accepted", "ben", "2026-12-01T10:15:39+00:00", 4)
    assert "propagated_from" not in own.to_json()
    copied = Review("edited", "ana", "2026-12-01T10:15:39+00:00", 2, propagated_from="abc")
    assert copied.to_json()["propagated_from"] == "abc"
    for review in (own, copied):
        assert Review.from_json(review.to_json()) == review


def test_a_mark_does_not_settle_the_english():
    assert not Review("needs discussion", "ana", "t", 1).settled
    assert Review("accepted", "ana", "t", 1).settled
    assert not CorpusRecord.from_json({**RECORD_JSON, "review": None}).reviewed


def test_a_malformed_review_is_named():
    with pytest.raises(MalformedData, match=r"review: missing fields edit_id"):
        CorpusRecord.from_json({**RECORD_JSON, "review": {"status": "edited", "reviewer": "ana", "time": "t"}})


def test_an_edit_makes_its_review():
    edit = Edit(3, "r1", "d", "de", "Satz.", "Sentence.", "Sentence.", "A sentence.", "edited", "ana", "2026")
    assert edit.review() == Review("edited", "ana", "2026", 3)
    assert edit.review("r0").propagated_from == "r0"


def test_json_types_of_annotations():
    assert json_types(str | None) == (str, type(None))
    assert json_types(tuple[str, ...]) == (list,)
    assert json_types(dict[str, int]) == (dict,)
    assert json_types(Review) == (dict,)
    with pytest.raises(TypeError):
        json_types(Path)
    assert field_types(Review)["edit_id"] == (int,)


def test_checked_fills_defaults_before_checking():
    fields = {"a": (int,), "b": (str, type(None))}
    assert checked({"a": 1}, "thing", fields, {"b": None}) == {"a": 1, "b": None}
    with pytest.raises(MalformedData, match="thing: missing fields b"):
        checked({"a": 1}, "thing", fields)


def _records_file(tmp_path: Path, lines: list[str]) -> dict[str, str]:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return {"records_file": path.name}  # an entry as a corpus of schema 3 names its records


def test_read_records_gives_records_and_read_document_records_their_json(tmp_path):
    entry = _records_file(tmp_path, [json.dumps(RECORD_JSON)])
    assert list(read_records(tmp_path, entry)) == [CorpusRecord.from_json(RECORD_JSON)]
    assert list(read_document_records(tmp_path, entry)) == [RECORD_JSON]


def test_a_malformed_line_is_a_corpus_error_naming_file_and_line(tmp_path):
    broken = {key: value for key, value in RECORD_JSON.items() if key != "src_text"}
    entry = _records_file(tmp_path, [json.dumps(RECORD_JSON), json.dumps(broken)])
    with pytest.raises(CorpusError, match=r"records\.jsonl:2: record: missing fields src_text"):
        list(read_records(tmp_path, entry))
