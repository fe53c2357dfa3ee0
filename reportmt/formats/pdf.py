"""PDF through pypdfium2 (PDFium, the PDF engine of Chromium): the text layer line by line,
page by page, in bounded memory.

Lines are grouped into paragraphs by the distance between their baselines (further than
the document's usual line distance starts a paragraph), and a paragraph that runs on to the
next page is joined across the break; lines in a larger font are headings. Lines repeated
at the top or bottom of the pages (running headers and footers, digits aside) and page
numbers are layout furniture. A hyphen at a line's end is undone when it only breaks a word
("Verwaltungs-" "reform"), kept when the text has it ("Bezirks- und Stadtkomitees",
"Anti-" "Korruption", and "anti-" "corruption" where the document writes "anti-corruption"
inside a line)."""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from ..furniture import FurnitureItem
from ..sources import SourceError
from .blocks import HEADING, LIST_ITEM, PARAGRAPH, SOFT_HYPHEN, Block, Extracted, clean_text

EDGE_SHARE = 0.12  # a running header or footer stands in the top or bottom 12% of the page
PARAGRAPH_PITCH = 1.3  # a line this many times the usual distance below the previous one starts a paragraph
HEADING_SIZE = 1.15  # lines in a font this much larger than the usual one are a heading
SAMPLE_PAGES = 8  # read ahead to learn the running headers, the line spacing and whether the text is text
WORD_GAP = 1.0  # points: pieces of a line closer than this are one word (a change of font inside it)
COLUMN_GAP = 20.0  # points: pieces of a line further apart than this are cells or columns, not one line
FULL_LINE = 0.85  # a line reaching this share of the page's widest line runs on: its paragraph goes on
_PAGE_NUMBER = re.compile(r"^(?:(?:Seite|Page|S\.|p\.)\s*)?\d{1,4}(?:\s*(?:/|von|of|sur)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$",
                          re.IGNORECASE)
_KEEP_HYPHEN_BEFORE = frozenset("und oder bis bzw sowie et ou and or to".split())
_HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
_ADDRESS = re.compile(r"://|^www\.|/|@")  # a web address or a path: its hyphens are characters, not breaks
_PUNCTUATION = ".,;:!?()[]\"'«»„“”‘’"
_SENTENCE_END = re.compile(r"[.!?:;…\"'”»)]$")
# A list item's mark: a bullet, or a private-use glyph that a symbol font draws as one.
_BULLET = re.compile(r"^[\u2022\u25e6\u25aa\u25cf\u2023\u2043\uf0a7\uf0b7\uf076\uf0d8\uf0fc]\s*")
# PDFium's character for a hyphen at a line end, soft or not (the line and the next come
# as one), and for a soft hyphen where no line breaks.
HYPHEN_MARK = "\ufffe"
OCR_ACTION = "run OCR first (for example `ocrmypdf -l deu FILE.pdf FILE.pdf`), then put the result in its place"


# left, bottom, right, top, baseline (points from the bottom left), font size
_Box = tuple[float, float, float, float, float, float]


@dataclass
class _Line:
    text: str
    top: float  # 0 at the top of the page, 1 at its bottom
    bottom: float
    baseline: float  # points from the top of the page to where its first character stands
    page: int
    left: float  # points from the page's left edge
    right: float
    size: float  # the font size of its first character
    full: bool = False  # reaches (almost) as far right as the page's widest line of body text

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
    return Extracted(_blocks(document, chain(sample, pages), layout, furniture, doc_id), furniture, pages=len(document))


def _blocks(document, pages: Iterator[list[_Line]], layout: _Layout, furniture: list[FurnitureItem], doc_id: str
            ) -> Iterator[Block]:
    """Paragraphs as the pages come; the page furniture goes to ``furniture``."""
    held: list[_Line] = []
    seen_text = False
    try:
        for page in pages:
            seen_text = seen_text or bool(page)
            for line in layout.body(page, furniture):
                layout.learn(line)
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
        for text, (left, bottom, right, top, baseline, size) in _text_lines(textpage):
            line = _Line(text.replace(SOFT_HYPHEN, "\x00"), 1 - top / height, 1 - bottom / height, height - baseline,
                         index + 1, left, right, size)
            if lines and _same_line(lines[-1], line):
                last = lines[-1]
                spaced = last.text[-1:].isspace() or text[:1].isspace() or line.left - last.right >= WORD_GAP
                last.text += (" " if spaced else "") + text
                last.right, last.top, last.bottom = line.right, min(last.top, line.top), max(last.bottom, line.bottom)
                last.size = max(last.size, line.size)
            else:
                lines.append(line)
        textpage.close()
        for line in lines:
            line.text = clean_text(line.text)
        return [line for line in lines if line.text]
    finally:
        page.close()


