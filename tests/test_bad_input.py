"""Messy corpora: every file accounted for, nothing lost or modified, clear reasons."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from helpers import reportmt, split_furniture
from hypothesis import given, settings
from hypothesis import strategies as st

from reportmt.incremental import scan
from reportmt.reader import Corpus
from reportmt.sources import SourceError, inspect_source, iter_lines

SEEDS = Path(__file__).resolve().parents[1] / "corpus"
GERMAN = (SEEDS / "003_e4b81f133e3b5870.txt").read_text(encoding="utf-8")
FRENCH = (SEEDS / "004_4ce2d8bf8c0a0672.txt").read_text(encoding="utf-8")
SPANISH = (
    "El comité provincial del partido celebró ayer una conferencia para revisar el trabajo de los asuntos internos. "
    "Los delegados discutieron las tareas principales para el próximo trimestre y acordaron nuevas medidas contra la corrupción.\n"
)
VIETNAMESE = (
    "Chiều 27/9, Ban Thường vụ Tỉnh ủy tổ chức hội nghị đánh giá công tác nội chính, phòng, chống tham nhũng, "
    "tiêu cực quý III và triển khai nhiệm vụ trọng tâm quý IV năm 2023.\n"
)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    corpus = tmp_path / "messy"
    corpus.mkdir()
    plain_german = GERMAN.replace("„", '"').replace("“", '"')
    (corpus / "bericht cp1252.txt").write_bytes(plain_german.encode("cp1252"))
    (corpus / "rapport-latin1.txt").write_bytes(FRENCH.replace("œ", "oe").replace("’", "'").encode("latin-1"))
    (corpus / "report-bom.txt").write_bytes("\ufeff".encode() + (SEEDS / "000_18754e56d8b48404.txt").read_bytes())
    (corpus / "report-utf16.txt").write_bytes((SEEDS / "002_80b917cbb38a1ee2.txt").read_text().encode("utf-16"))
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.7\n\x00\x00\x01binary")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.txt").write_text(" \n\t\n  \n")
    (corpus / "informe.txt").write_text(SPANISH)
    (corpus / "bao-cao.txt").write_text(VIETNAMESE)
    (corpus / "Bericht über Ständige Ausschüsse.txt").write_text(GERMAN)
    (corpus / "copy of bericht.txt").write_text(GERMAN)  # same bytes as the file above
    french_paragraph = FRENCH.splitlines()[1]
    (corpus / "gemischt.txt").write_text(GERMAN.splitlines()[0] + "\n" + french_paragraph + "\n" + GERMAN.splitlines()[2] + "\n")
    (corpus / "gemischt-es.txt").write_text(GERMAN.splitlines()[0] + "\n" + SPANISH)
    long_line = " ".join(["die Delegierten berieten über die Korruptionsbekämpfung in den Bezirken"] * 120)
    (corpus / "ohne-punkt.txt").write_text(GERMAN.splitlines()[0] + "\n" + long_line + "\n")
    outside = tmp_path / "outside.txt"
    outside.write_text(GERMAN)
    (corpus / "link-outside.txt").symlink_to(outside)
    return corpus


def test_a_messy_corpus_is_fully_accounted_for(tmp_path, messy, models_dir, run_corpus):
    before = _hashes(messy)
    out = tmp_path / "out"
    summary = run_corpus(messy, out, models_dir)
    assert summary["exit_code"] == 1  # some files failed; the others were written
    assert _hashes(messy) == before  # nothing modified or deleted

    written = {d["doc_id"] for d in summary["documents"]}
    assert written == {"bericht cp1252.txt", "rapport-latin1.txt", "report-bom.txt", "report-utf16.txt",
                       "Bericht über Ständige Ausschüsse.txt", "gemischt.txt", "ohne-punkt.txt"}
    failed = {f["file"]: f for f in summary["failed"]}
    assert "damaged or truncated PDF" in failed["scan.pdf"]["reason"]  # read as a PDF, by its bytes
    assert "no body text" in failed["empty.txt"]["reason"] and "no body text" in failed["blank.txt"]["reason"]
    assert "'es'" in failed["informe.txt"]["reason"] and "not sent to any model" in failed["informe.txt"]["action"]
    assert "'vi'" in failed["bao-cao.txt"]["reason"]
    assert "paragraph at line 2 is 'es'" in failed["gemischt-es.txt"]["reason"]
    assert "outside the corpus folder" in failed["link-outside.txt"]["reason"]
    assert summary["duplicates"] == [{"file": "copy of bericht.txt", "kind": "duplicate",
                                      "reason": "has the same content as Bericht über Ständige Ausschüsse.txt",
                                      "action": "remove one of the two copies; only the first name is in the corpus"}]

    report = json.loads((out / "failures.json").read_text())
    assert {r["file"] for r in report} == set(failed) | {"copy of bericht.txt"}
    assert all(r["reason"] and r["action"] for r in report)

    corpus = Corpus(out)
    encodings = {doc: corpus.metadata(doc)["encoding"] for doc in written}
    assert encodings["report-bom.txt"] == "utf-8-sig" and encodings["report-utf16.txt"] == "utf-16"
    assert encodings["bericht cp1252.txt"] != "utf-8" and encodings["rapport-latin1.txt"] != "utf-8"
    german = [r["src_text"] for r in corpus.records(doc="bericht cp1252.txt")]
    assert any("Ständigen Ausschusses" in text for text in german)

    mixed = list(corpus.records(doc="gemischt.txt"))
    assert [r["src_lang"] for r in mixed][:1] == ["de"] and "fr" in {r["src_lang"] for r in mixed}
    assert all(r["model"].endswith(f"{r['src_lang']}_en@0.0.1") for r in mixed)
    assert corpus.metadata("gemischt.txt")["mixed_languages"] is True

    unpunctuated = [r for r in corpus.records(doc="ohne-punkt.txt") if r["paragraph"] == 1]
    source_line = (messy / "ohne-punkt.txt").read_text().splitlines()[1]
    assert " ".join(r["src_text"] for r in unpunctuated) == source_line  # no text lost
    assert len(unpunctuated) == 11 and all(len(r["src_text"].split()) <= 100 for r in unpunctuated)  # 1,080 words
    assert all(r["mt_text"] for r in unpunctuated)  # each piece its own English
    assert reportmt("corpus", "validate", "--normalized", str(out)).returncode == 0


def test_file_still_being_written_is_deferred(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    growing = corpus / "arriving.txt"
    growing.write_text("Der Bericht beginnt.\n")
    stop = threading.Event()

    def keep_writing():
        with growing.open("a") as handle:
            while not stop.is_set():
                handle.write("Noch ein Satz.\n")
                handle.flush()
                time.sleep(0.1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = scan([growing], corpus, settle_seconds=1.0)
    finally:
        stop.set()
        writer.join()
    assert result.sources == []
    assert [(s.file, s.kind) for s in result.skipped] == [("arriving.txt", "deferred")]
    time.sleep(1.1)
    assert [s.doc_id for s in scan([growing], corpus, settle_seconds=1.0).sources] == ["arriving.txt"]


def test_doctor_reports_what_to_fix(tmp_path, models_dir, corpus):
    ok = reportmt("doctor", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--models-dir", str(models_dir),
                  env={"PREFECT_API_URL": "", "COLUMNS": "200"})
    assert ok.returncode == 0, ok.stdout
    assert "TEST package" in ok.stdout and "glossary" in ok.stdout
    broken = tmp_path / "glossary.yaml"
    broken.write_text("entries:\n  - id: x\n    category: body\n")
    bad = reportmt("doctor", "--corpus", str(corpus), "--models-dir", str(tmp_path / "none"), "--glossary", str(broken),
                   env={"PREFECT_API_URL": "http://127.0.0.1:9/api", "COLUMNS": "200"})
    assert bad.returncode == 1
    assert "no canonical form" in bad.stdout
    assert "reportmt models install de-en" in bad.stdout
    assert "does not answer" in bad.stdout and "prefect server start" in bad.stdout


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_reading_any_bytes_gives_lines_or_a_clear_error(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.txt"
        path.write_bytes(raw)
        try:
            source = inspect_source(path, "f.txt")
            lines = [text for _, text in iter_lines(source)]
        except SourceError as error:
            assert error.path == "f.txt" and error.reason and error.action
        else:
            assert source.encoding and all(isinstance(line, str) for line in lines)
            if source.encoding == "utf-8":
                assert lines == _lines_as_read(raw.decode("utf-8"))


def _lines_as_read(text: str) -> list[str]:
    """Lines split at line breaks only (a form feed or vertical tab is inside a paragraph),
    whitespace-like controls as spaces, every other control character dropped."""
    lines = re.split("\r\n|[\n\r\x85\u2028\u2029]", text)
    if lines[-1] == "":
        lines.pop()

    def clean(char: str) -> str:
        if char in "\x0b\x0c\x1c\x1d\x1e\x1f":
            return " "
        if (unicodedata.category(char) in ("Cc", "Cs") and char != "\t") or char in "\ufffe\uffff":
            return ""
        return char

    return ["".join(map(clean, line)) for line in lines]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Source", "Comment (0)", "Kommentar (0)", "Dao Quyen", "Video: a_b.mp4", "Konferenzteilnehmer.",
                                 "Delegates at the meeting - Photo: QH", "https://x.vn/a", "Der Ausschuss tagte am Montag.",
                                 "The committee met.Kommentar (0)", "", "  ", "QH"]), max_size=12))
def test_furniture_never_loses_a_line(lines):
    body, furniture = split_furniture(lines)
    kept = re.findall(r"\w+", " ".join([b.text for b in body] + [f.text for f in furniture]))
    assert sorted(kept) == sorted(re.findall(r"\w+", " ".join(lines)))  # no word lost, none made up
    assert [b.line for b in body] == sorted(b.line for b in body)  # the body keeps its order
    assert [f.line for f in furniture] == sorted(f.line for f in furniture)


def test_run_mistakes_are_said_before_any_work(tmp_path):
    corpus = tmp_path / "reports"
    corpus.mkdir()
    inside = reportmt("run", "--corpus", str(corpus), "--out", str(corpus / "normalized"))
    assert inside.returncode == 2 and "is inside --corpus" in inside.stderr and "Prefect" not in inside.stderr
    same = reportmt("run", "--corpus", str(corpus), "--out", str(corpus))
    assert same.returncode == 2 and "is inside --corpus" in same.stderr
    setting = reportmt("run", "--corpus", str(corpus), "--out", str(tmp_path / "out"),
                       env={"REPORTMT_SNAPSHOT_RETENTION_SECONDS": "an hour"})
    assert setting.returncode == 2 and "REPORTMT_SNAPSHOT_RETENTION_SECONDS='an hour'" in setting.stderr
    assert "Prefect" not in setting.stderr and not (tmp_path / "out").exists()  # said before any work
    empty = reportmt("run", "--corpus", str(corpus), "--out", str(tmp_path / "out"))
    assert empty.returncode == 0 and f"{corpus} holds no reports" in " ".join(empty.stderr.split())
