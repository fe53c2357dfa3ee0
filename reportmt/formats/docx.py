"""Word documents (DOCX) through python-docx: paragraphs, headings and list items in
order, tables cell by cell; tracked changes as the final text (insertions in, deletions
out); comments are not body text. Headers and footers are layout furniture."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..furniture import FurnitureItem
from ..sources import SourceError
from .blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Block, Extracted, clean_text

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(path: Path, doc_id: str) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(doc_id, f"is a damaged Word document ({exc})", "open it in Word or LibreOffice and save it again") from exc
    blocks = [block for block, _ in body_blocks(document)]
    furniture = []
    for section in document.sections:
        for kind, part in (("page_header", section.header), ("page_footer", section.footer)):
            if not part.is_linked_to_previous:
                furniture += [FurnitureItem(kind, block.text, 0) for element in part._element.iterchildren()
                              for block, _ in _blocks(element)]
    properties = document.core_properties
    metadata = {key: str(value) for key, value in (("title", properties.title), ("author", properties.author),
                                                    ("date", properties.created)) if value}
    return Extracted(blocks, furniture, metadata)


def body_blocks(document) -> list[tuple[Block, list]]:
    """The body's blocks in reading order, each with the w:p elements it was read from (the
    English edition writes its English into them)."""
    return [found for element in document.element.body.iterchildren() for found in _blocks(element)]


def _blocks(element) -> list[tuple[Block, list]]:
    if element.tag == f"{_W}p":
        text = _paragraph_text(element)
        return [(Block(_paragraph_kind(element), text), [element])] if text else []
    if element.tag == f"{_W}tbl":
        cells = [list(cell.iter(f"{_W}p")) for cell in element.iter(f"{_W}tc")]
        return [(Block(TABLE_CELL, text), paragraphs) for paragraphs in cells
                if (text := clean_text(" ".join(_paragraph_text(p) for p in paragraphs)))]
    if element.tag == f"{_W}sdt":  # a content control: its content is body text
        return [found for content in element.iter(f"{_W}sdtContent") for child in content.iterchildren()
                for found in _blocks(child)]
    return []


def write_text(paragraphs: list, text: str) -> None:
    """``text`` in place of the paragraphs' text, keeping their style and the first run's
    formatting; tracked deletions stay deleted."""
    texts = [node for paragraph in paragraphs for node in paragraph.iter(f"{_W}t")]
    for node in texts[1:]:
        node.text = ""
    if texts:
        texts[0].text = text
        texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _paragraph_text(paragraph) -> str:
    """The final text: w:t inside insertions counts, deleted text is w:delText and does not."""
    parts = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}noBreakHyphen"):
        parts.append(node.text or "" if node.tag == f"{_W}t" else "-" if node.tag == f"{_W}noBreakHyphen" else " ")
    return clean_text("".join(parts))


def _paragraph_kind(paragraph) -> str:
    properties = paragraph.find(f"{_W}pPr")
    style = properties.find(f"{_W}pStyle") if properties is not None else None
    name = (style.get(f"{_W}val") or "").lower() if style is not None else ""
    if name.startswith(("heading", "title", "berschrift", "titre")):
        return HEADING
    if name.startswith(("list", "liste")) or (properties is not None and properties.find(f"{_W}numPr") is not None):
        return LIST_ITEM
    return PARAGRAPH
