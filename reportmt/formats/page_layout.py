"""Pages of positioned lines made into blocks: what a PDF's text layer and a scan read by
OCR have in common, so both give the same kinds of blocks by the same rules.

Each page is sorted first (``Layout.arrange``): running headers, footers and page numbers
go to the furniture, table-of-contents entries too; footnotes at the foot of the page are
taken apart; a page set in two columns is read column by column; lines that stand beside
others on their row are table cells. Then ``blocks`` joins lines into paragraphs: a
paragraph goes on across a column break and a page break when its last line was full, a
footnote is given after the paragraph it interrupted, a table cell stands alone."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from ..furniture import FurnitureItem
from .blocks import CAPTION, FOOTNOTE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Block
from .line_joins import joined
from .lines import Line, overlap
from .page_regions import CAPTION_START, in_columns, mark_cells, without_contents

SAMPLE_PAGES = 8  # read ahead to learn the running headers, the line spacing and sizes
EDGE_SHARE = 0.12  # a running header or footer stands in the top or bottom 12% of the page
PARAGRAPH_PITCH = 1.3  # a line this many times the usual distance below the previous one starts a paragraph
SIZE_TOLERANCE = 0.08  # sizes this close are one size
HEADING_SIZE = 1.15  # lines in a font this much larger than the usual one are a heading
FOOTNOTE_SIZE = 0.92  # footnotes are set smaller than the body
LONG_LINE = 0.6  # a line reaching this share, not ending a sentence, goes on after a column or page break
HEADING_WORDS = 15  # a bold line of more words is emphasis, not a heading
_PAGE_NUMBER = re.compile(r"^(?:(?:Seite|Page|S\.|p\.)\s*)?\d{1,4}(?:\s*(?:/|von|of|sur)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$",
                          re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;…\"'”»)]$")
_FULL_STOP = re.compile(r"[.!?…]$")
# A list item's mark: a bullet, or a private-use glyph that a symbol font draws as one.
_BULLET = re.compile(r"^[\u2022\u25e6\u25aa\u25cf\u2023\u2043\uf0a7\uf0b7\uf076\uf0d8\uf0fc]\s*")
# A numbered list item's start: "1.", "2)", "a)", "iv." before its text (the number is kept: it is the author's).
_NUMBERED = re.compile(r"^(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+\S")
_FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|[*†‡]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\)?(?:\s+|(?=[^\W\d_]))")
_HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


@dataclass
class PageBody:
    """A page sorted: its body lines in reading order, and its footnotes (each a list of lines)."""

    lines: list[Line]
    footnotes: list[list[Line]] = field(default_factory=list)


class Layout:
    """What the sample pages teach about the document, applied to every page."""

    def __init__(self, sample: list[list[Line]]):
        edges = Counter(key for page in sample for key in {_edge_key(line) for line in _edge_lines(page)})
        self.repeated = {text for text, count in edges.items() if count >= 2 and count >= len(sample) / 2}
        self.one_page = len(sample) == 1
        lines = [line for page in sample for line in page]
        self.usual_size = statistics.median(line.size for line in lines) if lines else 0.0
        self.bold_body = sum(line.bold for line in lines) > len(lines) / 2
        # The distance between the lines of a paragraph: the shortest one seen at least twice
        # between lines of the usual size (in a report of one-line paragraphs, most
        # distances are between paragraphs).
        pitches = Counter(round(b.baseline - a.baseline) for a, b in zip(lines, lines[1:])
                          if a.page == b.page and b.top > a.bottom and self._usual(a) and self._usual(b))
        self.usual_pitch = min((pitch for pitch, seen in pitches.items() if seen > 1), default=max(pitches, default=0))
        self.hyphenated: set[str] = set()  # words the document writes with a hyphen inside a line ("anti-corruption")
        for line in lines:
            self.learn(line)
        # How far right the body usually reaches (a page of few lines says little of it).
        bodies = [body for body in (self._without_furniture(page, []) for page in sample) if body]
        self.text_right = statistics.median(max(line.right for line in body) for body in bodies) if bodies else 0.0

    def _usual(self, line: Line) -> bool:
        """In the body's font size (a scanned line's height varies a little with its letters)."""
        return abs(line.size - self.usual_size) <= SIZE_TOLERANCE * self.usual_size

    def learn(self, line: Line) -> None:
        if "-" in line.text:  # only the few words with a hyphen are looked at
            self.hyphenated.update(found.group().lower() for word in line.text.split() if "-" in word
                                   if (found := _HYPHENATED.search(word)))

    def arrange(self, page: list[Line], furniture: list[FurnitureItem]) -> PageBody:
        """The page in reading order, without its furniture and table of contents (both go
        to ``furniture``), its footnotes apart."""
        body = self._without_furniture(page, furniture)
        body = without_contents(body, furniture)
        body, footnotes = self._footnotes(body)
        body = in_columns(body, self.text_right)
        mark_cells(body)
        return PageBody(body, footnotes)

    def _without_furniture(self, page: list[Line], furniture: list[FurnitureItem]) -> list[Line]:
        edge = {id(line) for line in _edge_lines(page)}
        body = []
        for line in page:
            if id(line) in edge and _PAGE_NUMBER.match(line.text):
                furniture.append(FurnitureItem("page_number", line.text, line.page))
            elif id(line) in edge and (_edge_key(line) in self.repeated or self._lone_edge(line, page)):
                furniture.append(FurnitureItem("page_header" if line.top < 0.5 else "page_footer", line.text, line.page))
            else:
                body.append(line)
        return body

    def _lone_edge(self, line: Line, page: list[Line]) -> bool:
        """On a document of one page nothing repeats: a header or footer is an edge line set
        apart from the body by a wide space, in a font no larger than the body's, that is
        no sentence and not bold (a title or a small heading)."""
        if not self.one_page or line.bold or self.is_heading(line) or _FULL_STOP.search(line.text) or not self.usual_pitch:
            return False
        others = [other for other in page if other is not line]
        if line.top < 0.5:
            below = [other.baseline - line.baseline for other in others if other.top > line.bottom]
            return bool(below) and min(below) > 1.8 * self.usual_pitch
        above = [line.baseline - other.baseline for other in others if other.bottom < line.top]
        return bool(above) and min(above) > 1.8 * self.usual_pitch

    def _footnotes(self, lines: list[Line]) -> tuple[list[Line], list[list[Line]]]:
        """The lines under the last line of body size, in a smaller font, the first of them
        starting with a footnote's mark: each mark starts a footnote."""
        body_bottom = max((line.bottom for line in lines if not self._small(line)), default=None)
        if body_bottom is None:
            return lines, []
        foot = [line for line in lines if line.top >= body_bottom and self._small(line)]
        if not foot or not _FOOTNOTE_MARK.match(foot[0].text):
            return lines, []
        notes: list[list[Line]] = []
        for line in foot:
            if not notes or (_FOOTNOTE_MARK.match(line.text) and line.left <= notes[-1][0].left + 2):
                notes.append([])
            notes[-1].append(line)
        kept = {id(line) for line in foot}
        return [line for line in lines if id(line) not in kept], notes

    def _small(self, line: Line) -> bool:
        return bool(self.usual_size) and line.size < FOOTNOTE_SIZE * self.usual_size

    def is_heading(self, line: Line) -> bool:
        if not self.usual_size or line.cell:
            return False
        if line.size > HEADING_SIZE * self.usual_size:
            return True
        return (line.bold and not self.bold_body and not _SENTENCE_END.search(line.text)
                and len(line.text.split()) <= HEADING_WORDS)

    def starts_block(self, previous: Line, line: Line) -> bool:
        if previous.cell != line.cell or self.is_heading(previous) != self.is_heading(line) or _BULLET.match(line.text):
            return True
        if _NUMBERED.match(line.text) and (_SENTENCE_END.search(previous.text) or _NUMBERED.match(previous.text)
                                           or previous.reach < LONG_LINE):
            return True  # the next item of a numbered list (a long line goes on: "abgeschlossen am" "12. Mai")
        if line.page != previous.page or line.column_break:
            # A paragraph runs on over the break when its last line was full, broke a word,
            # or ended mid-sentence going on in lowercase or after a long line (ragged
            # right text, and German nouns, start in capitals).
            broken_word = previous.text.endswith("-") and previous.text[-2:-1].isalpha()
            mid_sentence = not _SENTENCE_END.search(previous.text) and (line.text[:1].islower() or previous.reach >= LONG_LINE)
            return not (previous.full or broken_word or mid_sentence)
        if line.cell:
            return False  # the next line of one cell
        if line.top < previous.bottom or line.baseline - previous.baseline > PARAGRAPH_PITCH * self.usual_pitch:
            return True  # side by side, or a wide space
        # A sentence that ends a short line ends its paragraph: when every paragraph is one
        # line, the space between paragraphs is the usual one.
        return not previous.full and bool(_SENTENCE_END.search(previous.text)) and not line.text[:1].islower()

    def block(self, lines: list[Line], kind: str | None = None) -> Block | None:
        """The lines as one block; None for a lone rule or ornament."""
        first = lines[0]
        if kind is None:
            kind = (TABLE_CELL if first.cell else HEADING if self.is_heading(first) else
                    LIST_ITEM if _BULLET.match(first.text) or _NUMBERED.match(first.text) else CAPTION if CAPTION_START.match(first.text) else PARAGRAPH)
        head = _FOOTNOTE_MARK.sub("", first.text, count=1) if kind == FOOTNOTE else _BULLET.sub("", first.text)
        text = joined([head] + [line.text for line in lines[1:]], self.hyphenated)
        return Block(kind, text, first.page) if any(c.isalnum() for c in text) else None


