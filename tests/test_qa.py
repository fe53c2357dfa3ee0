"""The translation checks on pairs written by hand (tests/data/qa/pairs.tsv): every broken
pair caught by its family, no flag on a correct one; the `qa check` command; flags on a
run's records, re-evaluated on a reviewer's English, counted, filtered and left out of
exports."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest
from helpers import REPO, export_records, reportmt
from starlette.testclient import TestClient

from reportmt.edits import EDITED, EditStore
from reportmt.qa.checks import Pair, check
from reportmt.qa.flags import CHECK_FAMILIES, family

PAIRS = REPO / "tests" / "data" / "qa" / "pairs.tsv"


def hand_written_pairs() -> list[tuple[Pair, set[str]]]:
    pairs = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            src_lang, source, english, wanted = line.split("\t")
            pairs.append((Pair(src_lang, source, english, raw=english), set() if wanted == "-" else set(wanted.split(","))))
    return pairs


def test_every_check_catches_its_broken_pairs_and_never_fires_on_the_correct_ones():
    pairs = hand_written_pairs()
    wrong = [(pair.english, wanted, check(pair)) for pair, wanted in pairs if {family(f) for f in check(pair)} != wanted]
    assert wrong == []
    for name in CHECK_FAMILIES:  # each family has its broken examples, and the correct pairs are many
        assert sum(name in wanted for _, wanted in pairs) >= 5, name
    assert sum(not wanted for _, wanted in pairs) >= 40


@pytest.mark.parametrize(("src_lang", "source", "english", "flags"), [
    ("de", "Im Jahr 2023 wurden 2.500 Beschwerden bearbeitet.", "In 2022, 2,500 complaints were handled.",
     ["number_mismatch:2023", "number_mismatch:2022"]),
    ("de", "Die Provinz meldete 1.250 neue Fälle.", "The province reported 1.250 new cases.",
     ["number_mismatch:1.250"]),  # 1250 in German, 1.25 in English: one flag, the same form on both sides
    ("de", "Genosse Nguyễn Ngọc Tiến nahm teil.", "Comrade Nguyen Ngoc attended.", ["name_missing:Nguyễn Ngọc Tiến"]),
    ("fr", "Le comité a examiné le rapport annuel.", "The committee examined the annual annual annual report.",
     ["repetition:annual"]),
    ("de", "Die Delegierten berieten über den Plan der Provinz.", "Die Delegierten berieten über den Plan der Provinz.",
     ["untranslated:same as the source"]),
    ("de", "Der Ständige Ausschuss des Provinzparteikomitees hielt am Montag eine Sitzung ab.", "", ["omission:empty"]),
])
def test_each_flag_names_its_evidence(src_lang, source, english, flags):
    assert check(Pair(src_lang, source, english, raw=english)) == flags


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
    (tmp_path / "pairs.tsv").write_bytes(b"de\tGr\xfc\xdfe\tGreetings\n")  # latin-1, not UTF-8
    refused = reportmt("qa", "check", str(tmp_path / "pairs.tsv"))
    assert refused.returncode == 1 and "not UTF-8 text" in refused.stderr and "Traceback" not in refused.stderr


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
    assert second["qa"] == ["test_model_output", "number_mismatch:19", "number_mismatch:9"]

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


def test_hand_written_pairs_file_is_what_the_readme_measures():
    """The README's precision and recall per check are those of this set."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    pairs = hand_written_pairs()
    for name in CHECK_FAMILIES:
        broken = sum(name in wanted for _, wanted in pairs)
        assert f"| `{name}` | {broken}/{broken} |" in readme, name
    assert f"{sum(not wanted for _, wanted in pairs)} correct pairs" in readme
