"""Reports as people have them: DOCX made by python-docx, PDF and ODT made from it by
LibreOffice, a web page with its boilerplate; told apart by their bytes; their layout
furniture kept out of the records."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest
from helpers import BROWSER_ARGS, export_records, serve_review

from bench.format_quality import (
    FOOTER,
    HEADER,
    REPO,
    Score,
    libreoffice_convert,
    make_documents,
    reports,
    score,
)
from bench.formats import SENTENCE
from reportmt.formats import detect_format, reader
from reportmt.formats.line_joins import join as _join
from reportmt.sources import SourceError

SOFFICE = shutil.which("soffice")
PAGE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Ausschuss prüft Verwaltungsreform</title>
<meta name="author" content="Anna Berger"><link rel="canonical" href="https://news.example/de/ausschuss">
<script>var tracking = "nicht lesen";</script></head>
<body><nav><a href="/">Startseite</a> <a href="/politik">Politik</a></nav>
<div class="cookie-banner">Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten.</div>
<article><h1>Ausschuss prüft Verwaltungsreform</h1>
<p>Der Ausschuss für innere Angelegenheiten der Provinz hat am Montag die Ergebnisse
   der Verwaltungsreform\tin den Bezirken geprüft.</p>
<p>Die Delegierten berieten über die Korruptionsbekämpfung und beschlossen einen Plan für das kommende Jahr.</p>
<ul><li>Erster Punkt des Plans betrifft die Bezirke.</li><li>Zweiter Punkt betrifft die Städte der Provinz.</li></ul>
</article><aside class="related"><h3>Mehr zum Thema</h3><a href="/x">Andere Nachricht über das Wetter</a></aside>
<section class="comments"><p>Kommentar: Das ist ja interessant, danke für den Bericht!</p></section>
<footer>© 2024 Nachrichtenportal – Impressum – Datenschutz</footer></body></html>
"""


