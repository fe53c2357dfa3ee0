"""Reading reports: language, furniture moved to metadata, sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import split_furniture
from hypothesis import given, settings
from hypothesis import strategies as st

from reportmt.documents import prepare_document
from reportmt.segment import split_sentences
from reportmt.sources import SourceError

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize(
    "name, language, furniture",
    [
        ("000_18754e56d8b48404.txt", "en", ["media", "byline", "source", "comment_counter"]),
        ("001_f6a9db11861e7d8f.txt", "en", ["caption", "photo_credit", "caption", "photo_credit", "byline", "source", "comment_counter"]),
        ("002_80b917cbb38a1ee2.txt", "en", ["byline", "source", "comment_counter"]),
        ("003_e4b81f133e3b5870.txt", "de", ["caption", "byline", "source", "comment_counter"]),
        ("004_4ce2d8bf8c0a0672.txt", "fr", ["byline", "source", "comment_counter"]),
    ],
)
def test_seed_documents(name, language, furniture, tmp_path):
    doc = prepare_document(CORPUS / name, CORPUS, tmp_path)
    assert doc.language == language
    assert [item.kind for item in doc.furniture] == furniture
    body = " ".join(s.text for s in doc.sentences())
    for item in doc.furniture:
        if item.kind != "caption":
            assert item.text not in body


def test_comment_counter_glued_to_the_last_line():
    body, furniture = split_furniture(["Der Bericht endet hier.Kommentar (0)"])
    assert [b.text for b in body] == ["Der Bericht endet hier."]
    assert [(f.kind, f.text) for f in furniture] == [("comment_counter", "Kommentar (0)")]


def test_short_last_sentence_is_not_a_byline():
    body, furniture = split_furniture(["First paragraph.", "The meeting ended."])
    assert len(body) == 2 and furniture == []


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("de", "Am 19. April kam Dr. Müller z. B. nach Berlin. Er sprach ca. 2 Std. lang.",
         ["Am 19. April kam Dr. Müller z. B. nach Berlin.", "Er sprach ca. 2 Std. lang."]),
        ("de", "Die Resolutionen der 8. Konferenz wurden umgesetzt. Gleichzeitig wird geraten.",
         ["Die Resolutionen der 8. Konferenz wurden umgesetzt.", "Gleichzeitig wird geraten."]),
        ("fr", "M. Dupont est venu. La résolution n° 08 du Comité a été adoptée.",
         ["M. Dupont est venu.", "La résolution n° 08 du Comité a été adoptée."]),
        ("en", "Emulation Cluster No. II has agreed to set out 10 key tasks. Mr. Smith spoke.",
         ["Emulation Cluster No. II has agreed to set out 10 key tasks.", "Mr. Smith spoke."]),
    ],
)
def test_sentences_respect_abbreviations(lang, text, expected):
    assert split_sentences(text, lang) == expected


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc Xyz.!? 19. Dr. Nr. \u00e9\u00fc")), max_size=300), st.sampled_from(["de", "fr", "en"]))
def test_joined_sentences_give_back_the_paragraph(text, lang):
    sentences = split_sentences(text, lang)
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "").strip()


def test_binary_and_empty_files_are_refused_with_the_file_name(tmp_path):
    (tmp_path / "foto.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # an image cut short
    (tmp_path / "daten.bin").write_bytes(b"\x00\x01\x02\x03 Daten")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\x00\x01\x02")  # a PDF cut short
    (tmp_path / "empty.txt").write_text("  \n\n")
    with pytest.raises(SourceError, match=r"foto\.png: is a damaged or truncated image"):
        prepare_document(tmp_path / "foto.png", tmp_path, tmp_path / "work")
    with pytest.raises(SourceError, match=r"daten\.bin: contains NUL bytes"):
        prepare_document(tmp_path / "daten.bin", tmp_path, tmp_path / "work")
    with pytest.raises(SourceError, match=r"scan\.pdf: is a damaged or truncated PDF"):
        prepare_document(tmp_path / "scan.pdf", tmp_path, tmp_path / "work")
    with pytest.raises(SourceError, match=r"empty\.txt: has no body text"):
        prepare_document(tmp_path / "empty.txt", tmp_path, tmp_path / "work")


def test_latin1_german_is_decoded_and_the_encoding_recorded(tmp_path):
    text = (CORPUS / "003_e4b81f133e3b5870.txt").read_text(encoding="utf-8")
    path = tmp_path / "bericht.txt"
    path.write_bytes(text.replace("„", '"').replace("“", '"').encode("cp1252"))
    doc = prepare_document(path, tmp_path, tmp_path / "work")
    assert doc.language == "de"
    assert "Ständigen Ausschusses" in " ".join(s.text for s in doc.sentences())
    assert doc.encoding != "utf-8" and doc.metadata()["encoding"] == doc.encoding
    assert "Überprüfung" in " ".join(s.text for s in doc.sentences())


def test_segmentation_is_the_same_from_many_threads():
    from concurrent.futures import ThreadPoolExecutor

    paragraphs = [line for path in sorted(CORPUS.iterdir()) for line in path.read_text().splitlines() if len(line) > 200]
    alone = [split_sentences(p, "en") for p in paragraphs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            assert list(pool.map(lambda p: split_sentences(p, "en"), paragraphs)) == alone


def test_a_sentence_longer_than_the_limit_becomes_pieces_cut_at_clauses():
    from reportmt.segment import MAX_SENTENCE_WORDS

    unpunctuated = " ".join(f"Wort{i}" for i in range(6000))  # one "sentence" of 6,000 words
    pieces = split_sentences(unpunctuated, "de")
    assert len(pieces) == 60 and all(len(p.split()) == MAX_SENTENCE_WORDS for p in pieces)
    assert " ".join(pieces) == unpunctuated and split_sentences(unpunctuated, "de") == pieces  # nothing lost, always the same

    words = [f"w{i}" for i in range(250)]
    words[64] += ";"  # the strongest boundary in reach of the first cut, though a comma comes later
    words[84] += ","
    words[150] = "and"  # the second piece ends before the conjunction
    clauses = split_sentences(" ".join(words), "en")
    assert [len(p.split()) for p in clauses] == [65, 85, 100]
    assert clauses[0].endswith("w64;") and clauses[2].startswith("and w151")
    short = "Der Ausschuss tagte am Montag, und er beschloss den Haushalt."
    assert split_sentences(short, "de") == [short]
