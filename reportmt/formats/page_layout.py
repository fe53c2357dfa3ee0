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

SAMPLE_PAGES = 8  # read ahead to learn the running headers, the line spacing and sizes
EDGE_SHARE = 0.12  # a running header or footer stands in the top or bottom 12% of the page
PARAGRAPH_PITCH = 1.3  # a line this many times the usual distance below the previous one starts a paragraph
SIZE_TOLERANCE = 0.08  # sizes this close are one size
HEADING_SIZE = 1.15  # lines in a font this much larger than the usual one are a heading
FOOTNOTE_SIZE = 0.92  # footnotes are set smaller than the body
FULL_LINE = 0.85  # a line reaching this share of its column's width runs on: its paragraph goes on
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
# An entry of a table of contents: its title, a leader of dots, and (in the line or standing apart) its page.
_TOC_LEADER = re.compile(r"^(?P<entry>.*?[^\s.…])\s*(?:(?:\.\s?){4,}|…{2,}|_{4,})\s*(?P<page>\d{1,4}|[ivxlc]{1,6})?$",
                         re.IGNORECASE)
_TOC_PAGE = re.compile(r"^(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
_TOC_TITLE = re.compile(r"^(?:Inhalt|Inhaltsverzeichnis|Inhaltsübersicht|Table des matières|Sommaire|"
                        r"(?:Table of )?Contents)$", re.IGNORECASE)
_HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
_ALNUM = re.compile(r"[^\W_]")
_CAPTION = re.compile(r"^(?:Tabelle|Tab\.|Abbildung|Abb\.|Grafik|Table|Tableau|Figure|Fig\.|Graphique)\s*\d", re.IGNORECASE)


@dataclass
class Line:
    """A line of text where it stands on its page (points; ``top`` and ``bottom`` as shares
    of the page's height, 0 at the top)."""

    text: str
    top: float
    bottom: float
    baseline: float  # points from the top of the page to where its first character stands
    page: int
    left: float
    right: float
    size: float  # the font size of its first character (a scanned line: its height)
    bold: bool = False
    reach: float = 0.0  # how far right it reaches, as a share of its column's widest line
    column: int = 0  # 1, 2: the left or right column of a page set in two; 0: no columns, or spanning them
    column_break: bool = False  # the first line of a column after the first
    cell: int = 0  # > 0: the table cell it belongs to (the same number for a cell's lines)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def full(self) -> bool:
        """Reaches (almost) as far right as its column's widest line: its paragraph goes on."""
        return self.reach >= FULL_LINE


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
        body = _without_contents(body, furniture)
        body, footnotes = self._footnotes(body)
        body = _in_columns(body, self.text_right)
        _mark_cells(body)
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
                    LIST_ITEM if _BULLET.match(first.text) or _NUMBERED.match(first.text) else CAPTION if _CAPTION.match(first.text) else PARAGRAPH)
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


def _without_contents(lines: list[Line], furniture: list[FurnitureItem]) -> list[Line]:
    """Entries of a table of contents (a dot leader to a page number, in the line or
    standing apart on its row) and their title leave the body for the furniture."""
    body: list[Line] = []
    skip: set[int] = set()
    for index, line in enumerate(lines):
        if id(line) in skip:
            continue
        match = _TOC_LEADER.match(line.text) if _has_leader(line.text) else None
        page = None if not match or match["page"] else next(
            (other for other in lines[index + 1:index + 3] if _TOC_PAGE.match(other.text) and _overlap(other, line) > 0), None)
        if match and (match["page"] or page):
            if body and _TOC_TITLE.match(body[-1].text):
                furniture.append(FurnitureItem("contents", body.pop().text, line.page))
            furniture.append(FurnitureItem("contents", match["entry"], line.page))
            if page:
                skip.add(id(page))
        else:
            body.append(line)
    return body


def _has_leader(text: str) -> bool:
    """Cheaply: whether the line may hold a dot leader (most lines do not)."""
    return "...." in text or ". . . ." in text or "……" in text or "____" in text


