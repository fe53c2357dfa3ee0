"""Web pages: trafilatura finds the article (navigation, cookie banners, share widgets,
related links, comments and footers are left out) and its metadata. A line break (<br>)
never glues two words: a paragraph whose lines each end a sentence is a block per line,
any other is one block with its lines joined by a space. The date is the one the page's
metadata states (see _published), never a date met in the text."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from ..sources import SourceError
from .blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Block, Extracted, clean_text

_KINDS = {"head": HEADING, "p": PARAGRAPH, "item": LIST_ITEM, "cell": TABLE_CELL, "quote": PARAGRAPH, "code": PARAGRAPH}
_METADATA = ("title", "author", "sitename", "url")
_LINE_BREAK = "\u2028"  # stands for trafilatura's <lb/> while the text is gathered
_NESTED = ("list", "table")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
# Where pages state when they were published, most specific first.
_DATE_META = (("property", "article:published_time"), ("property", "og:published_time"), ("itemprop", "datepublished"),
              ("name", "date"), ("name", "dc.date"), ("name", "dc.date.issued"), ("name", "dcterms.date"),
              ("name", "dcterms.created"), ("name", "pubdate"), ("name", "publishdate"))


def read(path: Path, doc_id: str) -> Extracted:
    import trafilatura

    page = path.read_bytes()
    extracted = trafilatura.extract(page, output_format="xml", include_comments=False, include_tables=True,
                                    include_formatting=False, with_metadata=True)
    if not extracted:
        raise SourceError(doc_id, "is a web page without article text (only navigation, or an empty page)",
                          "save the page again once its article has loaded, or remove the file")
    document = etree.fromstring(extracted.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    main = document.find("main")
    blocks = _walk(main) if main is not None else []
    metadata = {key: document.get(key) for key in _METADATA if document.get(key)}
    if date := _published(page):
        metadata["date"] = date
    return Extracted(blocks, metadata=metadata)


def _walk(element) -> list[Block]:
    """The blocks inside ``element`` in order, each text once: a list or table nested in
    an item or a cell is read after it, a quote holding paragraphs through them."""
    blocks = []
    for child in element:
        kind = _KINDS.get(child.tag)
        if kind is None or (child.tag == "quote" and child.find(".//p") is not None):
            blocks += _walk(child)
        else:
            blocks += _blocks(child, kind)
            for nested in _nested(child):
                blocks += _walk(nested)
    return blocks


def _blocks(element, kind: str) -> list[Block]:
    """The element's block, or a block per line when it is a paragraph whose <br> lines
    each end a sentence."""
    lines = [line for line in (clean_text(text) for text in _text(element).split(_LINE_BREAK)) if line]
    if kind == PARAGRAPH and len(lines) > 1 and all(_SENTENCE_END.search(line) for line in lines):
        return [Block(kind, line) for line in lines]
    return [Block(kind, " ".join(lines))] if lines else []


def _text(element) -> str:
    """The element's own text, a line break at each <lb/> and around each paragraph in it
    (a cell's); nested lists and tables are blocks of their own."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append(_LINE_BREAK)
        elif child.tag in ("p", "head"):
            parts += [_LINE_BREAK, _text(child), _LINE_BREAK]
        elif child.tag not in _NESTED:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _nested(element) -> list:
    """The outermost lists and tables inside ``element``."""
    return [found for child in element for found in ([child] if child.tag in _NESTED else _nested(child))]


def _published(page: bytes) -> str | None:
    """The publication date (YYYY-MM-DD) the page's metadata states: its meta tags, else a
    <time datetime> in a header; None when it states none."""
    try:
        tree = lxml_html.fromstring(page)
    except (etree.ParserError, ValueError):
        return None
    metas = {(attribute, (meta.get(attribute) or "").strip().lower()): meta.get("content") or ""
             for meta in tree.iter("meta") for attribute in ("property", "name", "itemprop") if meta.get(attribute)}
    stated = [metas[key] for key in _DATE_META if key in metas]
    stated += [time.get("datetime") for time in tree.xpath("//header//time[@datetime]")]
    for value in stated:
        try:
            return datetime.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            continue
    return None