def _text_lines(textpage) -> list[tuple[str, _Box]]:
    """The page's text as PDFium lays it out, line by line, each with its box (left, bottom,
    right, top) from PDFium's rectangles: one call for the text, two for each line's box
    (asking for the text of every rectangle costs twice as much). A line whose
    pieces stand far apart (table cells, a header's date and title) is cut at those gaps;
    a word PDFium carries over a hyphenated line end is cut there again, ending in "-"."""
    text = textpage.get_text_range()
    lines, start = [], 0
    for line in text.split("\r\n"):
        for begin, end in _hyphen_breaks(textpage, text, start, start + len(line) - 1):
            piece = text[begin:end + 1]
            first, last = begin + len(piece) - len(piece.lstrip()), begin + len(piece.rstrip()) - 1
            if last < first:
                continue
            pieces = textpage.count_rects(first, last - first + 1)
            rects = [textpage.get_rect(i) for i in range(pieces)]
            if any(b[0] - a[2] > COLUMN_GAP for a, b in zip(rects, rects[1:])):
                lines += _pieces_apart(textpage, text, first, last)
            elif rects:
                left, right = rects[0][0], rects[-1][2]
                bottom, top = min(rect[1] for rect in rects), max(rect[3] for rect in rects)
                lines.append((text[first:last + 1], (left, bottom, right, top, *_start(textpage, first))))
        start += len(line) + 2  # the "\r\n" PDFium puts between lines counts as two characters
    return [(_hyphens_written(line), box) for line, box in lines]


def _hyphen_breaks(textpage, text: str, first: int, last: int) -> list[tuple[int, int]]:
    """The line cut after each HYPHEN_MARK whose next character stands lower (on the next
    line): PDFium gives a hyphenated line end so, as one line."""
    ranges, begin = [], first
    at = text.find(HYPHEN_MARK, first, last)
    while at != -1:
        if textpage.get_charbox(at + 1)[3] < textpage.get_charbox(at)[1]:  # the next character's top below the mark
            ranges.append((begin, at))
            begin = at + 1
        at = text.find(HYPHEN_MARK, at + 1, last)
    return ranges + [(begin, last)]


def _hyphens_written(line: str) -> str:
    """The mark at a line end is the hyphen printed there; anywhere else, an unbroken soft
    hyphen (nothing). Chromium prints a soft hyphen's break as U+2010."""
    if line.endswith((HYPHEN_MARK, "\u2010")):
        line = line[:-1] + "-"
    return line.replace(HYPHEN_MARK, "")


def _pieces_apart(textpage, text: str, first: int, last: int) -> list[tuple[str, _Box]]:
    """The line cut where the space between two characters is wider than COLUMN_GAP."""
    pieces, piece_start, previous_right = [], first, None
    for index in range(first, last + 1):
        if text[index].isspace():
            continue
        left, _, right, _ = textpage.get_charbox(index)
        if previous_right is not None and left - previous_right > COLUMN_GAP:
            pieces.append((piece_start, index - 1))
            piece_start = index
        previous_right = right
    pieces.append((piece_start, last))
    lines = []
    for start, end in pieces:
        piece = text[start:end + 1]
        lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
        if piece.strip():
            lines.append((piece.strip(), _box(textpage, start + lead, end - trail)))
    return lines


def _box(textpage, first: int, last: int) -> _Box:
    """The box of the characters ``first`` to ``last`` from theirs, and the baseline and font
    size they start with."""
    left, bottom_a, _, top_a = textpage.get_charbox(first)
    _, bottom_b, right, top_b = textpage.get_charbox(last)
    return left, min(bottom_a, bottom_b), right, max(top_a, top_b), *_start(textpage, first)


def _start(textpage, first: int) -> tuple[float, float]:
    """The baseline and the font size of the character ``first``."""
    import pypdfium2.raw as pdfium_c

    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, first, ctypes.byref(x), ctypes.byref(y))
    return y.value, pdfium_c.FPDFText_GetFontSize(textpage.raw, first)


def _same_line(previous: _Line, piece: _Line) -> bool:
    """A piece of text right after the previous one on the same baseline band (a word in
    another font, a link), not a cell or column further along."""
    return _overlap(previous, piece) > 0.5 * min(previous.height, piece.height) and 0 <= piece.left - previous.right < COLUMN_GAP


