"""Word and OpenDocument layouts beyond paragraphs, on files made by real tools (LibreOffice
from a flat ODT, python-docx) and web pages written by hand: footnotes and endnotes as
blocks of their own after the body, text boxes and nested tables read once, a table of
contents as metadata, every header of the first section, the core properties LibreOffice
writes, <br> lines never glued, a page's date from its metadata only, and the English
Word edition of every document, notes and text boxes included."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from bench.format_quality import libreoffice_convert
from reportmt.formats import reader
from reportmt.formats.blocks import FOOTNOTE

SOFFICE = shutil.which("soffice")
TITLE, AUTHOR = "Bericht über die Bezirke", "Anna Berger"
HEADER, FIRST_HEADER, EVEN_HEADER, FOOTER = "Kopfzeile der Provinz", "Erste Seite der Provinz", "Gerade Seite", "Fußzeile der Provinz"
WITH_NOTE = "Der Ausschuss für innere Angelegenheiten tagte am Montag in der Provinz. Er beriet lange über die Reform."
WITH_ENDNOTE = "Der Plan für das kommende Jahr wurde nach langer Beratung angenommen."
FOOTNOTE_TEXT, ENDNOTE_TEXT = "Die Sitzung war öffentlich und gut besucht.", "Mit großer Mehrheit der Delegierten."
ANCHOR = "Die Delegierten berieten auch über die Korruptionsbekämpfung."
BOXED = "Im Kasten steht eine Zusammenfassung der Beratungen."
CELLS = ["Bezirk Nord", "Innen oben:", "Innen eins", "Innen zwei"]
TOC = ["Inhaltsverzeichnis", "Einleitung", "Ergebnisse"]
_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
       'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
       'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
       'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')


def _cell(content: str) -> str:
    return f'<table:table-cell office:value-type="string">{content}</table:table-cell>'


def _p(text: str) -> str:
    return f"<text:p>{text}</text:p>"


def _table(name: str, cells: list[str]) -> str:
    return (f'<table:table table:name="{name}"><table:table-column table:number-columns-repeated="{len(cells)}"/>'
            f'<table:table-row>{"".join(_cell(c) for c in cells)}</table:table-row></table:table>')


# A report as LibreOffice keeps it: a title and author, a running header, another on the
# first page, a footer, a table of contents, a footnote, an endnote, a text box (a frame)
# anchored in a paragraph, a table nested in a table's cell.
FLAT_ODT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>{TITLE}</dc:title><meta:initial-creator>{AUTHOR}</meta:initial-creator>
<dc:creator>{AUTHOR}</dc:creator></office:meta>
<office:automatic-styles><style:page-layout style:name="pm1">
<style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"/>
</style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
<style:header><text:p>{HEADER}</text:p></style:header><style:header-first><text:p>{FIRST_HEADER}</text:p></style:header-first>
<style:footer><text:p>{FOOTER}</text:p></style:footer></style:master-page></office:master-styles>
<office:body><office:text>
<text:table-of-content text:name="Inhalt"><text:table-of-content-source text:outline-level="3">
<text:index-title-template>{TOC[0]}</text:index-title-template></text:table-of-content-source>
<text:index-body><text:index-title text:name="Inhalt_Head"><text:p>{TOC[0]}</text:p></text:index-title>
<text:p>{TOC[1]}<text:tab/>1</text:p><text:p>{TOC[2]}<text:tab/>1</text:p></text:index-body></text:table-of-content>
<text:h text:outline-level="1">Einleitung</text:h>
<text:p>{WITH_NOTE.split(" in der")[0]}<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>
<text:note-body><text:p>{FOOTNOTE_TEXT}</text:p></text:note-body></text:note> in der{WITH_NOTE.split(" in der")[1]}</text:p>
<text:p>{WITH_ENDNOTE[:-1]}<text:note text:id="edn1" text:note-class="endnote"><text:note-citation>i</text:note-citation>
<text:note-body><text:p>{ENDNOTE_TEXT}</text:p></text:note-body></text:note>.</text:p>
<text:p><draw:frame draw:name="Kasten" text:anchor-type="paragraph" svg:width="6cm" svg:height="2cm"><draw:text-box>
<text:p>{BOXED}</text:p></draw:text-box></draw:frame>{ANCHOR}</text:p>
<text:h text:outline-level="1">Ergebnisse</text:h>
{_table("Aussen", [_p(CELLS[0]), _p(CELLS[1]) + _table("Innen", [_p(CELLS[2]), _p(CELLS[3])])])}
<text:p>Der Bericht endet mit dem Dank an alle Bezirke für ihre Arbeit im vergangenen Jahr.</text:p>
</office:text></office:body></office:document>
"""


