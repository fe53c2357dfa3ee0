"""Scanned reports read by OCR (Tesseract): page images and image-only PDF pages, made here
with Pillow and reportlab, clean and degraded as scanners and copiers leave them."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from reportmt.documents import prepare_document
from reportmt.formats import ocr, reader
from reportmt.formats.ocr import OcrCache, OcrUnavailable
from reportmt.sources import SourceError

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
HEADER = "Landesamt für Verwaltung – Jahresbericht 2024"
PAGES = [
    ("Prüfung der Verwaltungsreform",
     ["Der Ausschuss für innere Angelegenheiten hat am Montag die Ergebnisse der Verwaltungsreform in allen zwölf "
      "Bezirken geprüft. Die Delegierten verlangten einen ausführlichen Bericht bis zum Ende des Jahres.",
      "Nach Angaben des Landesamts wurden mehr als dreihundert Verfahren eröffnet, von denen die meisten die "
      "Vergabe öffentlicher Aufträge betrafen. Der Vorsitzende forderte eine engere Zusammenarbeit mit den Gemeinden."]),
    ("Nächste Schritte",
     ["Die Kommission für Korruptionsbekämpfung legte einen Plan mit neun Maßnahmen vor, darunter regelmäßige "
      "Schulungen für Bedienstete. Mehrere Mitglieder äußerten Zweifel an der Finanzierung.",
      "Der Plan wurde schließlich mit großer Mehrheit angenommen und soll im Frühjahr in Kraft treten."]),
]
WORD = re.compile(r"\w+")
needs_tesseract = pytest.mark.skipif(isinstance(ocr.find_engine(), OcrUnavailable), reason="Tesseract's language data is not installed")


def _page(number: int, heading: str, paragraphs: list[str], degraded: bool = False) -> Image.Image:
    """An A4 page at 300 dpi: a running header, a heading, paragraphs (a word broken at a
    line end by a hyphen), a page number."""
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    small, body, large = (ImageFont.truetype(FONT, size) for size in (32, 42, 64))
    draw.text((200, 150), HEADER, font=small, fill=0)
    draw.text((200, 320), heading, font=large, fill=0)
    y = 460
    for paragraph in paragraphs:
        for line in _lines(paragraph):
            draw.text((200, y), line, font=body, fill=0)
            y += 62
        y += 50
    draw.text((1220, 3300), str(number), font=small, fill=0)
    if degraded:  # specks, blur, a slight rotation, strong JPEG compression
        noise = Image.effect_noise(image.size, 40).point(lambda v: 255 if v > 40 else 0)
        image = Image.composite(image, noise, noise).filter(ImageFilter.GaussianBlur(1.1)).rotate(1.3, fillcolor=255)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=35)
        image = Image.open(buffer)
    return image


def _lines(paragraph: str) -> list[str]:
    """The paragraph in lines of about 70 characters, "Verwaltungsreform" broken at a line end
    as a typesetter would ("Verwaltungs-" "reform")."""
    lines = [""]
    for word in paragraph.split():
        if word == "Verwaltungsreform" and len(lines[-1]) > 40:
            lines[-1] += " Verwaltungs-"
            lines.append("reform")
        elif len(lines[-1]) + len(word) > 70:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return lines


def _pages(degraded: bool = False) -> list[Image.Image]:
    return [_page(number, heading, paragraphs, degraded) for number, (heading, paragraphs) in enumerate(PAGES, start=1)]


def _recall(found: str) -> float:
    truth = Counter(WORD.findall(" ".join(h + " " + " ".join(p) for h, p in PAGES)))
    return sum((truth & Counter(WORD.findall(found))).values()) / sum(truth.values())


@needs_tesseract
def test_a_multi_page_tiff_reads_as_a_text_pdf_would(tmp_path):
    first, *rest = _pages()
    path = tmp_path / "scan.tif"
    first.save(path, save_all=True, append_images=rest, compression="tiff_lzw", dpi=(300, 300))
    extracted = reader("image")(path, path.name, ocr.OcrJob(ocr.find_engine(), None, "0" * 64))
    blocks = list(extracted.blocks)
    assert [(b.kind, b.text, b.page) for b in blocks] == [
        (kind, text, page) for page, (heading, paragraphs) in enumerate(PAGES, start=1)
        for kind, text in [("heading", heading)] + [("paragraph", p) for p in paragraphs]]
    header = [item for item in extracted.furniture if item.kind == "page_header"]
    assert [(i.text.replace("-", "–"), i.line) for i in header] == [(HEADER, 1), (HEADER, 2)]  # OCR reads "–" as "-"
    assert {item.kind for item in extracted.furniture} <= {"page_header", "page_number"}
    read = extracted.metadata["ocr"]
    assert read["engine"] == "tesseract" and read["languages"] == ["deu", "fra", "eng"] and read["version"]
    assert set(read["pages"]) == {"1", "2"} and all(confidence > 80 for confidence in read["pages"].values())


@needs_tesseract
def test_a_degraded_scan_keeps_its_words_and_an_unchanged_scan_is_never_read_again(tmp_path, monkeypatch):
    first, *rest = _pages(degraded=True)
    path = tmp_path / "kopie.pdf"
    first.save(path, save_all=True, append_images=rest, resolution=300)  # an image-only PDF, as a copier makes
    cache = OcrCache(tmp_path / "cache")
    document = prepare_document(path, tmp_path, tmp_path / "work", ocr_cache=cache)
    sentences = [s.text for s in document.sentences()]
    assert _recall(" ".join(sentences)) >= 0.95
    # scanned askew, each heading and paragraph is still one block
    assert [(s.place.block, s.paragraph) for s in document.sentences() if s.place.block == "heading"] == [("heading", 0), ("heading", 3)]
    assert len({s.paragraph for s in document.sentences()}) == 6
    assert document.format == "pdf" and document.language == "de"

    def read_again(*args):
        raise AssertionError("a cached page was read again")

    monkeypatch.setattr(ocr, "_recognize", read_again)
    again = prepare_document(path, tmp_path, tmp_path / "work", ocr_cache=cache)
    assert [s.text for s in again.sentences()] == sentences


@needs_tesseract
def test_a_pdf_of_text_pages_and_a_scanned_page_reads_each_page_its_way(tmp_path):
    path = tmp_path / "gemischt.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(48, 800, HEADER)  # the running header each page has
    pdf.setFont("Helvetica", 11)
    pdf.drawString(48, 700, "Der erste Teil des Berichts liegt als Text vor.")
    pdf.showPage()
    pdf.drawImage(ImageReader(_pages()[1]), 0, 0, *A4)  # the second page was scanned
    pdf.showPage()
    pdf.save()
    blocks = list(reader("pdf")(path, path.name, ocr.OcrJob(ocr.find_engine(), None, "0" * 64)).blocks)
    assert [(b.text, b.page) for b in blocks] == [("Der erste Teil des Berichts liegt als Text vor.", 1),
                                                  (PAGES[1][0], 2), (PAGES[1][1][0], 2), (PAGES[1][1][1], 2)]


@needs_tesseract
def test_a_page_read_with_low_confidence_flags_its_records_and_an_unreadable_page_is_named(tmp_path, monkeypatch):
    noise = Image.effect_noise((2480, 3508), 120).convert("L")
    path = tmp_path / "schlecht.tif"
    _pages()[0].save(path, save_all=True, append_images=[noise], dpi=(300, 300))
    monkeypatch.setattr(ocr, "LOW_CONFIDENCE", 101.0)  # every page is below it
    document = prepare_document(path, tmp_path, tmp_path / "work")
    flags = {s.place.flags for s in document.sentences()}
    assert len(flags) == 1 and re.fullmatch(r"ocr_low_confidence:page 1 \d+%", next(iter(flags))[0])
    assert document.file_metadata["ocr"]["unreadable_pages"] == [2]
    assert ocr.unreadable_note(document.doc_id, document.file_metadata) == (
        f"schlecht.tif: page 2 could not be read by OCR; {ocr.POOR_PAGE_ACTION}")


def test_without_language_data_a_scan_is_named_with_the_packages_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr("reportmt.formats.find_engine", lambda: OcrUnavailable("Tesseract's language data is not installed"))
    _page(1, *PAGES[0]).save(tmp_path / "scan.png")
    (tmp_path / "bericht.txt").write_text(" ".join(PAGES[0][1]), encoding="utf-8")
    with pytest.raises(SourceError) as refused:
        prepare_document(tmp_path / "scan.png", tmp_path, tmp_path / "work")
    assert "apt-get install tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-eng" in refused.value.action
    assert prepare_document(tmp_path / "bericht.txt", tmp_path, tmp_path / "work").sentence_count == 4