def blocks(pages: Iterator[list[Line]], layout: Layout, furniture: list[FurnitureItem]) -> Iterator[Block]:
    """Paragraphs as the pages come; a page's footnotes after the paragraph the page ends in."""
    held: list[Line] = []
    notes: list[list[Line]] = []
    for page in pages:
        arranged = layout.arrange(page, furniture)
        for line in arranged.lines:
            layout.learn(line)
            if held and layout.starts_block(held[-1], line):
                yield from _finished(layout, held, notes)
                held, notes = [], []
            held.append(line)
        notes += arranged.footnotes
    yield from _finished(layout, held, notes)


def sampled(pages: Iterator[list[Line]]) -> tuple[list[list[Line]], Iterator[list[Line]]]:
    """The first SAMPLE_PAGES pages, read ahead to learn the document's layout from, and
    every page from the first."""
    sample = list(islice(pages, SAMPLE_PAGES))
    return sample, chain(sample, pages)


def closing(found: Iterator[Block], close: Callable[[], None], empty: Exception) -> Iterator[Block]:
    """The blocks, ``close`` called after the last (or when reading stops); ``empty`` raised
    when there was none."""
    seen = False
    try:
        for block in found:
            seen = True
            yield block
    finally:
        close()
    if not seen:
        raise empty


def _finished(layout: Layout, held: list[Line], notes: list[list[Line]]) -> Iterator[Block]:
    for lines, kind in [(held, None)] + [(note, FOOTNOTE) for note in notes]:
        if lines and (block := layout.block(lines, kind)):
            yield block


def _edge_key(line: Line) -> str:
    """What repeats of a header or footer: its letters, digits as one mark (page numbers,
    dates), dashes and spaces aside (OCR reads a dash one way on a page, another way on the next)."""
    return re.sub(r"\d+", "#", re.sub(r"[\W_]+", "", line.text.lower()))


def _edge_lines(page: list[Line]) -> list[Line]:
    """The page's top row and bottom row of lines (a header's date and title side by side)
    when they stand near its edge, wherever they come in the text (Chromium prints its
    header and footer last)."""
    if not page:
        return []
    topmost = min(page, key=lambda line: line.top)
    lowest = max(page, key=lambda line: line.bottom)
    top = [line for line in page if topmost.bottom <= EDGE_SHARE and overlap(line, topmost) > 0]
    bottom = [line for line in page if lowest.top >= 1 - EDGE_SHARE and overlap(line, lowest) > 0]
    return top + [line for line in bottom if all(line is not other for other in top)]