def _word_document(path: Path) -> Path:
    """A report as Word makes them: a header and footer, a heading, paragraphs long enough
    to run over pages, a list, a table, a tracked insertion and deletion, a comment."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = FOOTER
    document.add_heading("Bericht über die Verwaltungsreform", level=1)
    for number in range(12):
        document.add_paragraph(" ".join([SENTENCE] * 4) + f" Absatz {number} endet hier.")
    document.add_paragraph("Erster Punkt der Liste.", style="List Bullet")
    document.add_paragraph("Zweiter Punkt der Liste.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for (row, column), text in {(0, 0): "Bezirk", (0, 1): "Ergebnis", (1, 0): "Nord", (1, 1): "Gut"}.items():
        table.cell(row, column).text = text
    tracked = document.add_paragraph("Der Plan wurde ")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    tracked._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="A"><w:r><w:t xml:space="preserve">einstimmig </w:t></w:r></w:ins>'))
    tracked._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="A"><w:r><w:delText>knapp </w:delText></w:r></w:del>'))
    tracked.add_run("angenommen.")
    document.add_comment(tracked.runs, text="Bitte prüfen: Kommentar ist kein Text.", author="A")
    document.save(path)
    return path


def _convert(source: Path, fmt: str) -> Path:
    return libreoffice_convert(source, fmt, source.parent / fmt)


def test_formats_are_told_by_their_bytes(tmp_path):
    docx_file = _word_document(tmp_path / "bericht.docx")
    renamed = tmp_path / "bericht.dat"
    shutil.copy(docx_file, renamed)
    (tmp_path / "seite.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "notiz.txt").write_text("Der Ausschuss tagte am Montag.\n", encoding="utf-8")
    assert [detect_format(tmp_path / name, name) for name in ("bericht.dat", "seite.txt", "notiz.txt")] == ["docx", "html", "text"]
    (tmp_path / "alt.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    (tmp_path / "brief.rtf").write_bytes(b"{\\rtf1\\ansi Hallo}")
    for name in ("alt.doc", "brief.rtf"):
        with pytest.raises(SourceError) as refused:
            detect_format(tmp_path / name, name)
        assert "soffice --headless --convert-to docx" in refused.value.action


def test_a_word_file_that_unpacks_like_a_zip_bomb_is_refused_unread(tmp_path):
    import zipfile

    bomb = tmp_path / "bericht.docx"
    shutil.copy(_word_document(tmp_path / "echt.docx"), bomb)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/filler.bin", bytes(64 * 1024 * 1024))  # 64 MiB of zeros in about 64 KiB
    with pytest.raises(SourceError) as refused:
        detect_format(bomb, "bericht.docx")
    assert "likely zip bomb" in refused.value.reason


def test_a_word_document_gives_its_final_text_in_blocks_and_its_header_as_furniture(tmp_path):
    read = reader("docx")(_word_document(tmp_path / "bericht.docx"), "bericht.docx")
    kinds = [block.kind for block in read.blocks]
    assert kinds[0] == "heading" and kinds.count("list_item") == 2 and kinds.count("table_cell") == 4
    texts = [block.text for block in read.blocks]
    assert "Der Plan wurde einstimmig angenommen." in texts  # insertion in, deletion out
    assert not any("Kommentar" in text or HEADER in text or FOOTER in text for text in texts)
    assert {(item.kind, item.text) for item in read.furniture} == {("page_header", HEADER), ("page_footer", FOOTER)}


def test_a_web_page_gives_its_article_and_metadata_without_boilerplate(tmp_path):
    (tmp_path / "seite.txt").write_text(PAGE, encoding="utf-8")
    read = reader("html")(tmp_path / "seite.txt", "seite.txt")
    texts = [block.text for block in read.blocks]
    assert texts[1] == "Der Ausschuss für innere Angelegenheiten der Provinz hat am Montag die Ergebnisse der Verwaltungsreform in den Bezirken geprüft."
    assert [block.kind for block in read.blocks] == ["heading", "paragraph", "paragraph", "list_item", "list_item"]
    boilerplate = ("Startseite", "Cookies", "Mehr zum Thema", "Wetter", "Kommentar", "Impressum", "tracking")
    assert not any(word in text for text in texts for word in boilerplate)
    assert read.metadata["title"] == "Ausschuss prüft Verwaltungsreform" and read.metadata["author"] == "Anna Berger"
    assert read.metadata["url"] == "https://news.example/de/ausschuss"


def test_line_ends_are_joined_as_the_author_wrote_the_words():
    assert _join("die Verwaltungs-", "reform der Bezirke") == "die Verwaltungsreform der Bezirke"
    assert _join("in den Bezirks-", "und Stadtkomitees") == "in den Bezirks- und Stadtkomitees"
    assert _join("die Anti-", "Korruptionsmaßnahmen") == "die Anti-Korruptionsmaßnahmen"
    assert _join("die Verwaltungs\x00", "reform") == "die Verwaltungsreform"  # a soft hyphen
    assert _join("am Montag", "geprüft") == "am Montag geprüft"
    # a word the document writes with a hyphen inside a line keeps it; so does a web address
    assert _join("the anti-", "corruption work,", {"anti-corruption"}) == "the anti-corruption work,"
    assert _join("the anti-", "corruption work") == "the anticorruption work"
    assert _join("see https://news.example/cong-", "tac-phong.htm") == "see https://news.example/cong-tac-phong.htm"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)")
def test_pdf_and_odt_made_by_libreoffice_read_like_the_word_original(tmp_path):
    original = _word_document(tmp_path / "bericht.docx")
    words = [block.text for block in reader("docx")(original, "bericht.docx").blocks]
    for fmt in ("pdf", "odt"):
        made = _convert(original, fmt)
        read = reader(fmt)(made, made.name)
        texts = [block.text for block in read.blocks]
        assert not any(HEADER in text or FOOTER in text for text in texts), fmt
        assert {item.text for item in read.furniture} == {HEADER, FOOTER}, fmt
        # every paragraph whole: lines joined, and the ones that run over a page break joined across it
        for paragraph in (w for w in words if w.startswith("Der Ausschuss")):
            assert any(paragraph in text for text in texts), (fmt, paragraph[-40:])
    assert "Der Plan wurde einstimmig angenommen." in texts  # the ODT keeps the tracked changes; a PDF prints them
    pdf = reader("pdf")(tmp_path / "pdf" / "bericht.pdf", "bericht.pdf")
    blocks = list(pdf.blocks)  # read page by page as they are taken; the page furniture is known once they are
    assert blocks[0].kind == "heading" and blocks[-1].page > 1
    assert sorted({item.line for item in pdf.furniture}) == list(range(1, blocks[-1].page + 1))  # on every page


@pytest.mark.skipif(SOFFICE is None or shutil.which("chromium") is None,
                    reason="needs LibreOffice and Chromium (.ci/run installs libreoffice-writer-nogui and chromium)")
def test_the_sample_reports_read_word_for_word_from_every_format(tmp_path):
    """Each sample report as Word, LibreOffice's PDF and ODT, a web page and Chromium's PDF
    of it: every word of the body, nothing of the running headers, footers, page numbers
    or the page's boilerplate, every paragraph whole, every hyphenated line end as written."""
    scores: dict[str, Score] = {}
    for report in reports(REPO):
        for fmt, path in make_documents(report, tmp_path / report.name).items():
            score(report, fmt, path, scores.setdefault(fmt, Score()))
    assert set(scores) == {"docx", "pdf (LibreOffice)", "odt", "html", "pdf (Chromium)"}
    for fmt, result in scores.items():
        assert (result.recall, result.foreign_words, result.paragraphs_whole) == (1.0, 0, result.paragraphs), fmt
        assert result.hyphen_joins_right == result.hyphen_line_ends, (fmt, result.wrong_joins)
    assert scores["pdf (LibreOffice)"].hyphen_line_ends > 20 and scores["pdf (Chromium)"].hyphen_line_ends > 20


