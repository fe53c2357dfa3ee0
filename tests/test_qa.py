"""The `qa check` command, and flags on a run's records: re-evaluated on a reviewer's
English, counted, filtered and left out of exports (the checks themselves:
tests/unit/test_qa_checks.py)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

from helpers import export_records, reportmt
from starlette.testclient import TestClient

from reportmt.edits import EDITED, EditStore
from reportmt.qa.flags import CHECK_FAMILIES


def test_qa_check_reads_tsv_from_anywhere_and_answers_each_line_in_order(tmp_path):
    lines = ("de\tIm Jahr 2023 wurden 2.500 Beschwerden bearbeitet.\tIn 2023, 2,500 complaints were handled.\n"
             "de\tnur zwei Spalten\n"
             "fr\tTrois délégués sont arrivés.\tFour delegates arrived.\n"
             "es\tTres delegados.\tThree delegates.\n")
    done = reportmt("qa", "check", "-", stdin=lines)
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["line"] for a in answers] == [1, 2, 3, 4]
    assert answers[0]["flags"] == [] and answers[2]["flags"] == ["number_mismatch:3", "number_mismatch:4"]
    assert "not 3" in answers[1]["error"] and "not one reportmt translates" in answers[3]["error"]


def test_qa_check_takes_a_byte_order_mark_names_the_byte_that_is_not_utf8_and_says_when_empty(tmp_path):
    first = b"de\tDrei Delegierte.\tThree delegates.\n"
    (tmp_path / "pairs.tsv").write_bytes(b"\xef\xbb\xbf" + first + b"de\tGr\xfc\xdfe\tGreetings\nde\tZwei.\tTwo.\n")
    done = reportmt("qa", "check", str(tmp_path / "pairs.tsv"))
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert answers[0] == {"line": 1, "src_lang": "de", "flags": []}  # the mark is not part of "de"
    offset = 3 + len(first) + len("de\tGr")
    assert f"at byte {offset} of the input" in answers[1]["error"] and answers[2]["flags"] == []  # the rest is checked
    assert done.returncode == 1 and "not UTF-8 text" in done.stderr and "Traceback" not in done.stderr
    empty = reportmt("qa", "check", "-", stdin="")
    assert empty.returncode == 0 and empty.stdout == "" and "empty" in empty.stderr


REPORT = ("Im Jahr 2023 wurden 2.500 Beschwerden von Bürgern der Provinz bearbeitet.\n\n"
          "Genosse Nguyen Ngoc Tien leitete die Sitzung des Ausschusses am 19. April.\n")


def test_a_reviewers_english_is_checked_counted_filtered_and_left_out_of_training_exports(tmp_path, models_dir,
                                                                                            run_corpus):
    corpus, out = tmp_path / "corpus", tmp_path / "normalized"
    corpus.mkdir()
    (corpus / "bericht.txt").write_text(REPORT, encoding="utf-8")
    assert run_corpus(corpus, out, models_dir)["exit_code"] == 0
    first, second = export_records(out)
    store = EditStore(out)
    store.save(first, en_after="In 2023, 2,500 complaints from citizens of the province were handled.", status=EDITED,
               reviewer="ana", expected=first["en_text"])
    store.save(second, en_after="Comrade Nguyen Ngoc Tien chaired the committee's meeting on April 9.", status=EDITED,
               reviewer="ana", expected=second["en_text"])
    store.close()
    summary = run_corpus(corpus, out, models_dir)
    assert summary["exit_code"] == 0 and summary["sentences_translated"] == 0  # re-evaluated without the engine
    first, second = export_records(out)
    assert first["qa"] == ["test_model_output"]  # the English is the reviewer's: only its checks count
    assert second["qa"] == ["test_model_output", "number_mismatch:19. April", "number_mismatch:April 9"]

    with closing(sqlite3.connect(out / "catalog.sqlite3")) as db, db:  # as an older release left it
        db.execute("UPDATE snapshots SET info = json_set(info, '$.checks_version', '0')")
    again = run_corpus(corpus, out, models_dir)
    assert again["records_renormalized"] == 2 and again["sentences_translated"] == 0  # checked again, no engine
    assert [r["qa"] for r in export_records(out)] == [first["qa"], second["qa"]]

    stats = json.loads(reportmt("corpus", "stats", "--normalized", str(out), "--json").stdout)
    assert stats["qa_flags"] == {"number_mismatch": 1, "test_model_output": 2}  # records per family
    assert reportmt("corpus", "validate", "--normalized", str(out)).returncode == 0  # flags are not invalid
    export = reportmt("corpus", "export", "--normalized", str(out), "--exclude-qa", "number_mismatch,omission")
    assert [json.loads(line)["record_id"] for line in export.stdout.splitlines()] == [first["record_id"]]
    assert "left out 1 records with QA flags (number_mismatch 1)" in export.stderr
    everything = reportmt("corpus", "export", "--normalized", str(out), "--format", "moses", "--exclude-qa", "all",
                          "--out", str(tmp_path / "moses"))
    assert "left out 2 records" in everything.stderr and not (tmp_path / "moses" / "de-en.de").exists()
    unknown = reportmt("corpus", "export", "--normalized", str(out), "--exclude-qa", "numbers")
    assert unknown.returncode == 2 and "number_mismatch" in unknown.stderr and unknown.stdout == ""

    from reportmt.review.app import create_app
    from reportmt.review.identities import OneReviewer

    review = TestClient(create_app(out, OneReviewer("ana", None), allowed_hosts=["testserver"]))
    listed = review.get("/", params={"flag": "number_mismatch"}).text
    assert "bericht.txt" in listed and '<option selected>number_mismatch</option>' in listed
    assert all(f"<option>{name}</option>" in listed for name in CHECK_FAMILIES if name != "number_mismatch")
    assert "number_mismatch:19" in review.get("/documents/bericht.txt").text  # the evidence on the row
