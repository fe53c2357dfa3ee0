"""PDF through pypdfium2 (PDFium, the PDF engine of Chromium): the text layer line by line,
page by page, in bounded memory.

Lines are grouped into paragraphs by the space between them (wider than the document's
usual line spacing starts a paragraph), and a paragraph that runs on to the next page is
joined across the break. Lines repeated at the top or bottom of the pages (running headers
and footers, digits aside) and page numbers are layout furniture. A hyphen at a line's end
is undone when it only breaks a word ("Verwaltungs-" "reform"), kept when the text has it
("Bezirks- und Stadtkomitees", "Anti-" "Korruption")."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from ..furniture import FurnitureItem
from ..sources import SourceError
from .blocks import HEADING, LIST_ITEM, PARAGRAPH, SOFT_HYPHEN, Block, Extracted, clean_text

EDGE_SHARE = 0.12  # a running header or footer stands in the top or bottom 12% of the page
PARAGRAPH_GAP = 1.8  # a space between lines this many times the usual one starts a paragraph
HEADING_HEIGHT = 1.15  # lines this much taller than the usual ones are a heading
SAMPLE_PAGES = 8  # read ahead to learn the running headers, the line spacing and whether the text is text
WORD_GAP = 1.0  # points: pieces of a line closer than this are one word (a change of font inside it)
COLUMN_GAP = 20.0  # points: pieces of a line further apart than this are cells or columns, not one line
FULL_LINE = 0.85  # a line reaching this share of the page's widest line runs on: its paragraph goes on
_PAGE_NUMBER = re.compile(r"^(?:(?:Seite|Page|S\.|p\.)\s*)?\d{1,4}(?:\s*(?:/|von|of|sur)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$",
                          re.IGNORECASE)
_KEEP_HYPHEN_BEFORE = frozenset("und oder bis bzw sowie et ou and or to".split())
_SENTENCE_END = re.compile(r"[.!?:;…\"'”»)]$")
# A list item's mark: a bullet, or a private-use glyph that a symbol font draws as one.
_BULLET = re.compile(r"^[\u2022\u25e6\u25aa\u25cf\u2023\u2043\uf0a7\uf0b7\uf076\uf0d8\uf0fc]\s*")
OCR_ACTION = "run OCR first (for example `ocrmypdf -l deu FILE.pdf FILE.pdf`), then put the result in its place"


@dataclass
class _Line:
    text: str
    top: float  # 0 at the top of the page, 1 at its bottom
    bottom: float
    page: int
    left: float  # points from the page's left edge
    right: float
    full: bool = False  # reaches (almost) as far right as the page's widest line

    @property
    def height(self) -> float:
        return self.bottom - self.top


def read(path: Path, doc_id: str) -> Extracted:
    """The PDF's blocks as they are read, page by page: the first SAMPLE_PAGES pages are
    read ahead to learn the running headers and footers, the usual line spacing and line
    height, and whether the text layer is text; then one page at a time."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise SourceError(doc_id, "is a password-protected PDF", "save an unprotected copy and put it in its place") from exc
        raise SourceError(doc_id, f"is a damaged or truncated PDF ({exc})", "replace it with a complete copy") from exc
    pages = (_page_lines(document, index) for index in range(len(document)))
    sample = [page for _, page in zip(range(SAMPLE_PAGES), pages)]
    if _looks_garbled(" ".join(line.text for page in sample for line in page)):
        document.close()
        raise SourceError(doc_id, "is a PDF whose text layer is not readable text (fonts without a Unicode map)", OCR_ACTION)
    furniture: list[FurnitureItem] = []
    layout = _Layout(sample)
    return Extracted(_blocks(document, chain(sample, pages), layout, furniture, doc_id), furniture)


def _blocks(document, pages: Iterator[list[_Line]], layout: _Layout, furniture: list[FurnitureItem], doc_id: str
            ) -> Iterator[Block]:
    """Paragraphs as the pages come; the page furniture goes to ``furniture``."""
    held: list[_Line] = []
    seen_text = False
    try:
        for page in pages:
            seen_text = seen_text or bool(page)
            for line in layout.body(page, furniture):
                if held and layout.starts_block(held[-1], line):
                    if block := layout.block(held):
                        yield block
                    held = []
                held.append(line)
        if held and (block := layout.block(held)):
            yield block
    finally:
        document.close()
    if not seen_text:
        raise SourceError(doc_id, "is a PDF without a text layer (a scan)", OCR_ACTION)


def _page_lines(document, index: int) -> list[_Line]:
    """The page's text lines, top to bottom, with their place on the page (0 top, 1 bottom)."""
    page = document[index]
    try:
        height = page.get_height() or 1.0
        textpage = page.get_textpage()
        lines: list[_Line] = []
        for text, (left, bottom, right, top) in _text_lines(textpage):
            line = _Line(text.replace(SOFT_HYPHEN, "\x00"), 1 - top / height, 1 - bottom / height, index + 1, left, right)
            if lines and _same_line(lines[-1], line):
                last = lines[-1]
                spaced = last.text[-1:].isspace() or text[:1].isspace() or line.left - last.right >= WORD_GAP
                last.text += (" " if spaced else "") + text
                last.right, last.top, last.bottom = line.right, min(last.top, line.top), max(last.bottom, line.bottom)
            else:
                lines.append(line)
        textpage.close()
        widest = max((line.right for line in lines), default=0.0)
        for line in lines:
            line.text = clean_text(line.text)
            line.full = line.right >= FULL_LINE * widest
        return [line for line in lines if line.text]
    finally:
        page.close()