class _Bars:
    """What a terminal's progress display hears."""

    def __init__(self):
        self.completed, self.advances, self.descriptions = 0, 0, []

    def add_task(self, description, *, total):
        self.descriptions.append(description)
        return 0

    def advance(self, task_id, advance):
        self.completed += advance
        self.advances += 1

    def update(self, task_id, *, completed=None, description=None):
        self.descriptions.append(description)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)")
def test_the_reading_bar_moves_through_a_pdf_page_by_page(tmp_path):
    from reportmt import progress
    from reportmt.formats import open_source
    from reportmt.sources import ControlCharacters

    pdf = _convert(_word_document(tmp_path / "bericht.docx"), "pdf")
    bars = _Bars()
    with progress.shown_on(bars):
        progress.start(progress.READ, "Reading reports", total=pdf.stat().st_size)
        opened = open_source(pdf, "bericht.pdf", progress.Reading(progress.READ), ControlCharacters())
        last_page = max(opened.places[number].page for number, _ in opened.lines)
    assert last_page > 2 and bars.completed == pdf.stat().st_size
    assert bars.descriptions == ["Reading reports"] + [f"Reading reports (bericht.pdf: page {page} of {last_page})"
                                                      for page in range(1, last_page + 1)] + ["Reading reports"]
    assert bars.advances == last_page + 1  # a share for each page read, the rest when the file is done


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)")
def test_a_corpus_of_every_format_keeps_layout_out_of_records_and_says_what_it_cannot_read(tmp_path, models_dir, run_corpus):
    import pypdfium2 as pdfium

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    original = _word_document(tmp_path / "bericht.docx")
    shutil.copy(original, corpus / "bericht.docx")
    shutil.copy(_convert(original, "pdf"), corpus / "bericht-gedruckt.dat")  # a PDF under another name
    (corpus / "seite.txt").write_text(PAGE, encoding="utf-8")
    scan = pdfium.PdfDocument.new()
    scan.new_page(595, 842)
    scan.save(str(corpus / "scan.pdf"))  # a page without text or image
    (corpus / "kaputt.pdf").write_bytes((corpus / "bericht-gedruckt.dat").read_bytes()[:3000])
    (corpus / "alt.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))

    summary = run_corpus(corpus, tmp_path / "out", models_dir)
    failed = {item["file"]: item for item in summary["failed"]}
    assert "without any text" in failed["scan.pdf"]["reason"] and "remove it" in failed["scan.pdf"]["action"]
    assert "damaged or truncated PDF" in failed["kaputt.pdf"]["reason"]
    assert "soffice --headless --convert-to docx" in failed["alt.doc"]["action"]
    assert {d["doc_id"] for d in summary["documents"]} == {"bericht.docx", "bericht-gedruckt.dat", "seite.txt"}

    records = export_records(tmp_path / "out")
    assert not any(HEADER in r["src_text"] or FOOTER in r["src_text"] or "Cookies" in r["src_text"] for r in records)
    # the printed PDF reads as its Word original (but for the tracked deletion, which LibreOffice prints struck through)
    by_doc = {doc: [r["src_text"] for r in records if r["doc_id"] == doc and not r["src_text"].startswith("Der Plan")]
              for doc in ("bericht.docx", "bericht-gedruckt.dat")}
    assert by_doc["bericht.docx"] == by_doc["bericht-gedruckt.dat"] and len(by_doc["bericht.docx"]) > 60
    printed = [r for r in records if r["doc_id"] == "bericht-gedruckt.dat"]
    assert printed[0]["block"] == "heading" and printed[0]["page"] == 1 and printed[-1]["page"] > 1  # where each stands
    assert {r["block"] for r in records if r["doc_id"] == "bericht.docx"} == {"heading", "paragraph", "list_item", "table_cell"}
    assert {r["page"] for r in records if r["doc_id"] == "bericht.docx"} == {None}
    from reportmt.reader import Corpus

    page = Corpus(tmp_path / "out").metadata("seite.txt")
    assert page["format"] == "html" and page["source_url"] == "https://news.example/de/ausschuss"
    assert Corpus(tmp_path / "out").metadata("bericht-gedruckt.dat")["format"] == "pdf"
    from starlette.testclient import TestClient

    from reportmt.review.app import create_app
    from reportmt.review.identities import OneReviewer

    _editions_keep_the_structure(tmp_path, by_doc["bericht.docx"])
    _a_word_reports_edition_is_its_original_in_english(tmp_path, corpus, records)
    review = TestClient(create_app(tmp_path / "out", OneReviewer("ana", None), allowed_hosts=["testserver"]))
    shown = review.get("/documents/bericht-gedruckt.dat").text
    assert "Paragraph 1, page 1 (heading)" in shown and ", page 2" in shown  # the reviewer sees where a sentence stands


def _editions_keep_the_structure(tmp_path: Path, sources: list[str]) -> None:
    """The English editions in DOCX and HTML: headings, list items and table cells as such."""
    import docx
    from helpers import reportmt

    for fmt in ("docx", "html"):
        done = reportmt("corpus", "export", "--format", fmt, "--normalized", str(tmp_path / "out"), "--out", str(tmp_path / fmt))
        assert done.returncode == 0, done.stderr
    english = docx.Document(str(tmp_path / "docx" / "bericht.docx.docx"))
    styles = [p.style.name for p in english.paragraphs]
    assert styles.count("Heading 2") == 1 and styles.count("List Bullet") == 2 and len(english.tables) == 1
    assert len(english.tables[0].rows) == 4 and english.core_properties.title == "bericht.docx"
    assert english.paragraphs[1].text.startswith("WARNING: this English comes from a TEST package")
    page = (tmp_path / "html" / "seite.txt.html").read_text(encoding="utf-8")
    assert "<title>Ausschuss prüft Verwaltungsreform</title>" in page and page.count("<li>") == 2 and "<h2>" in page
    assert "<script" not in page and "Cookies" not in page
    assert len(sources) > 60


def _a_word_reports_edition_is_its_original_in_english(tmp_path: Path, corpus: Path, records: list[dict]) -> None:
    import docx
    from helpers import reportmt

    done = reportmt("corpus", "export", "--format", "docx", "--normalized", str(tmp_path / "out"), "--corpus", str(corpus),
                    "--out", str(tmp_path / "in-place"))
    assert done.returncode == 0, done.stderr
    original = docx.Document(str(corpus / "bericht.docx"))
    english = docx.Document(str(tmp_path / "in-place" / "bericht.docx.docx"))
    body = english.paragraphs[1:]  # after the test package's warning
    assert english.paragraphs[0].text.startswith("WARNING: this English comes from a TEST package")
    assert [p.style.name for p in body] == [p.style.name for p in original.paragraphs]  # headings, lists: the author's styles
    assert english.sections[0].header.paragraphs[0].text == HEADER and len(english.tables) == len(original.tables) == 1
    wanted = {}
    for record in (r for r in records if r["doc_id"] == "bericht.docx"):
        wanted[record["paragraph"]] = (wanted.get(record["paragraph"], "") + " " + record["en_text"]).strip()
    written = [p.text for p in body if p.text] + [cell.text for row in english.tables[0].rows for cell in row.cells]
    assert sorted(written) == sorted(wanted.values())  # every block's English, once, and nothing of the German left


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_a_reviewer_sees_on_which_page_of_a_printed_report_each_sentence_stands(tmp_path, models_dir, run_corpus):
    """A German report printed to PDF by Chromium (its date, title, address and page
    numbers on every page), run, and opened in the review workspace in a real browser."""
    from playwright.sync_api import sync_playwright


    report = next(r for r in reports(REPO) if r.name.startswith("003"))  # the German one
    printed = make_documents(report, tmp_path / "made")["pdf (Chromium)"]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(printed, corpus / "bericht.pdf")
    assert run_corpus(corpus, tmp_path / "out", models_dir)["exit_code"] == 0
    process, port = serve_review(tmp_path / "out")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=BROWSER_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/documents/bericht.pdf")
            places = page.locator("tr.paragraph th").all_inner_texts()
            shown = page.inner_text("table.aligned")
            browser.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert places[0] == "Paragraph 1, page 1 (heading)"
    pages = sorted({int(place.split(", page ")[1].split(" ")[0]) for place in places})
    assert pages == list(range(1, pages[-1] + 1)) and pages[-1] >= 2  # every page, in order
    assert places == sorted(places, key=lambda place: int(place.split(" ")[1].rstrip(",")))
    assert "file://" not in shown and " AM" not in shown and " PM" not in shown  # Chromium's header and footer
    assert report.paragraphs[0][:60] in shown
