"""Web pages: trafilatura finds the article (navigation, cookie banners, share widgets,
related links, comments and footers are left out) and its metadata."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..sources import SourceError
from .blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Block, Extracted, clean_text

_KINDS = {"head": HEADING, "p": PARAGRAPH, "item": LIST_ITEM, "cell": TABLE_CELL, "quote": PARAGRAPH, "code": PARAGRAPH}
_METADATA = ("title", "author", "date", "sitename", "url")


def read(path: Path, doc_id: str) -> Extracted:
    import trafilatura

    extracted = trafilatura.extract(path.read_bytes(), output_format="xml", include_comments=False, include_tables=True,
                                    include_formatting=False, with_metadata=True)
    if not extracted:
        raise SourceError(doc_id, "is a web page without article text (only navigation, or an empty page)",
                          "save the page again once its article has loaded, or remove the file")
    document = etree.fromstring(extracted.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    main = document.find("main")
    blocks = []
    for element in main.iter() if main is not None else ():
        kind = _KINDS.get(element.tag)
        if kind is None or (kind == PARAGRAPH and element.getparent().tag in ("cell", "item")):
            continue
        text = clean_text("".join(element.itertext()))
        if text:
            blocks.append(Block(kind, text))
    metadata = {key: document.get(key) for key in _METADATA if document.get(key)}
    return Extracted(blocks, metadata=metadata)
