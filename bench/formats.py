"""Reading reports in other formats: PDF against poppler's pdftotext on the same file, DOCX
and HTML documents per second, and the reader's memory as the PDF grows.

The documents are made here: a German report written with python-docx (a header and a
footer, headings, long paragraphs), printed to PDF by LibreOffice at two lengths; web pages
with their boilerplate. Needs `soffice` and `pdftotext` (Debian's libreoffice-writer-nogui
and poppler-utils). Then the quality of each reader on test documents (bench/format_quality.py).
"""

from __future__ import annotations

import shutil
import subprocess
import time
import tracemalloc
from pathlib import Path

from bench import format_quality

SHORT_PAGES_PARAGRAPHS, LONG_PAGES_PARAGRAPHS = 40, 1600  # about 13 and 500 pages
DOCX_DOCUMENTS = 40
HTML_DOCUMENTS = 200
SENTENCE = ("Der Ausschuss für innere Angelegenheiten der Provinz hat am Montag die Ergebnisse der Verwaltungsreform "
            "in den Bezirks- und Stadtkomitees geprüft und festgestellt, dass die Anti-Korruptionsmaßnahmen wirksam sind.")


def measure(repo: Path, work: Path) -> tuple[list[tuple[str, str]], dict[str, float]]:
    from reportmt.formats import reader

    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        return [("formats", "skipped: needs soffice and pdftotext (libreoffice-writer-nogui, poppler-utils)")], {}
    folder = work / "formats"
    folder.mkdir(parents=True, exist_ok=True)
    rows, figures = [], {}
    pdfs = {size: _pdf(folder, f"report-{size}", size) for size in (SHORT_PAGES_PARAGRAPHS, LONG_PAGES_PARAGRAPHS)}
    long_pdf, pages = pdfs[LONG_PAGES_PARAGRAPHS]
    ours = _best(lambda: list(reader("pdf")(long_pdf, long_pdf.name).blocks))  # blocks are read as they are taken
    theirs = _best(lambda: subprocess.run(["pdftotext", str(long_pdf), str(folder / "out.txt")], check=True))
    figures["pdf_pages_per_second"] = round(pages / ours, 1)
    figures["pdf_vs_pdftotext"] = round(theirs / ours, 3)
    rows.append((f"PDF, {pages} pages: reportmt / pdftotext", f"{pages / ours:.0f} / {pages / theirs:.0f} pages/s "
                 f"(ratio {theirs / ours:.2f}, target >= 0.5)"))
    for _size, (pdf, count) in pdfs.items():
        tracemalloc.start()
        for _ in reader("pdf")(pdf, pdf.name).blocks:
            pass  # as a run reads it: block by block
        peak = tracemalloc.get_traced_memory()[1] / 1024**2
        tracemalloc.stop()
        figures[f"pdf_{count}_pages_peak_mb"] = round(peak, 1)
        rows.append((f"PDF, {count} pages: peak Python memory while read", f"{peak:.1f} MB"))

    docx_file = _docx(folder / "bericht.docx", 12)
    seconds = _best(lambda: [reader("docx")(docx_file, "bericht.docx") for _ in range(DOCX_DOCUMENTS)])
    figures["docx_documents_per_second"] = round(DOCX_DOCUMENTS / seconds, 1)
    rows.append(("DOCX, 12 paragraphs, heading, list, table", f"{DOCX_DOCUMENTS / seconds:.0f} documents/s"))
    page = folder / "seite.html"
    page.write_text(_web_page(), encoding="utf-8")
    seconds = _best(lambda: [reader("html")(page, "seite.html") for _ in range(HTML_DOCUMENTS)])
    figures["html_documents_per_second"] = round(HTML_DOCUMENTS / seconds, 1)
    rows.append(("HTML, an article with navigation, banner, comments", f"{HTML_DOCUMENTS / seconds:.0f} documents/s"))
    quality_rows, quality_figures = format_quality.measure(repo, work)
    return rows + quality_rows, figures | quality_figures


def _best(action, repeats: int = 2) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def _docx(path: Path, paragraphs: int) -> Path:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = format_quality.HEADER
    document.sections[0].footer.paragraphs[0].text = format_quality.FOOTER
    for number in range(paragraphs):
        if number % 20 == 0:
            document.add_heading(f"Abschnitt {number // 20 + 1}", level=1)
        document.add_paragraph(" ".join([SENTENCE] * 4) + f" Absatz {number} endet hier.")
    document.add_paragraph("Erster Punkt der Liste.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(1, 1).text = "Bezirk", "Gut"
    document.save(path)
    return path


def _pdf(folder: Path, name: str, paragraphs: int) -> tuple[Path, int]:
    import pypdfium2 as pdfium

    source = _docx(folder / f"{name}.docx", paragraphs)
    pdf = format_quality.libreoffice_convert(source, "pdf", folder)
    document = pdfium.PdfDocument(str(pdf))
    pages = len(document)
    document.close()
    return pdf, pages


def _web_page() -> str:
    article = "".join(f"<p>{SENTENCE} Absatz {n}.</p>" for n in range(15))
    return ("<!DOCTYPE html><html lang='de'><head><title>Ausschuss prüft Verwaltungsreform</title></head><body>"
            "<nav>" + " ".join(f"<a href='/{n}'>Rubrik {n}</a>" for n in range(30)) + "</nav>"
            "<div class='cookie-banner'>Wir verwenden Cookies.</div>"
            f"<article><h1>Ausschuss prüft Verwaltungsreform</h1>{article}</article>"
            "<section class='comments'>" + "".join(f"<p>Kommentar {n}: Danke!</p>" for n in range(20)) + "</section>"
            "<footer>Impressum</footer></body></html>")
