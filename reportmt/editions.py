"""The English edition: one document per report, the English a reader wants (a reviewer's
where there is one), in Markdown, plain text, HTML or Word (DOCX). Built from the records'
blocks: headings stay headings, list items list items, table cells cells, and footnotes
and endnotes follow the body under "Notes"; the page furniture (source, byline, photo
credit) comes first, as a header."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import atomic_file
from .formats.blocks import FOOTNOTE
from .furniture import link_target, source_text
from .qa.flags import TEST_MODEL_OUTPUT
from .sources import file_sha256

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

SUFFIXES = {"markdown": ".md", "text": ".txt", "html": ".html", "docx": ".docx"}


def write_edition(records: Iterable[dict], metadata: Callable[[str], dict], out_dir: Path, fmt: str,
                  corpus_dir: Path | None = None) -> list[Path]:
    """One English document per report in ``fmt`` (markdown, text, html or docx). Records
    come document by document, as the corpus stores them. ``corpus_dir``: where the reports
    are, so that a Word report's DOCX edition is its original with the English in place."""
    written = []
    for doc_id, doc_records in groupby(records, key=lambda r: r["doc_id"]):
        path = out_dir / (doc_id + SUFFIXES[fmt])
        doc_list, doc_metadata = list(doc_records), metadata(doc_id)
        with atomic_file(path) as handle:
            if fmt == "docx":
                original = _same_original(corpus_dir / doc_id, doc_metadata) if corpus_dir else None
                document = (english_over_original(original, doc_list, doc_metadata) if original
                            else edition_docx(doc_id, doc_list, doc_metadata))
                document.save(handle)
            else:
                render = edition_html if fmt == "html" else lambda d, r, m: edition_text(d, r, m, fmt)
                handle.write(render(doc_id, doc_list, doc_metadata).encode("utf-8"))
        written.append(path)
    return written


# The furniture an English edition shows in its header, in this order, with these labels.
_EDITION_HEADER = (("source", "Source"), ("byline", "Byline"), ("photo_credit", "Photo"), ("caption", "Caption"), ("media", "Media"))
TEST_OUTPUT_WARNING = ("WARNING: this English comes from a TEST package with random weights. "
                       "It is not a translation; do not use or show it as one.")


def edition_text(doc_id: str, records: list[dict], metadata: dict, fmt: str) -> str:
    """One report's English edition in Markdown or plain text (see write_edition)."""
    markdown = fmt == "markdown"
    text = _markdown_text if markdown else str  # the corpus's text is text, never markup
    _, warning, header = _header(records, metadata)
    lines = [f"# {text(doc_id)}" if markdown else doc_id, ""]
    if warning:
        lines += [f"> {warning}" if markdown else warning, ""]
    if header:
        lines += [f"- {label}: {_markdown_value(value)}" if markdown else f"{label}: {value}" for label, value in header] + [""]
    body, notes = _body_and_notes(records)
    for _, paragraph in body:
        lines += [text(paragraph), ""]
    if notes:
        lines += ["## Notes" if markdown else "Notes", ""]
    for note in notes:
        lines += [text(note), ""]
    return "\n".join(lines)


def _markdown_value(value: str) -> str:
    """A header value in Markdown: a link for an http or https address, anything else as text."""
    return f"<{link_target(value)}>" if link_target(value) else _markdown_text(value)


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]]")


