"""Where text stands on a page: a table of contents, two columns, table cells. Each
function sorts or marks a page's body lines (reportmt.formats.page_layout uses them)."""

from __future__ import annotations

import re
import statistics

from ..furniture import FurnitureItem
from .lines import Line, overlap

# An entry of a table of contents: its title, a leader of dots, and (in the line or standing apart) its page.
_TOC_LEADER = re.compile(r"^(?P<entry>.*?[^\s.…])\s*(?:(?:\.\s?){4,}|…{2,}|_{4,})\s*(?P<page>\d{1,4}|[ivxlc]{1,6})?$",
                         re.IGNORECASE)
_TOC_PAGE = re.compile(r"^(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
_TOC_TITLE = re.compile(r"^(?:Inhalt|Inhaltsverzeichnis|Inhaltsübersicht|Table des matières|Sommaire|"
                        r"(?:Table of )?Contents)$", re.IGNORECASE)
_ALNUM = re.compile(r"[^\W_]")
CAPTION_START = re.compile(r"^(?:Tabelle|Tab\.|Abbildung|Abb\.|Grafik|Table|Tableau|Figure|Fig\.|Graphique)\s*\d", re.IGNORECASE)


def without_contents(lines: list[Line], furniture: list[FurnitureItem]) -> list[Line]:
    """Entries of a table of contents (a dot leader to a page number, in the line or
    standing apart on its row) and their title leave the body for the furniture."""
    body: list[Line] = []
    skip: set[int] = set()
    for index, line in enumerate(lines):
        if id(line) in skip:
            continue
        match = _TOC_LEADER.match(line.text) if _has_leader(line.text) else None
        page = None if not match or match["page"] else next(
            (other for other in lines[index + 1:index + 3] if _TOC_PAGE.match(other.text) and overlap(other, line) > 0), None)
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


def in_columns(lines: list[Line], text_right: float) -> list[Line]:
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


def mark_cells(lines: list[Line]) -> None:
    """Lines that share their row (in their column) with another piece of text are table
    cells, each with a number of its own; a line under a cell, within its bounds and close
    below it, is the same cell's next line. A bullet standing apart is no cell. Rows are
    found in one pass down each column, so a page costs about its number of lines."""
    number = 0
    cells: list[Line] = []  # the latest line of each cell of the table going on
    for row in _rows([line for line in lines if has_words(line)]):
        if len(row) > 1:
            for piece in sorted(row, key=lambda piece: piece.left):
                number += 1
                piece.cell = number
            cells = [cell for cell in cells if cell.bottom > row[0].top - 2 * row[0].height] + row
            continue
        line = row[0]
        above = [] if CAPTION_START.match(line.text) else [
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
                overlap(other, line) > 0.5 * min(other.height, line.height) for other in row):
            row.append(line)
        else:
            rows.append([line])
    return rows


def has_words(line: Line) -> bool:
    return _ALNUM.search(line.text) is not None