@dataclass(frozen=True)
class Made:
    libreoffice_docx: Path
    libreoffice_odt: Path
    python_docx: Path  # a TOC field without a content control, a nested table, first-page and even-page headers


def _python_docx_document(path: Path) -> Path:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    document = docx.Document()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = FIRST_HEADER
    document.settings.odd_and_even_pages_header_footer = True
    section.even_page_header.paragraphs[0].text = EVEN_HEADER
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    first, second = document.add_paragraph(), document.add_paragraph()
    for xml in ('<w:r {w}><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r {w}><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h </w:instrText></w:r>',
                '<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>', '<w:r {w}><w:t>Einleitung</w:t><w:tab/><w:t>1</w:t></w:r>'):
        first._p.append(parse_xml(xml.format(w=w)))
    for xml in ('<w:r {w}><w:t>Ergebnisse</w:t><w:tab/><w:t>2</w:t></w:r>', '<w:r {w}><w:fldChar w:fldCharType="end"/></w:r>'):
        second._p.append(parse_xml(xml.format(w=w)))
    document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Anhang\tiv", style="toc 1")
    document.add_heading("Einleitung", level=1)
    document.add_paragraph(WITH_NOTE)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = CELLS[0]
    outer = table.cell(0, 1)
    outer.paragraphs[0].text = CELLS[1]
    inner = outer.add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = CELLS[2], CELLS[3]
    document.add_paragraph(WITH_ENDNOTE)
    document.save(path)
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Made:
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)")
    folder = tmp_path_factory.mktemp("word-layouts")
    source = folder / "bericht.fodt"
    source.write_text(FLAT_ODT, encoding="utf-8")
    return Made(libreoffice_convert(source, "docx", folder / "docx"), libreoffice_convert(source, "odt", folder / "odt"),
                _python_docx_document(folder / "python-docx.docx"))


def _read(path: Path):
    read = reader(path.suffix[1:])(path, path.name)
    return read, list(read.blocks)


def test_notes_follow_the_body_as_blocks_of_their_own_without_their_marks(made):
    for path in (made.libreoffice_docx, made.libreoffice_odt):
        _, blocks = _read(path)
        texts = [block.text for block in blocks]
        assert [(block.kind, block.text) for block in blocks[-2:]] == [(FOOTNOTE, FOOTNOTE_TEXT), (FOOTNOTE, ENDNOTE_TEXT)], path
        assert WITH_NOTE in texts and WITH_ENDNOTE in texts, path  # no "Montag1", no "angenommeni"
        assert FOOTNOTE not in [block.kind for block in blocks[:-2]] and texts.count(FOOTNOTE_TEXT) == 1, path


def test_a_text_box_and_a_nested_table_are_read_once(made):
    for path in (made.libreoffice_docx, made.libreoffice_odt, made.python_docx):
        _, blocks = _read(path)
        texts = [block.text for block in blocks]
        assert [block.text for block in blocks if block.kind == "table_cell"] == CELLS, path  # each cell once, its own text
        if path != made.python_docx:
            assert texts[texts.index(ANCHOR) + 1] == BOXED and sum(BOXED in text for text in texts) == 1, path


def test_a_table_of_contents_is_metadata_not_body(made):
    for path in (made.libreoffice_docx, made.libreoffice_odt):
        read, blocks = _read(path)
        assert [item.text for item in read.furniture if item.kind == "contents"] == TOC, path
        assert [block.text for block in blocks[:2]] == ["Einleitung", WITH_NOTE], path  # the heading, once, as a heading
        assert blocks[0].kind == "heading", path
    read, blocks = _read(made.python_docx)  # a TOC field over two paragraphs, and a paragraph in the style "toc 1"
    assert [item.text for item in read.furniture if item.kind == "contents"] == ["Einleitung", "Ergebnisse", "Anhang"]
    assert [(block.kind, block.text) for block in blocks[:2]] == [("heading", "Einleitung"), ("paragraph", WITH_NOTE)]


