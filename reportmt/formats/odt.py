"""OpenDocument text (ODT) through odfpy: headings, paragraphs, list items and table cells
in order; tracked deletions left out; headers and footers are layout furniture."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..furniture import FurnitureItem
from ..sources import SourceError
from .blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Block, Extracted, clean_text

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
# Not the sentence's text: footnotes, comments, and the deleted text of tracked changes.
_NOT_TEXT = frozenset({(_TEXT, "note"), (_TEXT, "tracked-changes"), (_OFFICE, "annotation")})


def read(path: Path, doc_id: str) -> Extracted:
    from odf.opendocument import load

    try:
        document = load(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SourceError(doc_id, f"is a damaged OpenDocument file ({exc})", "open it in LibreOffice and save it again") from exc
    blocks = _blocks(document.text, PARAGRAPH)
    furniture = []
    for master in document.masterstyles.childNodes:
        for node in master.childNodes:
            kind = {(_STYLE, "header"): "page_header", (_STYLE, "footer"): "page_footer"}.get(node.qname)
            if kind:
                furniture += [FurnitureItem(kind, block.text, 0) for block in _blocks(node, PARAGRAPH)]
    metadata = {}
    for node in document.meta.childNodes:
        name = node.qname[1]
        if name in ("title", "creator", "date") and str(node):
            metadata["author" if name == "creator" else name] = str(node)
    return Extracted(blocks, furniture, metadata)


def _blocks(node, kind: str) -> list[Block]:
    blocks = []
    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        name = child.qname
        if name in _NOT_TEXT:
            continue
        if name in ((_TEXT, "h"), (_TEXT, "p")):
            text = clean_text(_text_of(child))
            if text:
                blocks.append(Block(HEADING if name[1] == "h" else kind, text))
        elif name == (_TEXT, "list-item"):
            blocks += _blocks(child, LIST_ITEM)
        elif name == (_TABLE, "table-cell"):
            blocks += _blocks(child, TABLE_CELL)
        else:
            blocks += _blocks(child, kind)
    return blocks


def _text_of(node) -> str:
    parts = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(child.data)
        elif child.qname in ((_TEXT, "s"), (_TEXT, "tab"), (_TEXT, "line-break")):
            parts.append(" ")
        elif child.qname not in _NOT_TEXT:
            parts.append(_text_of(child))
    return "".join(parts)
