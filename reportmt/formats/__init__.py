"""Reports as people have them: plain text, PDF (scanned pages too), DOCX, ODT, web pages
and page images, told apart by their bytes, not their names. Each format other than text
has a reader of its own (``read(path, doc_id) -> Extracted``; PDF and images also take how
scans are read, reportmt.formats.ocr): the body as blocks in reading order, the layout
furniture (running headers and footers, page numbers), and what the file says about itself
(title, author, date). Everything after reading (language, text furniture, sentences)
is the same for every format."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..furniture import FurnitureItem
from ..progress import Reading
from ..sources import (
    READ_LATER,
    ControlCharacters,
    SourceError,
    SourceInfo,
    file_sha256,
    file_stat,
    inspect_source,
    iter_lines,
)
from ..unread import UnreadKind
from .blocks import Block, Extracted, Place
from .detect import HTML, IMAGE, PDF, TEXT, detect_format
from .ocr import OcrCache, OcrJob, OcrUnavailable, find_engine


@dataclass
class OpenedSource:
    """A report ready to be read as numbered lines (for formats with blocks, a line is a
    block), whatever its format."""

    info: SourceInfo
    format: str  # text, pdf, docx, odt, html, image
    lines: Iterator[tuple[int, str]]
    places: dict[int, Place] = field(default_factory=dict)  # block number -> its kind and page (empty for text)
    layout: list[FurnitureItem] = field(default_factory=list)  # page headers, footers, numbers
    file_metadata: dict = field(default_factory=dict)  # what the file says of itself (title, author, date, url)


def open_source(path: Path, doc_id: str, reading: Reading | None, controls: ControlCharacters,
                ocr_cache: OcrCache | None = None) -> OpenedSource:
    """``reading`` hears the progress through the file: bytes, and pages where it has them.
    Scans are read by OCR where Tesseract and its language data are installed, their pages
    kept in ``ocr_cache``."""
    fmt = detect_format(path, doc_id)
    if fmt == TEXT:
        info = inspect_source(path, doc_id)
        return OpenedSource(info, fmt, iter_lines(info, reading.bytes_read if reading else None, controls))
    stat = file_stat(path)
    info = SourceInfo(path, doc_id, "binary", file_sha256(path), stat)
    if fmt in (PDF, IMAGE):
        engine = find_engine()
        job = OcrJob(engine, ocr_cache, info.sha256) if not isinstance(engine, OcrUnavailable) else engine
        extracted = reader(fmt)(path, doc_id, job)
    else:
        extracted = reader(fmt)(path, doc_id)
    places: dict[int, Place] = {}
    lines = _numbered(extracted, places, controls, path, doc_id, stat, reading)
    return OpenedSource(info, fmt, lines, places, extracted.furniture, extracted.metadata)


def _numbered(extracted: Extracted, places: dict[int, Place], controls: ControlCharacters, path: Path, doc_id: str,
              stat: list[int], reading: Reading | None) -> Iterator[tuple[int, str]]:
    """The blocks as numbered lines, each block's place noted as it passes (and the page
    reached, with the bytes of the pages before it); at the end, a file that changed while
    it was read is deferred (its hash would not be what was read)."""
    page = reported = 0
    for number, block in enumerate(extracted.blocks, start=1):
        places[number] = Place(block.kind, block.page, extracted.page_flags.get(block.page or 0, ()))
        if reading and extracted.pages and block.page and block.page > page:
            page = block.page
            done = stat[0] * (page - 1) // extracted.pages
            reading.bytes_read(done - reported)
            reported = done
            reading.page_reached(doc_id, page, extracted.pages)
        yield number, controls.clean(block.text)
    if file_stat(path) != stat:
        raise SourceError(doc_id, "changed while it was being read", READ_LATER, UnreadKind.DEFERRED)
    if reading:
        reading.bytes_read(stat[0] - reported)
        if extracted.pages:
            reading.page_reached(doc_id, None, extracted.pages)


def reader(fmt: str) -> Callable[..., Extracted]:
    """The reader of a format other than text (imported when first needed)."""
    if fmt == "pdf":
        from .pdf import read as read_pdf
        return read_pdf
    if fmt == "image":
        from .images import read as read_image
        return read_image
    if fmt == "docx":
        from .docx import read as read_docx
        return read_docx
    if fmt == "odt":
        from .odt import read as read_odt
        return read_odt
    from .html import read as read_html
    return read_html


__all__ = ["Block", "Extracted", "HTML", "IMAGE", "OcrCache", "Place", "OpenedSource", "TEXT", "detect_format", "open_source",
           "reader"]
