"""A PDF page's text layer as positioned lines, through PDFium (pypdfium2): one call for the
page's text, two for each line's box; a character's font size and weight only where they
decide something (a line's first character, a digit that may be a footnote's mark)."""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_left, bisect_right

import pypdfium2.raw as pdfium_c

from .blocks import SOFT_HYPHEN, clean_text
from .lines import Line

WORD_GAP = 1.0  # points: pieces of a line closer than this are one word (a change of font inside it)
COLUMN_GAP = 20.0  # points: pieces of a line further apart than this are cells or columns, not one line
BOLD_WEIGHT = 600
SUPERSCRIPT = 0.9  # a digit set smaller than the character before it, and raised, is a note's mark
# PDFium's character for a hyphen at a line end, soft or not (the line and the next come
# as one), and for a soft hyphen where no line breaks.
HYPHEN_MARK = "\ufffe"
# A footnote's mark in the text: up to three digits (or a star or dagger) right after a word
# or its punctuation, before a space or punctuation.
_MARK_RUN = re.compile(r"[\d*†‡]+")
_BEFORE_MARK = frozenset(".,;:!?)]»“”\"'")
_AFTER_MARK = frozenset(" \r\n.,;:!?)")

# left, bottom, right, top, baseline (points from the bottom left), font size, bold
_Box = tuple[float, float, float, float, float, float, bool]


def page_lines(page, number: int) -> list[Line]:
    """The page's text lines in PDFium's order, with their place on the page."""
    height = page.get_height() or 1.0
    textpage = page.get_textpage()
    try:
        lines: list[Line] = []
        for text, (left, bottom, right, top, baseline, size, bold) in _text_lines(textpage):
            line = Line(text.replace(SOFT_HYPHEN, "\x00"), 1 - top / height, 1 - bottom / height, height - baseline,
                        number, left, right, size, bold)
            if lines and _same_line(lines[-1], line):
                last = lines[-1]
                spaced = last.text[-1:].isspace() or text[:1].isspace() or line.left - last.right >= WORD_GAP
                last.text += (" " if spaced else "") + text
                last.right, last.top, last.bottom = line.right, min(last.top, line.top), max(last.bottom, line.bottom)
                last.size, last.bold = max(last.size, line.size), last.bold and line.bold
            else:
                lines.append(line)
    finally:
        textpage.close()
    for line in lines:
        line.text = clean_text(line.text)
    return [line for line in lines if line.text]


def _text_lines(textpage) -> list[tuple[str, _Box]]:
    """The page's text as PDFium lays it out, line by line, each with its box. A line whose
    pieces stand far apart (table cells, columns, a header's date and title) is cut at those
    gaps; a word PDFium carries over a hyphenated line end is cut there again, ending in "-"."""
    text = textpage.get_text_range()
    marks = _mark_candidates(text)
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
                lines += _pieces_apart(textpage, text, first, last, marks)
            elif rects:
                left, right = rects[0][0], rects[-1][2]
                bottom, top = min(rect[1] for rect in rects), max(rect[3] for rect in rects)
                lines.append((_without_marks(textpage, text, first, last, marks),
                              (left, bottom, right, top, *_start(textpage, first), _bold(textpage, first, last))))
        start += len(line) + 2  # the "\r\n" PDFium puts between lines counts as two characters
    return [(_hyphens_written(line), box) for line, box in lines]


def _mark_candidates(text: str) -> list[int]:
    """Where the page's text may have a footnote's mark (searched once a page: digits are few)."""
    found = []
    for match in _MARK_RUN.finditer(text):
        start, end = match.span()
        if (end - start <= 3 and start and (text[start - 1].isalpha() or text[start - 1] in _BEFORE_MARK)
                and (end == len(text) or text[end] in _AFTER_MARK)):
            found.append(start)
    return found


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


def _without_marks(textpage, text: str, first: int, last: int, marks: list[int]) -> str:
    """The characters ``first`` to ``last`` without footnote marks: digits set in a smaller
    font than the character before them (superscript), right after a word. ``marks``: where
    the page's text may have one."""
    piece = text[first:last + 1]
    if not marks:
        return piece
    cut = [at for at in marks[bisect_left(marks, first):bisect_right(marks, last)] if _superscript(textpage, at)]
    if not cut:
        return piece
    kept, at = [], first
    for start in cut:
        end = start
        while end <= last and (text[end].isdigit() or text[end] in "*†‡"):
            end += 1
        kept.append(text[at:start])
        at = end
    kept.append(text[at:last + 1])
    return "".join(kept)


def _superscript(textpage, index: int) -> bool:
    """The character is set smaller than the one before it, its foot above that one's baseline."""
    size, before = _font_size(textpage, index), _font_size(textpage, index - 1)
    if size >= SUPERSCRIPT * before:
        return False
    raised = textpage.get_charbox(index)[1] - _start(textpage, index - 1)[0]
    return raised > 0.2 * before


def _pieces_apart(textpage, text: str, first: int, last: int, marks: list[int]) -> list[tuple[str, _Box]]:
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
            lines.append((_without_marks(textpage, text, start + lead, end - trail, marks), _box(textpage, start + lead, end - trail)))
    return lines


def _box(textpage, first: int, last: int) -> _Box:
    """The box of the characters ``first`` to ``last`` from theirs, and the baseline, font
    size and weight they start with."""
    left, bottom_a, _, top_a = textpage.get_charbox(first)
    _, bottom_b, right, top_b = textpage.get_charbox(last)
    return left, min(bottom_a, bottom_b), right, max(top_a, top_b), *_start(textpage, first), _bold(textpage, first, last)


def _start(textpage, first: int) -> tuple[float, float]:
    """The baseline and the font size of the character ``first``."""
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, first, ctypes.byref(x), ctypes.byref(y))
    return y.value, _font_size(textpage, first)


def _font_size(textpage, index: int) -> float:
    return pdfium_c.FPDFText_GetFontSize(textpage.raw, index)


def _bold(textpage, first: int, last: int) -> bool:
    """The line's first and last characters are set in a bold font (by its weight, or by its
    name where the font does not say its weight)."""
    return _char_bold(textpage, first) and _char_bold(textpage, last)


def _char_bold(textpage, index: int) -> bool:
    weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index)
    if weight > 0:
        return weight >= BOLD_WEIGHT
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, len(name), ctypes.byref(flags))
    return b"bold" in name.value.lower() or b"black" in name.value.lower()


def _same_line(previous: Line, piece: Line) -> bool:
    """A piece of text right after the previous one on the same baseline band (a word in
    another font, a link), not a cell or column further along."""
    overlap = min(previous.bottom, piece.bottom) - max(previous.top, piece.top)
    return overlap > 0.5 * min(previous.height, piece.height) and 0 <= piece.left - previous.right < COLUMN_GAP
