"""OpenDocument text (ODT) through odfpy: headings, paragraphs, list items and table cells
in order; a frame's or shape's paragraphs (a text box) as blocks of their own after the
paragraph they are anchored in; tracked deletions and comments left out.

Footnotes, then endnotes (``text:note-body``), are FOOTNOTE blocks after the whole body,
in the order the body refers to them, and their citation marks are not text: a note set
between the body's blocks would cut the table or list it is referred from in two, so at
the end every body block and every note reads whole. A table of contents is
furniture of the kind ``contents``, its lines without page numbers, and no block. Headers and footers
(default, left pages, first page) are layout furniture."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..furniture import FurnitureItem
from ..sources import SourceError
from .blocks import (
    FOOTNOTE,
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    TABLE_CELL,
    Block,
    Extracted,
    clean_text,
    style_kind,
)

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
# Not the body's text: comments, and the deleted text of tracked changes.
_NOT_TEXT = frozenset({(_TEXT, "tracked-changes"), (_OFFICE, "annotation")})
_FURNITURE = {(_STYLE, name): f"page_{name.split('-')[0]}"
              for name in ("header", "header-left", "header-first", "footer", "footer-left", "footer-first")}
_PAGE_NUMBER = re.compile(r"\t\s*(\d+|[ivxlcdm]+)\s*$", re.IGNORECASE)


def read(path: Path, doc_id: str) -> Extracted:
    from odf.opendocument import load

    try:
        document = load(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SourceError(doc_id, f"is a damaged OpenDocument file ({exc})", "open it in LibreOffice and save it again") from exc
    body = _Body(styles=_parent_styles(document))
    body.read(document.text, PARAGRAPH)
    body.read_notes()
    furniture: dict[FurnitureItem, None] = {}
    for master in _elements(document.masterstyles):
        for node in _elements(master):
            if kind := _FURNITURE.get(node.qname):
                found = _Body()
                found.read(node, PARAGRAPH)
                furniture.update(dict.fromkeys(FurnitureItem(kind, block.text, 0) for block in found.blocks))
    metadata: dict = {}
    for node in _elements(document.meta):  # a pretty-printed file has text between them
        name = node.qname[1]
        if name in ("title", "creator", "date") and str(node):
            metadata["author" if name == "creator" else name] = str(node)
    contents = [FurnitureItem("contents", entry, 0) for entry in body.toc]
    return Extracted(body.blocks, contents + list(furniture), metadata)


@dataclass
class _Body:
    """One pass over a part in reading order: what it finds."""

    blocks: list[Block] = field(default_factory=list)
    toc: list[str] = field(default_factory=list)
    notes: list = field(default_factory=list)  # the text:note elements, as referred to
    in_notes: bool = False  # every block is a FOOTNOTE while the notes are read
    styles: dict[str, str] = field(default_factory=dict)  # automatic style -> the named style it is made from

    def read(self, node, kind: str) -> None:
        for child in _elements(node):
            name = child.qname
            if name in _NOT_TEXT:
                continue
            if name in ((_TEXT, "h"), (_TEXT, "p")):
                text = clean_text(self._text_of(child))
                if text:
                    self.blocks.append(Block(FOOTNOTE if self.in_notes else HEADING if name[1] == "h"
                                             else style_kind(self._style(child)) or kind, text))
                for shape in _shapes(child):
                    self.read(shape, PARAGRAPH)
            elif name == (_TEXT, "table-of-content"):
                self.toc += [entry for paragraph in _paragraphs(child)
                             if (entry := clean_text(_PAGE_NUMBER.sub("", self._text_of(paragraph, tab="\t"))))]
            elif name == (_TEXT, "list-item"):
                self.read(child, FOOTNOTE if self.in_notes else LIST_ITEM)
            elif name == (_TABLE, "table-cell"):
                self.read(child, FOOTNOTE if self.in_notes else TABLE_CELL)
            else:
                self.read(child, kind)

    def _style(self, paragraph) -> str:
        name = paragraph.getAttrNS(_TEXT, "style-name") or ""
        return self.styles.get(name, name).replace("_20_", " ")

    def read_notes(self) -> None:
        """The notes' bodies, footnotes first, as FOOTNOTE blocks."""
        self.in_notes = True
        for note_class in ("footnote", "endnote"):
            for note in [note for note in self.notes if (note.getAttrNS(_TEXT, "note-class") or "footnote") == note_class]:
                for body in _elements(note):
                    if body.qname == (_TEXT, "note-body"):
                        self.read(body, FOOTNOTE)

    def _text_of(self, node, tab: str = " ") -> str:
        """The text of a paragraph or a part of one: a note is kept for later (its citation
        is no text), a frame or shape is read after the paragraph."""
        parts = []
        for child in node.childNodes:
            if child.nodeType == child.TEXT_NODE:
                parts.append(child.data)
            elif child.qname == (_TEXT, "note"):
                self.notes.append(child)
            elif child.qname in ((_TEXT, "s"), (_TEXT, "tab"), (_TEXT, "line-break")):
                parts.append(tab if child.qname[1] == "tab" else " ")
            elif child.qname not in _NOT_TEXT and child.qname[0] != _DRAW:
                parts.append(self._text_of(child, tab))
        return "".join(parts)


def _parent_styles(document) -> dict[str, str]:
    """Each automatic paragraph style's named style ("P3" -> "Caption")."""
    return {style.getAttrNS(_STYLE, "name"): style.getAttrNS(_STYLE, "parent-style-name")
            for style in _elements(document.automaticstyles)
            if style.qname == (_STYLE, "style") and style.getAttrNS(_STYLE, "parent-style-name")}


def _shapes(node) -> list:
    """The frames and shapes anchored in a paragraph (not those inside them, nor in notes)."""
    found = []
    for child in _elements(node):
        if child.qname not in _NOT_TEXT and child.qname != (_TEXT, "note"):
            found += [child] if child.qname[0] == _DRAW else _shapes(child)
    return found


def _paragraphs(node) -> list:
    """The paragraphs and headings inside ``node``, in order."""
    return [found for child in _elements(node)
            for found in ([child] if child.qname in ((_TEXT, "p"), (_TEXT, "h")) else _paragraphs(child))]


def _elements(node) -> list:
    return [child for child in node.childNodes if child.nodeType == child.ELEMENT_NODE]