def _in_columns(lines: list[Line], text_right: float) -> list[Line]:
    """The lines in reading order. A page with a gutter that lines stand on either side of,
    side by side, is read column by column in each stretch between lines that span the
    page; each line is full when it reaches across its own column."""
    gutter = _gutter(lines)
    if gutter is None:
        _mark_full(lines, text_right)
        return lines
    ordered: list[Line] = []
    stretch: list[Line] = []
    for line in sorted(lines, key=lambda line: line.top):
        if line.left < gutter < line.right:
            ordered += _column_by_column(stretch, gutter)
            _mark_full([line], text_right)
            ordered.append(line)
            stretch = []
        else:
            stretch.append(line)
    return ordered + _column_by_column(stretch, gutter)


def _column_by_column(lines: list[Line], gutter: float) -> list[Line]:
    left = [line for line in lines if line.right <= gutter]
    right = [line for line in lines if line.left >= gutter]
    for number, column in enumerate((left, right), start=1):
        _mark_full(column)
        for line in column:
            line.column = number
    if left and right:
        right[0].column_break = True
    return left + right


def _gutter(lines: list[Line]) -> float | None:
    """The x where the page's two columns meet: crossed by few lines, with at least four
    wide lines on each side standing at the same height."""
    if len(lines) < 8:
        return None
    page_left, page_right = min(line.left for line in lines), max(line.right for line in lines)
    width = page_right - page_left
    if sum(line.left > page_left + 0.3 * width for line in lines) < 4:
        return None  # no right column (the common page: ruled out in one pass)
    best: tuple[int, float] | None = None
    for step in range(31, 70):
        x = page_left + width * step / 100
        crossing = sum(line.left < x < line.right for line in lines)
        if best is None or crossing < best[0]:
            best = (crossing, x)
    if best is None or best[0] > len(lines) / 10:
        return None
    x = best[1]
    left = [line for line in lines if line.right <= x]
    right = [line for line in lines if line.left >= x]
    if len(left) < 4 or len(right) < 4:
        return None
    wide = statistics.median(line.right - line.left for line in left + right) > 0.3 * width
    side_by_side = min(line.top for line in right) < max(line.bottom for line in left)
    return x if wide and side_by_side else None


def _mark_full(lines: list[Line], text_right: float = 0.0) -> None:
    widest = max((line.right for line in lines), default=text_right)
    widest = max(widest, text_right)
    start = min((line.left for line in lines), default=0.0)
    for line in lines:
        line.reach = (line.right - start) / (widest - start) if widest > start else 1.0


def _mark_cells(lines: list[Line]) -> None:
    """Lines that share their row (in their column) with another piece of text are table
    cells, each with a number of its own; a line under a cell, within its bounds and close
    below it, is the same cell's next line. A bullet standing apart is no cell. Rows are
    found in one pass down each column, so a page costs about its number of lines."""
    number = 0
    cells: list[Line] = []  # the latest line of each cell of the table going on
    for row in _rows([line for line in lines if _has_words(line)]):
        if len(row) > 1:
            for piece in sorted(row, key=lambda piece: piece.left):
                number += 1
                piece.cell = number
            cells = [cell for cell in cells if cell.bottom > row[0].top - 2 * row[0].height] + row
            continue
        line = row[0]
        above = [] if _CAPTION.match(line.text) else [
            cell for cell in cells if cell.column == line.column and cell.bottom <= line.top
            and cell.left - 2 <= line.left and line.right <= cell.right + 40
            and line.top - cell.bottom < 1.5 * max(cell.height, line.height)]
        if above:
            cell = max(above, key=lambda cell: cell.bottom)
            line.cell = cell.cell
            cells = [other for other in cells if other is not cell] + [line]
        else:
            cells = []  # the table, if any, has ended


def _rows(lines: list[Line]) -> list[list[Line]]:
    """The lines in rows, top to bottom: lines of one column whose heights overlap by more
    than half share a row."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda line: (line.column, line.top)):
        row = rows[-1] if rows else []
        if row and row[0].column == line.column and any(
                _overlap(other, line) > 0.5 * min(other.height, line.height) for other in row):
            row.append(line)
        else:
            rows.append([line])
    return rows


def _has_words(line: Line) -> bool:
    return _ALNUM.search(line.text) is not None


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
    top = [line for line in page if topmost.bottom <= EDGE_SHARE and _overlap(line, topmost) > 0]
    bottom = [line for line in page if lowest.top >= 1 - EDGE_SHARE and _overlap(line, lowest) > 0]
    return top + [line for line in bottom if all(line is not other for other in top)]


def _overlap(a: Line, b: Line) -> float:
    return min(a.bottom, b.bottom) - max(a.top, b.top)