def _text_lines(textpage) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The page's text as PDFium lays it out, line by line, each with its box (left, bottom,
    right, top) from its first and last characters: one call for the text, two for each
    line's box (asking for the text of every rectangle costs twice as much)."""
    text = textpage.get_text_range()
    lines, start = [], 0
    for line in text.split("\r\n"):
        end = start + len(line)
        first = start + (len(line) - len(line.lstrip()))
        last = start + len(line.rstrip()) - 1
        if last >= first:
            pieces = textpage.count_rects(first, last - first + 1)
            rects = [textpage.get_rect(i) for i in range(pieces)] if pieces > 1 else []
            if any(b[0] - a[2] > COLUMN_GAP for a, b in zip(rects, rects[1:])):  # cells or columns: each on its own
                lines += [(textpage.get_text_bounded(*rect), rect) for rect in rects]
            else:
                left, bottom_a, _, top_a = textpage.get_charbox(first)
                _, bottom_b, right, top_b = textpage.get_charbox(last)
                lines.append((line, (left, min(bottom_a, bottom_b), right, max(top_a, top_b))))
        start = end + 2  # the "\r\n" PDFium puts between lines counts as two characters
    return lines


def _same_line(previous: _Line, piece: _Line) -> bool:
    """A piece of text right after the previous one on the same baseline band (a word in
    another font, a link), not a cell or column further along."""
    overlap = min(previous.bottom, piece.bottom) - max(previous.top, piece.top)
    return overlap > 0.5 * min(previous.height, piece.height) and 0 <= piece.left - previous.right < COLUMN_GAP


class _Layout:
    """What the sample pages teach about the document, applied to every page."""

    def __init__(self, sample: list[list[_Line]]):
        edges = Counter(_edge_key(line) for page in sample for line in _edge_lines(page))
        self.repeated = {text for text, count in edges.items() if count >= 2 and count >= len(sample) / 2}
        lines = [line for page in sample for line in page]
        gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if a.page == b.page and b.top > a.bottom]
        self.usual_gap = statistics.median(gaps) if gaps else 0.0
        self.usual_height = statistics.median(line.height for line in lines) if lines else 0.0

    def body(self, page: list[_Line], furniture: list[FurnitureItem]) -> list[_Line]:
        """The page without its running header and footer and its page number (those go to ``furniture``)."""
        edge = {id(line) for line in _edge_lines(page)}
        body = []
        for line in page:
            if id(line) in edge and _PAGE_NUMBER.match(line.text):
                furniture.append(FurnitureItem("page_number", line.text, line.page))
            elif id(line) in edge and _edge_key(line) in self.repeated:
                furniture.append(FurnitureItem("page_header" if line.top < 0.5 else "page_footer", line.text, line.page))
            else:
                body.append(line)
        return body

    def is_heading(self, line: _Line) -> bool:
        return bool(self.usual_height) and line.height > HEADING_HEIGHT * self.usual_height

    def starts_block(self, previous: _Line, line: _Line) -> bool:
        if self.is_heading(previous) != self.is_heading(line) or _BULLET.match(line.text):
            return True
        if line.page != previous.page:  # a paragraph runs on over the page break when its last line was full
            return not (previous.full or (line.text[:1].islower() and not _SENTENCE_END.search(previous.text)))
        gap = line.top - previous.bottom
        return gap < 0 or gap > max(PARAGRAPH_GAP * self.usual_gap, 0.004)  # side by side (table cells), or a wide space

    def block(self, lines: list[_Line]) -> Block | None:
        """The lines as one block; None for a lone rule or ornament."""
        kind = HEADING if self.is_heading(lines[0]) else LIST_ITEM if _BULLET.match(lines[0].text) else PARAGRAPH
        text = _joined([_BULLET.sub("", line.text) for line in lines])
        return Block(kind, text, lines[0].page) if any(c.isalnum() for c in text) else None


def _edge_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", line.text)


def _edge_lines(page: list[_Line]) -> list[_Line]:
    """The first and the last line of a page when they stand near its edge."""
    return [line for line in page[:1] if line.bottom <= EDGE_SHARE] + [line for line in page[-1:] if line.top >= 1 - EDGE_SHARE]


def _joined(texts: list[str]) -> str:
    joined = texts[0]
    for text in texts[1:]:
        joined = _join(joined, text)
    return clean_text(joined.replace("\x00", ""))


def _join(left: str, right: str) -> str:
    """Two lines of one paragraph: a line-end hyphen that only breaks a word is undone."""
    if left.endswith("\x00"):  # a soft hyphen: always a break
        return left[:-1] + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        following = right.split(" ", 1)[0].lower().strip(",.;")
        if following in _KEEP_HYPHEN_BEFORE:
            return f"{left} {right}"  # "Bezirks- und Stadtkomitees"
        if right[:1].islower():
            return left[:-1] + right  # "Verwaltungs-" "reform"
        return left + right  # "Anti-" "Korruption"
    return f"{left} {right}"


def _looks_garbled(text: str) -> bool:
    """Text from fonts without a Unicode map: mostly not letters, or letters no language has."""
    sample = text[:20000]
    letters = sum(c.isalpha() for c in sample)
    return len(sample) > 200 and (letters < 0.5 * len(sample.replace(" ", "")) or " " not in sample)
