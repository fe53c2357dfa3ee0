"""PDF through pypdfium2 (PDFium, the PDF engine of Chromium): the text layer line by line,
page by page, in bounded memory; a page that is only an image (a scan) is read by OCR
(reportmt.formats.ocr), so a PDF that mixes text pages and scanned pages reads each page
the right way. Both kinds of page are laid out by the same rules
(reportmt.formats.page_layout): running headers and footers, page numbers and tables of
contents are furniture, two columns are read one after the other, footnotes follow the
paragraph they interrupt, table cells stand alone. The title, author and date come from
the PDF's Info."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..sources import SourceError
from . import ocr
from .blocks import Extracted
from .lines import Line
from .page_layout import Layout, blocks, closing, sampled
from .pdf_text import page_lines

SCAN_CHARACTERS = 20  # a page with an image and fewer characters of text than this is a scan
SCAN_IMAGE_SHARE = 0.3  # ... and its images cover at least this share of the page
OCR_ACTION = "run OCR first (for example `ocrmypdf -l deu FILE.pdf FILE.pdf`), then put the result in its place"


def read(path: Path, doc_id: str, job: ocr.OcrJob | ocr.OcrUnavailable | None = None) -> Extracted:
    """The PDF's blocks as they are read, page by page: the first pages are
    read ahead to learn the running headers and footers, the usual line spacing and line
    height, and whether the text layer is text; then one page at a time (scans a few pages
    ahead, on every core). ``job``: how scanned pages are read (None: they are refused)."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise SourceError(doc_id, "is a password-protected PDF", "save an unprotected copy and put it in its place") from exc
        raise SourceError(doc_id, f"is a damaged or truncated PDF ({exc})", "replace it with a complete copy") from exc
    extracted = Extracted([], metadata=_info(document), pages=len(document))
    sample, pages = sampled(_pages(document, doc_id, job, extracted))
    if _looks_garbled(" ".join(line.text for page in sample for line in page)):
        document.close()
        raise SourceError(doc_id, "is a PDF whose text layer is not readable text (fonts without a Unicode map)", OCR_ACTION)
    empty = SourceError(doc_id, "is a PDF without any text", "remove it, or replace it with the report it should hold")
    extracted.blocks = closing(blocks(pages, Layout(sample), extracted.furniture), document.close, empty)
    return extracted


def _pages(document, doc_id: str, job: ocr.OcrJob | ocr.OcrUnavailable | None, extracted: Extracted) -> Iterator[list[Line]]:
    """Each page's lines in order: the text layer's, or the OCR's for a scanned page (scans
    are read a few pages ahead, so several are read at once)."""
    return ocr.in_order(_read_pages(document, doc_id, job), job, extracted)


def _read_pages(document, doc_id: str, job: ocr.OcrJob | ocr.OcrUnavailable | None) -> Iterator[list[Line] | ocr.PendingPage]:
    """Each page's text lines, or for a scan the page given to the OCR."""
    for index in range(len(document)):
        page = document[index]
        try:
            lines = page_lines(page, index + 1)
            if sum(len(line.text) for line in lines) < SCAN_CHARACTERS and _is_scan(page):
                if not isinstance(job, ocr.OcrJob):
                    raise _scan_refused(doc_id, index + 1, job)
                yield job.submit(index + 1, partial(_rendered, page))
            else:
                yield lines
        finally:
            page.close()


def _is_scan(page) -> bool:
    """An image covering much of the page (which has next to no text)."""
    width, height = page.get_size()
    covered = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        covered += max(0.0, right - left) * max(0.0, top - bottom)
    return covered >= SCAN_IMAGE_SHARE * width * height


def _rendered(page):
    """The page as a grey image at the OCR's resolution, told its resolution."""
    image = page.render(scale=ocr.DPI / 72, grayscale=True).to_pil()
    image.info["dpi"] = (ocr.DPI, ocr.DPI)
    return image


def _scan_refused(doc_id: str, number: int, unavailable: ocr.OcrUnavailable | None) -> SourceError:
    if unavailable is None:
        return SourceError(doc_id, f"is a PDF whose page {number} is a scan (an image without text)", OCR_ACTION)
    return SourceError(doc_id, f"has a scanned page ({number}) and cannot be read by OCR here: {unavailable.reason}",
                       unavailable.action)


def _info(document) -> dict:
    """Title, author and date from the PDF's Info, where it has them."""
    found = document.get_metadata_dict(skip_empty=True)
    metadata = {key: found[name].strip() for key, name in (("title", "Title"), ("author", "Author")) if found.get(name, "").strip()}
    created = found.get("CreationDate", "").removeprefix("D:")
    if len(created) >= 8 and created[:8].isdigit():
        metadata["date"] = f"{created[:4]}-{created[4:6]}-{created[6:8]}"
    return metadata


def _looks_garbled(text: str) -> bool:
    """Text from fonts without a Unicode map: mostly not letters, or letters no language has."""
    sample = text[:20000]
    letters = sum(c.isalpha() for c in sample)
    return len(sample) > 200 and (letters < 0.5 * len(sample.replace(" ", "")) or " " not in sample)

