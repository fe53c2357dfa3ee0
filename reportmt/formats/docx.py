"""Word documents (DOCX) through python-docx: paragraphs, headings and list items in
order; tables cell by cell, each cell once with its own paragraphs (a nested table's cells
follow the cell that holds them); a text box's paragraphs once, as blocks of their own
after the paragraph it is anchored in (its mc:Fallback copy is not read); tracked changes
as the final text (insertions in, deletions out); comments are not body text.

Footnotes, then endnotes, are FOOTNOTE blocks after the whole body, in the order the body
refers to them, and their reference marks are not text: a note set between the body's
blocks would cut the table or list it is referred from in two, so at the end every body
block and every note reads whole. A table of contents (a TOC content control, the
paragraphs of a TOC field, TOC 1-9 styles) is furniture of the kind ``contents``, its lines without page
numbers, and no block. Headers and footers (default, first page, even pages) are layout
furniture; title, author and date are the package's core properties."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import PartFactory, XmlPart
from lxml import etree

from ..furniture import FurnitureItem
from ..sources import SourceError
from .blocks import (
    FOOTNOTE,
    LIST_ITEM,
    PARAGRAPH,
    TABLE_CELL,
    Block,
    Extracted,
    clean_text,
    style_kind,
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# python-docx keeps the notes as bytes; as XML parts, the English written into them is saved.
PartFactory.part_type_for[CT.WML_FOOTNOTES] = XmlPart
PartFactory.part_type_for[CT.WML_ENDNOTES] = XmlPart
_NOTES = (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES))
# What a paragraph holds, in document order: its text, its fields, its note references, its text boxes.
_INLINE = tuple(_W + tag for tag in ("t", "tab", "br", "noBreakHyphen", "fldChar", "instrText", "footnoteReference",
                                     "endnoteReference", "txbxContent"))
_TOC_STYLE = re.compile(r"(toc|contents|verzeichnis|tm) ?[1-9]")  # TOC 1-9 as Word (en, de, fr) and LibreOffice name them
_PAGE_NUMBER = re.compile(r"\t\s*(\d+|[ivxlcdm]+)\s*$", re.IGNORECASE)
# What python-docx makes up for a package without core properties, or its template holds: never an author's.
_PYTHON_DOCX = {"title": "Word Document", "author": "python-docx", "date": "2013-12-23 23:15:00+00:00"}


def read(path: Path, doc_id: str) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise SourceError(doc_id, f"is a damaged Word document ({exc})", "open it in Word or LibreOffice and save it again") from exc
    body = _read_body(document)
    contents = [FurnitureItem("contents", entry, 0) for entry in body.toc]
    return Extracted([block for block, _ in body.blocks], contents + _furniture(document), _core_metadata(document, path))


def body_blocks(document) -> list[tuple[Block, list]]:
    """The blocks ``read`` gives, in the same order (the body's, then the notes'), each with
    the w:p elements it was read from (the English edition writes its English into them)."""
    return _read_body(document).blocks


@dataclass
class _Body:
    """One pass over a part in reading order: what it finds, and where it stands."""

    blocks: list[tuple[Block, list]] = field(default_factory=list)
    toc: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (footnote or endnote, its id) as referred to
    fields: list[str] = field(default_factory=list)  # the instructions of the fields open here
    kind: str | None = None  # every block's kind (FOOTNOTE) while the notes are read

    def read(self, element, in_toc_control: bool = False) -> None:
        """A block-level element: a paragraph, a table, a content control or custom XML around them."""
        if element.tag == f"{_W}p":
            self._paragraph(element, in_toc_control)
        elif element.tag == f"{_W}tbl":
            self._table(element)
        elif element.tag == f"{_W}sdt":
            in_toc_control = in_toc_control or _is_toc_control(element)
            for content in element.findall(f"{_W}sdtContent"):
                for child in content:
                    self.read(child, in_toc_control)
        elif element.tag == f"{_W}customXml":
            for child in element:
                self.read(child, in_toc_control)

    def read_notes(self, document) -> None:
        """The notes the body referred to, footnotes first, each once."""
        self.kind, done = FOOTNOTE, set()
        for name, reltype in _NOTES:
            try:
                part = document.part.part_related_by(reltype)
            except KeyError:
                continue
            notes = {note.get(f"{_W}id"): note for note in part.element.iterchildren(f"{_W}{name}")}
            for reference in self.notes:  # grows if a note refers to another
                if reference[0] == name and reference not in done and reference[1] in notes:
                    done.add(reference)
                    for child in notes[reference[1]]:
                        self.read(child)

    def _paragraph(self, paragraph, in_toc_control: bool) -> None:
        inline = _inline(paragraph)
        in_toc_field = self._follow_fields(inline)  # followed through every paragraph
        if in_toc_field or in_toc_control or _TOC_STYLE.fullmatch(_style(paragraph)):
            if entry := clean_text(_PAGE_NUMBER.sub("", _text(inline, tab="\t"))):
                self.toc.append(entry)
        elif text := clean_text(_text(inline)):
            self.blocks.append((Block(self.kind or _paragraph_kind(paragraph), text), [paragraph]))
        self._held(inline)

    def _table(self, table) -> None:
        for row in _within(table, f"{_W}tr"):
            for cell in _within(row, f"{_W}tc"):
                own = _within(cell, f"{_W}p")
                inline = [_inline(paragraph) for paragraph in own]
                if text := clean_text(" ".join(_text(nodes) for nodes in inline)):
                    self.blocks.append((Block(self.kind or TABLE_CELL, text), own))
                for nodes in inline:
                    self._held(nodes)
                for nested in _within(cell, f"{_W}tbl"):
                    self._table(nested)

    def _held(self, inline: list) -> None:
        """What a paragraph holds besides its text: the notes it refers to, and its text
        boxes, read after it."""
        for node in inline:
            if node.tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
                self.notes.append((node.tag[len(_W):-len("Reference")], node.get(f"{_W}id")))
            elif node.tag == f"{_W}txbxContent":
                for child in node:
                    self.read(child)

    def _follow_fields(self, inline: list) -> bool:
        """Whether a TOC field is open anywhere in the paragraph (its entries are the
        paragraphs from the field's start to its end); fields left open go on to the next."""
        in_toc = _toc_field(self.fields)
        for node in inline:
            if node.tag == f"{_W}instrText" and self.fields:
                self.fields[-1] += node.text or ""
            elif node.tag == f"{_W}fldChar" and node.get(f"{_W}fldCharType") == "begin":
                self.fields.append("")
            elif node.tag == f"{_W}fldChar" and node.get(f"{_W}fldCharType") == "end" and self.fields:
                self.fields.pop()
            in_toc = in_toc or _toc_field(self.fields)
        return in_toc


def _read_body(document) -> _Body:
    body = _Body()
    for element in document.element.body.iterchildren():
        body.read(element)
    body.read_notes(document)
    return body


def _furniture(document) -> list[FurnitureItem]:
    """The text of every section's own headers and footers, default, first page and even
    pages (a first section's first-page header is its own too), each text once."""
    items: dict[FurnitureItem, None] = {}
    for section in document.sections:
        for kind, parts in (("page_header", (section.header, section.first_page_header, section.even_page_header)),
                            ("page_footer", (section.footer, section.first_page_footer, section.even_page_footer))):
            for part in (part for part in parts if not part.is_linked_to_previous):
                found = _Body()
                for element in part._element.iterchildren():
                    found.read(element)
                items.update(dict.fromkeys(FurnitureItem(kind, block.text, 0) for block, _ in found.blocks))
    return list(items)


def _core_metadata(document, path: Path) -> dict:
    """Title, author and date from the core properties the package's relationship names,
    whatever the case of its type (LibreOffice writes ".../officedocument/2006/..." where
    python-docx looks for ".../package/2006/..."), else from docProps/core.xml itself."""
    from docx.opc.coreprops import CoreProperties
    from docx.oxml import parse_xml

    blobs = [rel.target_part.blob for rel in document.part.package.rels.values()
             if not rel.is_external and rel.reltype.lower().endswith("/metadata/core-properties")]
    if not blobs:
        with zipfile.ZipFile(path) as archive:
            blobs = [archive.read(name) for name in archive.namelist() if name == "docProps/core.xml"]
    try:
        element = parse_xml(blobs[0]) if blobs else None
    except etree.XMLSyntaxError:
        return {}  # the body reads without them
    if element is None or not element.tag.endswith("}coreProperties"):
        return {}
    properties = CoreProperties(element)
    found = {"title": properties.title, "author": properties.author, "date": str(properties.created or "")}
    return {key: value for key, value in found.items() if value and value != _PYTHON_DOCX[key]}


def write_text(paragraphs: list, text: str) -> None:
    """``text`` in place of the paragraphs' text, keeping their style and the first run's
    formatting; tracked deletions stay deleted, and text boxes keep theirs (each is a block)."""
    texts = [node for paragraph in paragraphs for node in _inline(paragraph) if node.tag == f"{_W}t"]
    for node in texts[1:]:
        node.text = ""
    if texts:
        texts[0].text = text
        texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def drop_text_box_copies(document) -> None:
    """The body's mc:Fallback copies of text boxes taken out (a Fallback is optional): the
    English is written into the mc:Choice text box, which Word and LibreOffice show, and
    the copy would keep the original's text."""
    for fallback in list(document.element.body.iter(f"{_MC}Fallback")):
        if _fallback_copy(fallback) and fallback.find(f".//{_W}txbxContent") is not None:
            fallback.getparent().remove(fallback)


def _inline(paragraph) -> list:
    """The _INLINE nodes of the paragraph itself: not those inside its text boxes (each
    text box is found as a whole), nor those of an mc:Fallback copy."""
    return [node for node in paragraph.iter(*_INLINE) if not _boxed(node, paragraph)]


def _boxed(node, paragraph) -> bool:
    for ancestor in node.iterancestors():
        if ancestor is paragraph:
            return False
        if ancestor.tag == f"{_W}txbxContent" or _fallback_copy(ancestor):
            return True
    return False


def _fallback_copy(element) -> bool:
    """An mc:Fallback beside its mc:Choice: the same content again, for older readers."""
    return element.tag == f"{_MC}Fallback" and element.getparent().find(f"{_MC}Choice") is not None


def _text(inline: list, tab: str = " ") -> str:
    """The final text: w:t inside insertions counts, deleted text is w:delText and does not."""
    parts = []
    for node in inline:
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif node.tag in (f"{_W}tab", f"{_W}br"):
            parts.append(tab if node.tag == f"{_W}tab" else " ")
    return "".join(parts)


def _within(element, tag: str) -> list:
    """The children with ``tag``, looking through content controls and custom XML around them."""
    found = []
    for child in element:
        if child.tag == tag:
            found.append(child)
        elif child.tag == f"{_W}customXml":
            found += _within(child, tag)
        elif child.tag == f"{_W}sdt":
            found += [inner for content in child.findall(f"{_W}sdtContent") for inner in _within(content, tag)]
    return found


def _is_toc_control(sdt) -> bool:
    gallery = sdt.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
    return gallery is not None and gallery.get(f"{_W}val") == "Table of Contents"


def _toc_field(instructions: list[str]) -> bool:
    return any(instruction.upper().split()[:1] == ["TOC"] for instruction in instructions)


def _style(paragraph) -> str:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return (style.get(f"{_W}val") or "").lower() if style is not None else ""


def _paragraph_kind(paragraph) -> str:
    name = _style(paragraph)
    if kind := style_kind(name):
        return kind
    if name.startswith(("list", "liste")) or paragraph.find(f"{_W}pPr/{_W}numPr") is not None:
        return LIST_ITEM
    return PARAGRAPH
