"""PDF layouts as other tools make them (reportlab): two columns, footnotes, tables with
captions, small bold headings, a table of contents, a one-page report's header, the PDF's
Info. Each block must be a whole paragraph, heading, cell or footnote of the document."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from reportmt.formats import reader

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=8)
BOLD = ParagraphStyle("bold", parent=BODY, fontName="Helvetica-Bold")
TITLE = ParagraphStyle("title", parent=BODY, fontSize=16, leading=20)
PARAGRAPHS = [
    "Der Ausschuss für innere Angelegenheiten hat am Montag die Ergebnisse der Verwaltungsreform in allen "
    "zwölf Bezirken der Provinz geprüft und dabei erhebliche Unterschiede zwischen den Städten festgestellt. "
    "Die Delegierten verlangten einen ausführlichen Bericht bis zum Ende des Jahres.",
    "Nach Angaben des Landesamts wurden im vergangenen Jahr mehr als dreihundert Verfahren eröffnet, von denen "
    "die meisten die Vergabe öffentlicher Aufträge betrafen. Der Vorsitzende betonte, dass die Zusammenarbeit "
    "mit den Gemeinden weiter verbessert werden müsse, damit die Reform auch in ländlichen Gebieten wirke.",
    "Die Kommission für Korruptionsbekämpfung legte einen Plan mit neun Maßnahmen vor, darunter regelmäßige "
    "Schulungen für Bedienstete und eine unabhängige Stelle für Hinweise aus der Bevölkerung. Mehrere Mitglieder "
    "äußerten Zweifel an der Finanzierung, stimmten dem Plan aber schließlich zu.",
]


def _blocks(path: Path):
    extracted = reader("pdf")(path, path.name)
    return list(extracted.blocks), extracted


def _two_columns(path: Path) -> None:
    doc = BaseDocTemplate(str(path), pagesize=A4)
    width, height = A4
    column = (width - 2 * 60 - 24) / 2
    frames = [Frame(60, 60, column, height - 120, id="left"), Frame(60 + column + 24, 60, column, height - 120, id="right")]
    doc.addPageTemplates([PageTemplate(id="two", frames=frames)])
    doc.build([Paragraph(text, BODY) for text in PARAGRAPHS * 5])


def test_two_columns_are_read_one_after_the_other_with_sentences_carried_across_the_breaks(tmp_path):
    _two_columns(tmp_path / "spalten.pdf")
    blocks, extracted = _blocks(tmp_path / "spalten.pdf")
    assert extracted.pages == 2  # so a paragraph runs over a column break and a page break
    assert [block.text for block in blocks] == PARAGRAPHS * 5


def _footnotes(canvas, doc) -> None:
    canvas.setFont("Helvetica", 7)
    canvas.drawString(60, 70, "1 Nach dem Gesetz über die Verwaltungsreform vom 3. Mai 2021.")
    canvas.drawString(60, 60, "2 Die Zahl stammt aus dem Jahresbericht des Landesamts.")


def test_footnotes_follow_their_paragraph_and_their_marks_leave_the_words(tmp_path):
    path = tmp_path / "fussnoten.pdf"
    marked = PARAGRAPHS[0].replace("Verwaltungsreform", "Verwaltungsreform<super>1</super>").replace(
        "festgestellt.", "festgestellt.<super>2</super>")
    # the second paragraph runs on past the foot of the first page
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Paragraph(marked, BODY), *[Paragraph(text, BODY) for text in PARAGRAPHS * 4], Paragraph(PARAGRAPHS[1] * 3, BODY)],
        onFirstPage=_footnotes)
    blocks, _ = _blocks(path)
    texts = [block.text for block in blocks]
    assert texts[0] == PARAGRAPHS[0]  # "Verwaltungsreform", not "Verwaltungsreform1"
    notes = [block for block in blocks if block.kind == "footnote"]
    assert [note.text for note in notes] == ["Nach dem Gesetz über die Verwaltungsreform vom 3. Mai 2021.",
                                            "Die Zahl stammt aus dem Jahresbericht des Landesamts."]
    body = [block for block in blocks if block.kind != "footnote"]
    assert [block.text for block in body] == [PARAGRAPHS[0], *PARAGRAPHS * 4, PARAGRAPHS[1] * 3]  # none cut at the page break
    running_on = max(index for index, block in enumerate(blocks) if block.page == 1 and block.kind != "footnote")
    assert blocks[running_on + 1:running_on + 3] == notes  # after the paragraph the page ends in


def test_a_table_keeps_its_cells_its_caption_and_the_paragraph_after_it_apart(tmp_path):
    path = tmp_path / "tabelle.pdf"
    rows = [["Bezirk", "Verfahren", "Ergebnis"], ["Nord", "120", "abgeschlossen"], ["Süd", "85", "offen"],
            ["West", "42", "abgeschlossen"]]
    SimpleDocTemplate(str(path), pagesize=A4).build([
        Paragraph(PARAGRAPHS[0], BODY), Table(rows, colWidths=[120, 90, 120]),
        Paragraph("Tabelle 1: Verfahren nach Bezirk im Jahr 2024.", BODY), Paragraph(PARAGRAPHS[1], BODY)])
    blocks, _ = _blocks(path)
    cells = [block.text for block in blocks if block.kind == "table_cell"]
    assert cells == [cell for row in rows for cell in row]
    assert [(b.kind, b.text) for b in blocks if b.kind != "table_cell"] == [
        ("paragraph", PARAGRAPHS[0]), ("caption", "Tabelle 1: Verfahren nach Bezirk im Jahr 2024."), ("paragraph", PARAGRAPHS[1])]


def test_a_small_bold_heading_stands_alone(tmp_path):
    path = tmp_path / "fett.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([
        Paragraph("Ergebnisse der Prüfung", BOLD), Paragraph(PARAGRAPHS[0], BODY),
        Paragraph("Nächste Schritte", BOLD), Paragraph(PARAGRAPHS[1], BODY)])
    blocks, _ = _blocks(path)
    assert [(b.kind, b.text) for b in blocks] == [("heading", "Ergebnisse der Prüfung"), ("paragraph", PARAGRAPHS[0]),
                                                  ("heading", "Nächste Schritte"), ("paragraph", PARAGRAPHS[1])]


def test_numbered_list_items_stand_apart_and_a_date_at_a_line_start_stays_in_its_sentence(tmp_path):
    path = tmp_path / "liste.pdf"
    items = ["1. Prüfung der Haushalte", "2. Schulung der Bediensteten", "3. Bericht an den Landtag"]
    dated = ("Der Ausschuss hat seine Prüfung der Verwaltungsreform in den Bezirken der Provinz Nordost abgeschlossen am "
             "12. Mai 2024 und legt den Bericht vor.")  # "12. Mai" starts the third line
    SimpleDocTemplate(str(path), pagesize=A4).build([
        Paragraph("Der Plan umfasst drei Maßnahmen:", BODY), *[Paragraph(item, BODY) for item in items],
        Paragraph(dated, ParagraphStyle("narrow", parent=BODY, rightIndent=180))])
    blocks, _ = _blocks(path)
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "Der Plan umfasst drei Maßnahmen:"), *[("list_item", item) for item in items], ("paragraph", dated)]


def test_a_table_of_contents_leaves_the_records_for_the_metadata(tmp_path):
    path = tmp_path / "inhalt.pdf"
    entries = [("1 Einleitung", 2), ("2 Ergebnisse der Prüfung", 3), ("3 Nächste Schritte", 5)]
    SimpleDocTemplate(str(path), pagesize=A4).build([
        Paragraph("Inhaltsverzeichnis", BODY),
        *[Paragraph(f"{entry} {'.' * (80 - len(entry))} {page}", BODY) for entry, page in entries],
        Spacer(1, 30), Paragraph(PARAGRAPHS[0], BODY)])
    blocks, extracted = _blocks(path)
    assert [b.text for b in blocks] == [PARAGRAPHS[0]]
    contents = [item.text for item in extracted.furniture if item.kind == "contents"]
    assert contents == ["Inhaltsverzeichnis"] + [entry for entry, _ in entries]


def _header(canvas, doc) -> None:
    canvas.setFont("Helvetica", 10)
    canvas.drawString(60, A4[1] - 40, "Landesamt für Verwaltung – Pressemitteilung")


def test_the_header_of_a_one_page_report_is_furniture_and_the_info_gives_title_and_author(tmp_path):
    path = tmp_path / "mitteilung.pdf"
    SimpleDocTemplate(str(path), pagesize=A4, title="Prüfung der Verwaltungsreform", author="Anna Berger").build(
        [Paragraph("Prüfung der Verwaltungsreform", TITLE), *[Paragraph(text, BODY) for text in PARAGRAPHS]],
        onFirstPage=_header)
    blocks, extracted = _blocks(path)
    assert [b.text for b in blocks] == ["Prüfung der Verwaltungsreform", *PARAGRAPHS]
    assert [(i.kind, i.text) for i in extracted.furniture] == [("page_header", "Landesamt für Verwaltung – Pressemitteilung")]
    assert extracted.metadata["title"] == "Prüfung der Verwaltungsreform" and extracted.metadata["author"] == "Anna Berger"


def test_a_one_page_report_keeps_a_first_sentence_standing_apart(tmp_path):
    """Not every line set apart at the top is a header: a sentence stays in the body."""
    path = tmp_path / "kurz.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Paragraph("Der Bericht des Jahres liegt vor.", BODY), Spacer(1, 40), *[Paragraph(t, BODY) for t in PARAGRAPHS]])
    blocks, extracted = _blocks(path)
    assert [b.text for b in blocks] == ["Der Bericht des Jahres liegt vor.", *PARAGRAPHS]
    assert extracted.furniture == []
