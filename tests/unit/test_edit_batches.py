"""A replacement's edits as one unit: saved together or not at all, and taken back together."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from reportmt.edits import BatchChange, EditConflict, EditStore
from reportmt.layout import EDITS_FILE


def record(number: int, english: str) -> dict:
    return {"record_id": f"r{number}", "doc_id": "report.txt", "src_lang": "de", "src_text": f"Satz {number}.",
            "mt_text": english, "en_text": english}


@pytest.fixture
def store(tmp_path):
    opened = EditStore(tmp_path)
    yield opened
    opened.close()


def test_a_batch_saves_every_change_that_still_applies_and_says_which_did_not(store):
    records = [record(n, f"The committee met on day {n}.") for n in range(3)]
    store.save(records[1], en_after="Changed by another reviewer.", status="edited", reviewer="ana",
               expected=records[1]["en_text"])
    batch = store.save_batch([BatchChange(r, r["en_text"].replace("committee", "Committee"), r["en_text"])
                              for r in records], reviewer="ben")
    assert [edit.record_id for edit in batch.saved] == ["r0", "r2"]
    assert [(r["record_id"], type(why)) for r, why in batch.refused] == [("r1", EditConflict)]
    assert {edit.batch for edit in batch.saved} == {batch.batch_id}
    assert store.current_english(records[0]) == "The Committee met on day 0."
    assert [edit.record_id for edit in store.batch(batch.batch_id)] == ["r0", "r2"]


def test_a_batch_interrupted_part_way_leaves_nothing(store):
    records = [record(n, f"Sentence {n}.") for n in range(3)]

    class Interrupted(Exception):
        pass

    def changes():
        yield BatchChange(records[0], "First, changed.", records[0]["en_text"])
        raise Interrupted  # as a kill would, between two inserts

    with pytest.raises(Interrupted):
        store.save_batch(changes(), reviewer="ben")
    assert store.all() == []


def test_reverting_a_batch_restores_what_it_changed_and_spares_what_changed_since(store):
    records = {f"r{n}": record(n, f"The council met on day {n}.") for n in range(3)}
    batch = store.save_batch([BatchChange(r, r["en_text"].replace("council", "Council"), r["en_text"])
                              for r in records.values()], reviewer="ben")
    store.save(records["r2"], en_after="Reworded since.", status="edited", reviewer="ana",
               expected="The Council met on day 2.")
    gone = dict(records)
    del gone["r1"]  # a run replaced it

    reverted = store.revert_batch(batch.batch_id, gone, reviewer="ben")
    assert [edit.record_id for edit in reverted.saved] == ["r0"]
    assert [r["record_id"] for r, _ in reverted.refused] == ["r2"]
    assert [edit.record_id for edit in reverted.gone] == ["r1"]
    assert store.current_english(records["r0"]) == "The council met on day 0."
    assert store.current_english(records["r2"]) == "Reworded since."

    again = store.revert_batch(reverted.batch_id, records, reviewer="ben")  # a revert is revertible too
    assert store.current_english(records["r0"]) == "The Council met on day 0." and len(again.saved) == 1


def test_a_store_made_before_batches_is_upgraded_in_place(tmp_path):
    with closing(sqlite3.connect(tmp_path / EDITS_FILE)) as db:
        db.executescript("""
            CREATE TABLE edits (edit_id INTEGER PRIMARY KEY AUTOINCREMENT, record_id TEXT NOT NULL,
                doc_id TEXT NOT NULL, src_lang TEXT NOT NULL, src_text TEXT NOT NULL, mt_text TEXT,
                en_before TEXT NOT NULL, en_after TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('edited', 'accepted', 'needs discussion', 'rejected translation')),
                reviewer TEXT NOT NULL, created_at TEXT NOT NULL);
            INSERT INTO edits (record_id, doc_id, src_lang, src_text, mt_text, en_before, en_after, status, reviewer,
                created_at) VALUES ('r0', 'report.txt', 'de', 'Satz 0.', 'Old.', 'Old.', 'Kept.', 'edited', 'ana', 'then');
        """)
    store = EditStore(tmp_path)
    try:
        (kept,) = store.all()
        assert kept.en_after == "Kept." and kept.batch is None
        batch = store.save_batch([BatchChange(record(1, "One."), "Two.", "One.")], reviewer="ben")
        assert store.batch(batch.batch_id)[0].en_after == "Two."
    finally:
        store.close()