def _markdown_text(value: str) -> str:
    """Text that Markdown renders as itself: HTML escaped (a `<script>` or `<a href>` stays
    text), and the characters of Markdown's links, code and emphasis backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(0), html.escape(value, quote=False))


def _blocks(records: list[dict]) -> list[tuple[str, str]]:
    """(block kind, English) for each paragraph of the document, in order."""
    return [(group[0].get("block", "paragraph"), " ".join(r["en_text"] for r in group))
            for group in (list(g) for _, g in groupby(records, key=lambda r: r["paragraph"]))]


def _body_and_notes(records: list[dict]) -> tuple[list[tuple[str, str]], list[str]]:
    """The body's blocks in order, and the notes' English for a Notes section after it (a
    PDF's notes stand at the foot of their pages: together, they interrupt nothing)."""
    blocks = _blocks(records)
    return [block for block in blocks if block[0] != FOOTNOTE], [text for kind, text in blocks if kind == FOOTNOTE]


def _header(records: list[dict], metadata: dict) -> tuple[str, str, list[tuple[str, str]]]:
    """The edition's title, its warning (a test package's output) or "", and its header lines (label, value)."""
    title = (metadata.get("file_metadata") or {}).get("title") or metadata.get("doc_id", "")
    warning = test_output_warning(records)
    header = [(label, source_text(item) if item["kind"] == "source" else item["text"])
              for kind, label in _EDITION_HEADER for item in metadata["furniture"] if item["kind"] == kind]
    return title, warning, [(label, value) for label, value in header if value]


def test_output_warning(records: Iterable[dict]) -> str:
    """TEST_OUTPUT_WARNING when a record's English comes from a test package, else ""."""
    return TEST_OUTPUT_WARNING if any(TEST_MODEL_OUTPUT in r["qa"] for r in records) else ""


def edition_html(doc_id: str, records: list[dict], metadata: dict) -> str:
    """A clean HTML page: title, the furniture as a header, headings, paragraphs, lists, tables."""
    title, warning, header = _header(records, metadata)
    parts = ["<!DOCTYPE html>", '<html lang="en">', '<head><meta charset="utf-8">', f"<title>{html.escape(title)}</title></head>",
             "<body>", f"<h1>{html.escape(title)}</h1>"]
    if warning:
        parts.append(f'<p role="alert"><strong>{html.escape(warning)}</strong></p>')
    if header:
        parts.append("<header><dl>" + "".join(
            f"<dt>{html.escape(label)}</dt><dd>{_html_value(value)}</dd>" for label, value in header) + "</dl></header>")
    parts.append("<main>")
    body, notes = _body_and_notes(records)
    for kind, group in groupby(body, key=lambda block: block[0]):
        texts = [html.escape(text) for _, text in group]
        if kind == "heading":
            parts += [f"<h2>{text}</h2>" for text in texts]
        elif kind == "list_item":
            parts.append("<ul>" + "".join(f"<li>{text}</li>" for text in texts) + "</ul>")
        elif kind == "table_cell":
            parts.append("<table>" + "".join(f"<tr><td>{text}</td></tr>" for text in texts) + "</table>")
        else:
            parts += [f"<p>{text}</p>" for text in texts]
    if notes:
        small = "".join(f"<p><small>{html.escape(note)}</small></p>" for note in notes)
        parts.append(f'<section class="notes"><h2>Notes</h2>{small}</section>')
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _html_value(value: str) -> str:
    target = link_target(value)
    return f'<a href="{html.escape(target)}">{html.escape(value)}</a>' if target else html.escape(value)


def _same_original(path: Path, metadata: dict) -> Path | None:
    """The Word report the records were made from, if it is still there unchanged."""
    if metadata.get("format") != "docx" or not path.is_file() or file_sha256(path) != metadata["source_sha256"]:
        return None
    return path


def english_over_original(original: Path, records: list[dict], metadata: dict) -> WordDocument:
    """The Word original with each block's English in place of its text (text boxes,
    footnotes and endnotes included): styles, headings, lists, tables, headers and footers
    and the page layout stay as the author made them, and so does a table of contents (not
    records: Word and LibreOffice remake it from the English headings when it is updated).
    A test package's warning comes first, in "Intense Quote", which is made if missing."""
    import docx

    from .formats.docx import body_blocks, drop_text_box_copies, write_text

    document = docx.Document(str(original))
    english = {paragraph: " ".join(r["en_text"] for r in group) for paragraph, group in groupby(records, key=lambda r: r["paragraph"])}
    text_furniture = {item["line"] for item in metadata["furniture"] if not item["kind"].startswith("page_")}
    body = (paragraphs for number, (_, paragraphs) in enumerate(body_blocks(document), start=1) if number not in text_furniture)
    for paragraph, paragraphs in enumerate(body):
        if paragraph in english:
            write_text(paragraphs, english[paragraph])
    drop_text_box_copies(document)
    _, warning, _ = _header(records, metadata)
    if warning:
        first = document.add_paragraph(warning, style=_warning_style(document))
        document.element.body.insert(0, first._p)  # before anything, a table of contents or a table included
    return document


def _warning_style(document: WordDocument) -> str:
    """"Intense Quote", made where the document lacks it (LibreOffice's files do)."""
    from docx.enum.style import WD_STYLE_TYPE

    try:
        document.styles["Intense Quote"]
    except KeyError:
        style = document.styles.add_style("Intense Quote", WD_STYLE_TYPE.PARAGRAPH)
        style.font.bold = style.font.italic = True
    return "Intense Quote"


def edition_docx(doc_id: str, records: list[dict], metadata: dict) -> WordDocument:
    """A Word document built from the blocks: the furniture as a header paragraph, headings
    in Heading 2, list items in List Bullet, table cells in a one-column table."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    title, warning, header = _header(records, metadata)
    document.core_properties.title = title
    document.add_heading(title, level=1)
    if warning:
        document.add_paragraph(warning, style="Intense Quote")
    for label, value in header:
        document.add_paragraph(f"{label}: {value}")
    body, notes = _body_and_notes(records)
    for kind, group in groupby(body, key=lambda block: block[0]):
        texts = [text for _, text in group]
        if kind == "table_cell":
            table = document.add_table(rows=len(texts), cols=1)
            for row, text in zip(table.rows, texts):
                row.cells[0].text = text
            continue
        for text in texts:
            if kind == "heading":
                document.add_heading(text, level=2)
            else:
                document.add_paragraph(text, style="List Bullet" if kind == "list_item" else None)
    if notes:
        document.add_heading("Notes", level=2)
    for note in notes:
        document.add_paragraph().add_run(note).font.size = Pt(9)
    return document