class _Layout:
    """What the sample pages teach about the document, applied to every page."""

    def __init__(self, sample: list[list[_Line]]):
        edges = Counter(_edge_key(line) for page in sample for line in _edge_lines(page))
        self.repeated = {text for text, count in edges.items() if count >= 2 and count >= len(sample) / 2}
        lines = [line for page in sample for line in page]
        self.usual_size = statistics.median(line.size for line in lines) if lines else 0.0
        # The distance between the lines of a paragraph: the shortest one seen at least twice
        # between lines of the usual size (in a report of one-line paragraphs, most
        # distances are between paragraphs).
        pitches = Counter(round(b.baseline - a.baseline) for a, b in zip(lines, lines[1:])
                          if a.page == b.page and b.top > a.bottom and a.size == b.size == self.usual_size)
        self.usual_pitch = min((pitch for pitch, seen in pitches.items() if seen > 1), default=max(pitches, default=0))
        self.hyphenated: set[str] = set()  # words the document writes with a hyphen inside a line ("anti-corruption")
        for line in lines:
            self.learn(line)

    def learn(self, line: _Line) -> None:
        if "-" in line.text:
            self.hyphenated.update(word.lower() for word in _HYPHENATED.findall(line.text))

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
        widest = max((line.right for line in body), default=0.0)  # the body's (a page number may stand further right)
        for line in body:
            line.full = line.right >= FULL_LINE * widest
        return body

    def is_heading(self, line: _Line) -> bool:
        return bool(self.usual_size) and line.size > HEADING_SIZE * self.usual_size

    def starts_block(self, previous: _Line, line: _Line) -> bool:
        if self.is_heading(previous) != self.is_heading(line) or _BULLET.match(line.text):
            return True
        if line.page != previous.page:  # a paragraph runs on over the page break when its last line was full
            broken_word = previous.text.endswith("-") and previous.text[-2:-1].isalpha()
            return not (previous.full or broken_word or (line.text[:1].islower() and not _SENTENCE_END.search(previous.text)))
        if line.top < previous.bottom or line.baseline - previous.baseline > PARAGRAPH_PITCH * self.usual_pitch:
            return True  # side by side (table cells), or a wide space
        # A sentence that ends a short line ends its paragraph: when every paragraph is one
        # line, the space between paragraphs is the usual one.
        return not previous.full and bool(_SENTENCE_END.search(previous.text)) and not line.text[:1].islower()

    def block(self, lines: list[_Line]) -> Block | None:
        """The lines as one block; None for a lone rule or ornament."""
        kind = HEADING if self.is_heading(lines[0]) else LIST_ITEM if _BULLET.match(lines[0].text) else PARAGRAPH
        text = _joined([_BULLET.sub("", lines[0].text)] + [line.text for line in lines[1:]], self.hyphenated)  # a bullet starts a block
        return Block(kind, text, lines[0].page) if any(c.isalnum() for c in text) else None


def _edge_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", line.text)


def _edge_lines(page: list[_Line]) -> list[_Line]:
    """The page's top row and bottom row of lines (a header's date and title side by side)
    when they stand near its edge, wherever they come in the text (Chromium prints its
    header and footer last)."""
    if not page:
        return []
    topmost = min(page, key=lambda line: line.top)
    lowest = max(page, key=lambda line: line.bottom)
    top = [line for line in page if topmost.bottom <= EDGE_SHARE and _overlap(line, topmost) > 0]
    bottom = [line for line in page if lowest.top >= 1 - EDGE_SHARE and _overlap(line, lowest) > 0]
    return top + [line for line in bottom if all(line is not other for other in top)]


def _overlap(a: _Line, b: _Line) -> float:
    return min(a.bottom, b.bottom) - max(a.top, b.top)


def _joined(texts: list[str], hyphenated: AbstractSet[str]) -> str:
    joined = texts[0]
    for text in texts[1:]:
        joined = _join(joined, text, hyphenated)
    return clean_text(joined.replace("\x00", ""))


def _join(left: str, right: str, hyphenated: AbstractSet[str] = frozenset()) -> str:
    """Two lines of one paragraph: a line-end hyphen that only breaks a word is undone; one
    the word has where the document writes it inside a line (``hyphenated``) is kept."""
    if left.endswith("\x00"):  # a soft hyphen: always a break
        return left[:-1] + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        following = right.split(" ", 1)[0].lower().strip(",.;")
        if following in _KEEP_HYPHEN_BEFORE:
            return f"{left} {right}"  # "Bezirks- und Stadtkomitees"
        word = _word_across(left, right)
        if right[:1].islower() and word not in hyphenated and not _ADDRESS.search(word):
            return left[:-1] + right  # "Verwaltungs-" "reform"
        return left + right  # "Anti-" "Korruption"
    return f"{left} {right}"


def _word_across(left: str, right: str) -> str:
    """The hyphenated word a line end breaks, as the document would write it in one line."""
    return (left.rsplit(" ", 1)[-1] + right.split(" ", 1)[0]).strip(_PUNCTUATION).lower()



def _looks_garbled(text: str) -> bool:
    """Text from fonts without a Unicode map: mostly not letters, or letters no language has."""
    sample = text[:20000]
    letters = sum(c.isalpha() for c in sample)
    return len(sample) > 200 and (letters < 0.5 * len(sample.replace(" ", "")) or " " not in sample)
