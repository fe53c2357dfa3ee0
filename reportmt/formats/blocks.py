"""What a reader gives: the body in blocks, the layout furniture, the file's own metadata."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..furniture import FurnitureItem

HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL, CAPTION, FOOTNOTE = (
    "heading", "paragraph", "list_item", "table_cell", "caption", "footnote")
SOFT_HYPHEN = "\u00ad"


@dataclass(frozen=True)
class Block:
    kind: str  # heading, paragraph, list_item, table_cell, caption, footnote (and endnote): see the constants above
    text: str
    page: int | None = None  # 1-based, for formats with pages (PDF)


@dataclass(frozen=True)
class Place:
    """Where a sentence stands in its document: the kind of its block (a text file's lines
    are paragraphs) and its page (PDF)."""

    block: str = PARAGRAPH
    page: int | None = None
    flags: tuple[str, ...] = ()  # QA flags every record from here carries (reportmt.qa.flags: a poorly read scan)


@dataclass
class Extracted:
    blocks: Iterable[Block]  # may be read as it is consumed (a PDF, page by page)
    furniture: list[FurnitureItem] = field(default_factory=list)  # page headers, footers, numbers
    metadata: dict = field(default_factory=dict)  # title, author, date, site, url: what the file says
    pages: int | None = None  # for formats with pages (PDF, scans)
    page_flags: dict[int, tuple[str, ...]] = field(default_factory=dict)  # page -> flags of its records, noted as it is read


def clean_text(text: str) -> str:
    """Text as the author wrote it: soft hyphens out, any run of whitespace one space."""
    return " ".join(text.replace(SOFT_HYPHEN, "").split())


# Paragraph styles that make a heading or a caption, as Word, LibreOffice and their German
# and French versions name them (style names, or Word's style ids, which drop spaces and accents).
_HEADING_STYLES = ("heading", "title", "subtitle", "berschrift", "titel", "titre", "sous-titre")
_CAPTION_STYLES = frozenset({"caption", "beschriftung", "légende", "lgende", "table", "figure", "illustration", "drawing",
                             "abbildung", "tabelle", "zeichnung"})


def style_kind(style: str) -> str | None:
    """HEADING or CAPTION for a paragraph of that style name, else None."""
    name = style.strip().lower()
    if name.startswith(_HEADING_STYLES):
        return HEADING
    return CAPTION if name in _CAPTION_STYLES else None