def test_the_title_and_author_libreoffice_wrote_and_every_header_of_the_first_section(made, tmp_path):
    read, _ = _read(made.libreoffice_docx)
    assert (read.metadata["title"], read.metadata["author"]) == (TITLE, AUTHOR)  # not python-docx's "Word Document"
    assert {(item.kind, item.text) for item in read.furniture if item.kind != "contents"} == {
        ("page_header", HEADER), ("page_header", FIRST_HEADER), ("page_footer", FOOTER)}
    read, _ = _read(made.python_docx)
    assert "title" not in read.metadata and "author" not in read.metadata and "date" not in read.metadata  # python-docx's own
    assert {(item.kind, item.text) for item in read.furniture if item.kind != "contents"} == {("page_header", FIRST_HEADER), ("page_header", EVEN_HEADER)}
    # a package whose relationships do not name its core properties: docProps/core.xml is read itself
    unnamed = tmp_path / "unnamed.docx"
    with zipfile.ZipFile(made.libreoffice_docx) as original, zipfile.ZipFile(unnamed, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "_rels/.rels":
                rels = etree.fromstring(data)
                for rel in [rel for rel in rels if rel.get("Target") == "docProps/core.xml"]:
                    rels.remove(rel)
                data = etree.tostring(rels)
            copy.writestr(item, data)
    assert reader("docx")(unnamed, unnamed.name).metadata["title"] == TITLE


_ARTICLE = ("<p>Ein weiterer Absatz über die Beratungen im Rat, der lang genug ist, um als Artikeltext zu gelten, und der "
            "am 12. Januar 2021 begann.</p>")


def _page(head: str, article: str) -> str:
    return (f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Gemeinderat beschließt Haushalt</title>{head}</head>'
            f"<body><article><h1>Gemeinderat beschließt Haushalt</h1>{article}{_ARTICLE}</article></body></html>")


def test_br_lines_are_never_glued_and_nested_text_is_read_once(tmp_path):
    page = tmp_path / "seite.html"
    article = ("<p>Der Gemeinderat tagte im Rathaus.<br>Er beschloss den Haushalt einstimmig.<br/>Die Bürger waren zufrieden.</p>"
               "<p>Die Sitzung im Rathaus<br>dauerte bis in den späten Abend.</p>"
               "<ul><li>Erster Punkt betrifft die Bezirke.<ul><li>Unterpunkt für den Norden.</li></ul></li></ul>"
               "<blockquote><p>Ein Zitat des Bürgermeisters über den Haushalt, lang genug, um gelesen zu werden.</p></blockquote>")
    page.write_text(_page("", article), encoding="utf-8")
    texts = [block.text for block in reader("html")(page, page.name).blocks]
    assert texts[1:4] == ["Der Gemeinderat tagte im Rathaus.", "Er beschloss den Haushalt einstimmig.", "Die Bürger waren zufrieden."]
    assert texts[4] == "Die Sitzung im Rathaus dauerte bis in den späten Abend."  # a line that ends no sentence joins the next
    assert texts[5:7] == ["Erster Punkt betrifft die Bezirke.", "Unterpunkt für den Norden."]
    assert sum("Zitat" in text for text in texts) == 1


def test_a_pages_date_is_the_one_its_metadata_states(tmp_path):
    pages = {"meta": '<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">',
             "name": '<meta name="date" content="2023-11-20">', "none": ""}
    dates = {}
    for name, head in pages.items():
        (tmp_path / f"{name}.html").write_text(_page(head, ""), encoding="utf-8")
        dates[name] = reader("html")(tmp_path / f"{name}.html", name).metadata.get("date")
    header = tmp_path / "header.html"
    header.write_text(_page("", "").replace("<article>", '<header><time datetime="2022-06-01">1. Juni</time></header><article>'),
                      encoding="utf-8")
    dates["header"] = reader("html")(header, "header").metadata.get("date")
    # the body's 12 January 2021 is never the page's date
    assert dates == {"meta": "2024-03-05", "name": "2023-11-20", "none": None, "header": "2022-06-01"}


def _records(path: Path, corpus: Path, work: Path) -> tuple[list[dict], dict]:
    """The document's records as a run makes them (its sentences, each paragraph numbered
    as the pipeline numbers it), with an English that shares no word with the German."""
    from reportmt.documents import prepare_document
    from reportmt.qa.flags import TEST_MODEL_OUTPUT

    prepared = prepare_document(path, corpus, work)
    records = [{"doc_id": prepared.doc_id, "paragraph": s.paragraph, "block": s.place.block, "en_text": f"English {s.index}.",
                "qa": [TEST_MODEL_OUTPUT]} for s in prepared.sentences()]
    return records, prepared.metadata()


def _texts(edition: Path, part: str) -> str:
    with zipfile.ZipFile(edition) as archive:
        return " ".join(etree.fromstring(archive.read(part)).itertext())


def test_every_word_report_gets_its_english_edition_notes_and_text_boxes_included(made, tmp_path):
    import docx

    from reportmt.editions import TEST_OUTPUT_WARNING, write_edition

    corpus, work = tmp_path / "corpus", tmp_path / "work"
    corpus.mkdir()
    work.mkdir()
    shutil.copy(made.libreoffice_docx, corpus / "libreoffice.docx")
    shutil.copy(made.python_docx, corpus / "python-docx.docx")
    records, metadata = {}, {}
    for path in sorted(corpus.iterdir()):
        records[path.name], metadata[path.name] = _records(path, corpus, work)
    everything = [record for doc_id in sorted(records) for record in records[doc_id]]
    written = write_edition(everything, metadata.__getitem__, tmp_path / "editions", "docx", corpus)
    assert sorted(path.name for path in written) == ["libreoffice.docx.docx", "python-docx.docx.docx"]  # no KeyError

    edition = tmp_path / "editions" / "libreoffice.docx.docx"
    english = docx.Document(str(edition))
    assert english.paragraphs[0].text == TEST_OUTPUT_WARNING and english.paragraphs[0].style.name == "Intense Quote"
    notes = [r["en_text"] for r in records["libreoffice.docx"] if r["block"] == FOOTNOTE]
    assert len(notes) == 2 and notes[0] in _texts(edition, "word/footnotes.xml") and notes[1] in _texts(edition, "word/endnotes.xml")
    body = _texts(edition, "word/document.xml")
    for german in ("Ausschuss", "Kasten", "Delegierten", "Bezirk Nord", "Innen eins", "öffentlich", "Mehrheit"):
        assert german not in body + _texts(edition, "word/footnotes.xml") + _texts(edition, "word/endnotes.xml"), german
    box = [block.text for block in _read(made.libreoffice_docx)[1]].index(BOXED)  # no text furniture: a block is a paragraph
    boxed = next(r["en_text"] for r in records["libreoffice.docx"] if r["paragraph"] == box)
    assert body.count(boxed) == 1  # the text box once: its fallback copy is gone
    assert HEADER in _texts(edition, "word/header1.xml")  # furniture stays as the author wrote it

    for fmt in ("markdown", "html"):
        page = write_edition(records["libreoffice.docx"], metadata.__getitem__, tmp_path / fmt, fmt)[0].read_text(encoding="utf-8")
        assert page.index("Notes") > page.index("English 0.") and page.rindex(notes[1]) > page.index("Notes"), fmt


STYLED_ODT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles><style:style style:name="P1" style:family="paragraph" style:parent-style-name="Caption"/>
</office:automatic-styles>
<office:body><office:text>
<text:p text:style-name="Title">Bericht über die Bezirke</text:p>
<text:p>Der Ausschuss legte die Zahlen der Bezirke vor.</text:p>
<text:p text:style-name="P1">Tabelle 1: Verfahren nach Bezirk</text:p>
<text:p text:style-name="Table">Tabelle 2: Ergebnisse nach Stadt</text:p>
<text:p>Der Bericht endet hier.</text:p>
</office:text></office:body></office:document>
"""


@pytest.mark.skipif(not SOFFICE, reason="needs LibreOffice (soffice)")
def test_titles_and_captions_are_told_by_their_paragraph_style(tmp_path):
    source = tmp_path / "stile.fodt"
    source.write_text(STYLED_ODT, encoding="utf-8")
    kinds = ["heading", "paragraph", "caption", "caption", "paragraph"]
    for fmt in ("odt", "docx"):
        made = libreoffice_convert(source, fmt, tmp_path)
        assert [block.kind for block in reader(fmt)(made, made.name).blocks] == kinds, fmt
