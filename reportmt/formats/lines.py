"""A line of text where it stands on its page: what a PDF's text layer and OCR both give
(reportmt.formats.pdf_text, reportmt.formats.ocr), and the page layout works on."""

from __future__ import annotations

from dataclasses import dataclass

FULL_LINE = 0.85  # a line reaching this share of its column's width runs on: its paragraph goes on


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


def overlap(a: Line, b: Line) -> float:
    return min(a.bottom, b.bottom) - max(a.top, b.top)
