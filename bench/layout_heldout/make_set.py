"""Generate the held-out layout set: documents under FOLDER/docs/, ground truth under FOLDER/truth/.

Run with the project's interpreter:  python -m bench.layout_heldout.make_set FOLDER [--check] [--ocr-check]
  --check      after generating, extract each text-layer document with independent tools
               (pdftotext, the DOCX/ODT XML, the HTML) and report how much of the truth they hold
  --ocr-check  also OCR the scans with tesseract and report the word recall it reaches
"""

from __future__ import annotations

import base64
import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape as xesc

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .common import wtoks
from .content import make_spec

# set by build_all(folder): where the documents, the truth and the scratch files go
FOLDER = Path("layout-heldout")
DOCS = FOLDER / "docs"
TRUTH = FOLDER / "truth"
LO_PROFILE = "file:///tmp/lo-profile-heldout"
FONT_DIR = Path("/usr/share/fonts/truetype")

ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]


# ===================================================================== truth units

def U(kind, text, **flags):
    unit = {"kind": kind, "text": text}
    unit.update({k: v for k, v in flags.items() if v is not None and v is not False})
    return unit


def spec_units(spec, *, title=True, notes=True, note_labels=None):
    """Truth units of a spec in reading order. Footnotes follow the paragraph that cites
    them; ``note_labels`` maps note id to the label printed in the body."""
    units = []
    if title:
        units.append(U("heading", spec["title"], role="title"))
    pid = tid = lid = 0
    for b in spec["blocks"]:
        t = b["t"]
        if t == "heading":
            units.append(U("heading", b["text"]))
        elif t == "p":
            pid += 1
            for i, s in enumerate(b["sents"]):
                u = U("paragraph-sentence", s, para=pid)
                for n in b["notes"]:
                    if n["sent"] == i and notes and note_labels:
                        u.setdefault("markers", []).append({"pos": n["pos"], "label": note_labels[n["id"]]})
                units.append(u)
            if notes:
                for n in b["notes"]:
                    note = spec["notes"][n["id"]]
                    for s in note["sents"]:
                        units.append(U("footnote", s, note=n["id"], endnote=note["kind"] == "endnote",
                                       label=(note_labels or {}).get(n["id"])))
        elif t == "list":
            lid += 1
            for item in b["items"]:
                units.append(U("list_item", item, list=lid))
        elif t == "table":
            tid += 1
            if b["cap_pos"] == "above":
                units.append(U("caption", b["caption"], table=tid))
            nest = b.get("nested")
            for r, row in enumerate(b["rows"]):
                for c, cell in enumerate(row):
                    if nest and (r, c) == (nest["row"], nest["col"]):
                        for rr, irow in enumerate(nest["rows"]):
                            for cc, icell in enumerate(irow):
                                units.append(U("table_cell", icell, table=f"{tid}.n", row=rr, col=cc, nested=True))
                    elif cell:
                        units.append(U("table_cell", cell, table=tid, row=r, col=c))
            if b["cap_pos"] == "below":
                units.append(U("caption", b["caption"], table=tid))
        elif t == "figure":
            units.append(U("caption", b["caption"], figure=True))
        elif t == "frame":
            for para in b["paras"]:
                pid += 1
                for s in para:
                    units.append(U("paragraph-sentence", s, para=pid, frame=True))
    return units


def note_labels_for(spec, endnote_style="roman"):
    labels, fn, en = {}, 0, 0
    for b in spec["blocks"]:
        if b["t"] != "p":
            continue
        for n in b["notes"]:
            if spec["notes"][n["id"]]["kind"] == "endnote":
                labels[n["id"]] = ROMAN[en] if endnote_style == "roman" else str(en + 1)
                en += 1
            else:
                fn += 1
                labels[n["id"]] = str(fn)
    return labels


def with_markers(sent, notes_here, labels, fmt):
    """The sentence with its footnote markers, as format pieces: fmt(label) makes one."""
    out, last = [], 0
    for n in sorted(notes_here, key=lambda n: n["pos"]):
        out.append(("text", sent[last:n["pos"]]))
        out.append(("mark", labels[n["id"]]))
        last = n["pos"]
    out.append(("text", sent[last:]))
    return out


def save_truth(name, category, lang, layout, path, units, furniture, metadata=None, extra=None):
    TRUTH.mkdir(exist_ok=True)
    record = {"doc": path.name, "category": category, "language": lang, "layout": layout, "units": units,
              "furniture": furniture, "metadata": metadata or {}}
    record.update(extra or {})
    (TRUTH / f"{path.stem}.{path.suffix.lstrip('.')}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1))
    return record


# ===================================================================== breaks inside units (PDF)

def pdf_words(path):
    """(token, page, x, y) for each word token pdftotext finds, in content order."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = []
    page = 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
            continue
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            text = m.group(5).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            for tok in wtoks(text):
                words.append((tok, page, float(m.group(1)), float(m.group(2))))
    return words


def locate(tokens, words, index, used):
    """Where each of a unit's tokens stands among the PDF's words: the longest unused run
    of words that continues the unit, piece by piece (pdftotext's word order need not be
    the reading order); ties go to the run nearest the previous piece."""
    found = [None] * len(tokens)
    k, prev = 0, None
    while k < len(tokens):
        best = None
        for j in index.get(tokens[k], ()):
            if j in used:
                continue
            n = 0
            while k + n < len(tokens) and j + n < len(words) and words[j + n][0] == tokens[k + n] and j + n not in used:
                n += 1
            score = (n, -abs(j - (prev + 1)) if prev is not None else 0)
            if best is None or score > best[0]:
                best = (score, j, n)
        if best is None:
            k += 1
            continue
        _, j, n = best
        if n == 1 and len(tokens) > 1 and prev is not None and abs(j - prev - 1) > 40:
            k += 1  # a lone common word far away: not evidence
            continue
        for i in range(n):
            found[k + i] = words[j + i]
            used.add(j + i)
        prev = j + n - 1
        k += n
    return found


def annotate_breaks(units, positions):
    """positions: (token, page, x, y) of the PDF's words. Each unit gets ``breaks``: token
    index k -> page/column/line when token k stands on another page, column or line than
    token k-1; and ``pages``."""
    index = {}
    for j, p in enumerate(positions):
        index.setdefault(p[0], []).append(j)
    used = set()
    # long units first: they claim their words before short ones (cells, headings) do
    order = sorted(range(len(units)), key=lambda i: -len(units[i]["text"]))
    for ui in order:
        u = units[ui]
        toks = wtoks(u["text"])
        where = locate(toks, positions, index, used)
        for k in range(1, len(toks)):
            if where[k] is None or where[k - 1] is None:
                continue
            _, p0, x0, y0 = where[k - 1]
            _, p1, x1, y1 = where[k]
            kind = None
            if p1 != p0:
                kind = "page"
            elif y1 < y0 - 3:
                kind = "column"
            elif y1 > y0 + 3:
                kind = "line"
            if kind:
                u.setdefault("breaks", {})[str(k)] = kind
        pages = sorted({w[1] for w in where if w})
        if pages:
            u["pages"] = pages


# ===================================================================== reportlab PDFs

_RL_FONTS_DONE = False


def rl_fonts():
    global _RL_FONTS_DONE
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    if not _RL_FONTS_DONE:
        for name, file in [("DejaVuSerif", "dejavu/DejaVuSerif.ttf"), ("DejaVuSerif-Bold", "dejavu/DejaVuSerif-Bold.ttf"),
                           ("DejaVuSerif-Italic", "dejavu/DejaVuSerif-Italic.ttf"), ("DejaVuSans", "dejavu/DejaVuSans.ttf"),
                           ("DejaVuSans-Bold", "dejavu/DejaVuSans-Bold.ttf"), ("DejaVuSans-Oblique", "dejavu/DejaVuSans-Oblique.ttf"),
                           ("LiberationSans", "liberation/LiberationSans-Regular.ttf"),
                           ("LiberationSans-Bold", "liberation/LiberationSans-Bold.ttf"),
                           ("LiberationSans-Italic", "liberation/LiberationSans-Italic.ttf"),
                           ("LiberationSerif", "liberation/LiberationSerif-Regular.ttf"),
                           ("LiberationSerif-Bold", "liberation/LiberationSerif-Bold.ttf"),
                           ("LiberationSerif-Italic", "liberation/LiberationSerif-Italic.ttf")]:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        _RL_FONTS_DONE = True


FONTSETS = {
    "helv": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
    "times": ("Times-Roman", "Times-Bold", "Times-Italic"),
    "dvserif": ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic"),
    "dvsans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"),
    "libsans": ("LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic"),
    "libserif": ("LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"),
}


def page_label(fmt, n, total, lang):
    return fmt.format(n=n, N=total)


def rl_build(path, spec, o, image_page=None):
    """A PDF with reportlab platypus. o: options (fonts, size, columns, header, footer,
    toc, bold_headings, info, note_style). Returns (units, furniture, pages)."""
    rl_fonts()
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        BaseDocTemplate,
        Flowable,
        Frame,
        FrameBreak,
        ListFlowable,
        ListItem,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )
    from reportlab.platypus.tableofcontents import TableOfContents

    reg, bold, ital = FONTSETS[o.get("fonts", "helv")]
    size = o.get("size", 10)
    lang = spec["lang"]
    W, H = A4
    margin = o.get("margin", 2.2) * cm
    top = 2.6 * cm
    foot_room = 4.8 * cm if spec["notes"] else 2.0 * cm
    body = ParagraphStyle("body", fontName=reg, fontSize=size, leading=size * 1.32, alignment=TA_JUSTIFY,
                          spaceAfter=size * 0.7, firstLineIndent=o.get("indent", 0))
    if o.get("bold_headings"):
        head = ParagraphStyle("H2", fontName=bold, fontSize=size, leading=size * 1.32, spaceBefore=size * 0.6,
                              spaceAfter=size * 0.2, keepWithNext=1)
    else:
        head = ParagraphStyle("H2", fontName=bold, fontSize=size + 3, leading=(size + 3) * 1.3, spaceBefore=size,
                              spaceAfter=size * 0.5, keepWithNext=1)
    title_st = ParagraphStyle("T", fontName=bold, fontSize=size + 8, leading=(size + 8) * 1.25, spaceAfter=size,
                              alignment=TA_LEFT)
    cap_st = ParagraphStyle("cap", fontName=ital, fontSize=size - 1, leading=(size - 1) * 1.3, spaceBefore=3, spaceAfter=6)
    cell_st = ParagraphStyle("cell", fontName=reg, fontSize=size - 1, leading=(size - 1) * 1.25)
    note_st = ParagraphStyle("note", fontName=reg, fontSize=size - 2, leading=(size - 2) * 1.25)
    list_st = ParagraphStyle("li", parent=body, alignment=TA_LEFT, spaceAfter=2, firstLineIndent=0)

    labels = note_labels_for(spec)
    furniture_by_page = {}
    notes_by_page = {}
    total_pages = [o.get("total_pages", 0)]

    def esc(t):
        return xesc(t)

    def decorate(canv, doc):
        n = canv.getPageNumber()
        items = []
        canv.saveState()
        canv.setFont(reg, size - 2)
        if o.get("header"):
            left = o["header"]
            canv.drawString(margin, H - 1.5 * cm, left)
            items.append(("page_header", left))
            if o.get("header_right"):
                canv.drawRightString(W - margin, H - 1.5 * cm, o["header_right"])
                items.append(("page_header", o["header_right"]))
            canv.setLineWidth(0.4)
            canv.line(margin, H - 1.65 * cm, W - margin, H - 1.65 * cm)
        if o.get("footer"):
            text = o["footer"].format(n=n, N=total_pages[0])
            pos = o.get("footer_pos", "center")
            if pos == "center":
                canv.drawCentredString(W / 2, 1.2 * cm, text)
            elif pos == "right":
                canv.drawRightString(W - margin, 1.2 * cm, text)
            else:
                canv.drawString(margin, 1.2 * cm, text)
            items.append(("page_number", text))
        if o.get("footer_left"):
            canv.drawString(margin, 1.2 * cm, o["footer_left"])
            items.append(("page_footer", o["footer_left"]))
        canv.restoreState()
        furniture_by_page[n] = items

    def page_end(canv, doc):
        n = canv.getPageNumber()
        notes = notes_by_page.pop(n, [])
        if not notes:
            return
        x0 = margin
        y = foot_room - 0.5 * cm
        canv.saveState()
        canv.setLineWidth(0.5)
        canv.line(x0, y, x0 + 4 * cm, y)
        canv.restoreState()
        y -= 4
        for label, text in notes:
            if o.get("note_style", "super") == "super":
                p = Paragraph(f"<super>{label}</super> {esc(text)}", note_st)
            else:
                p = Paragraph(f"{label} {esc(text)}", note_st)
            w, h = p.wrap(W - 2 * margin, 200)
            p.drawOn(canv, x0, y - h)
            y -= h + 2

    class NoteAnchor(Flowable):
        def __init__(self, items):
            super().__init__()
            self.items = items

        def wrap(self, aw, ah):
            return (0, 0)

        def draw(self):
            notes_by_page.setdefault(self.canv.getPageNumber(), []).extend(self.items)

    class Doc(BaseDocTemplate):
        def afterFlowable(self, flowable):
            if isinstance(flowable, Paragraph) and flowable.style.name == "H2":
                self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))

    def make_doc(target):
        info = o.get("info", True)
        kw = {"title": spec["title"], "author": spec["author"], "subject": spec["doctype"]} if info else {}
        doc = Doc(target, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=top, bottomMargin=foot_room, **kw)
        fh = H - top - foot_room
        if o.get("columns", 1) == 2:
            gap = 0.7 * cm
            cw = (W - 2 * margin - gap) / 2
            th = 3.4 * cm
            first = PageTemplate(id="first", onPage=decorate, onPageEnd=page_end, frames=[
                Frame(margin, foot_room + fh - th, W - 2 * margin, th, id="title"),
                Frame(margin, foot_room, cw, fh - th, id="c1"),
                Frame(margin + cw + gap, foot_room, cw, fh - th, id="c2")])
            later = PageTemplate(id="later", onPage=decorate, onPageEnd=page_end, frames=[
                Frame(margin, foot_room, cw, fh, id="c1"), Frame(margin + cw + gap, foot_room, cw, fh, id="c2")])
            doc.addPageTemplates([first, later])
            colw = cw
        else:
            doc.addPageTemplates([PageTemplate(id="one", onPage=decorate, onPageEnd=page_end,
                                               frames=[Frame(margin, foot_room, W - 2 * margin, fh, id="f")])])
            colw = W - 2 * margin

        return doc, colw

    def make_story(colw):
        story = []
        furniture_extra = []
        if o.get("columns", 1) == 2:
            story += [NextPageTemplate("later"), Paragraph(esc(spec["title"]), title_st), FrameBreak()]
        else:
            story.append(Paragraph(esc(spec["title"]), title_st))
        if o.get("toc"):
            toc_title = {"de": "Inhaltsverzeichnis", "fr": "Sommaire", "en": "Contents"}[lang]
            story.append(Paragraph(toc_title, ParagraphStyle("toct", fontName=bold, fontSize=size + 2, leading=(size + 2) * 1.3,
                                                              spaceAfter=6)))
            toc = TableOfContents()
            toc.dotsMinLevel = 0
            toc.levelStyles = [ParagraphStyle("toc1", fontName=reg, fontSize=size, leading=size * 1.5, leftIndent=0,
                                              firstLineIndent=0)]
            story += [toc, PageBreak()]
            furniture_extra.append(("toc_entry", toc_title))
            for b in spec["blocks"]:
                if b["t"] == "heading":
                    furniture_extra.append(("toc_entry", b["text"]))

        for b in spec["blocks"]:
            t = b["t"]
            if t == "heading":
                story.append(Paragraph(esc(b["text"]), head))
            elif t == "p":
                parts = []
                for i, s in enumerate(b["sents"]):
                    here = [n for n in b["notes"] if n["sent"] == i]
                    piece = ""
                    for kind, x in with_markers(s, here, labels, None):
                        piece += esc(x) if kind == "text" else f"<super>{x}</super>"
                    parts.append(piece)
                story.append(Paragraph(" ".join(parts), body))
                if b["notes"]:
                    items = []
                    for n in b["notes"]:
                        items.append((labels[n["id"]], " ".join(spec["notes"][n["id"]]["sents"])))
                    story.append(NoteAnchor(items))
            elif t == "list":
                flow = ListFlowable([ListItem(Paragraph(esc(x), list_st)) for x in b["items"]],
                                    bulletType="1" if b["ordered"] else "bullet", start="1" if b["ordered"] else "•",
                                    bulletFontName=reg, bulletFontSize=size, leftIndent=14)
                story.append(flow)
                story.append(Spacer(1, size * 0.6))
            elif t == "table":
                cap = Paragraph(esc(b["caption"]), cap_st)
                if b["cap_pos"] == "above":
                    story.append(cap)
                # column widths that hold each column's longest word, the font made smaller if need be
                from reportlab.pdfbase.pdfmetrics import stringWidth
                ncol = len(b["rows"][0])
                csize = size - 1
                while True:
                    need = [max(stringWidth(wd, bold, csize) for row in b["rows"] for wd in row[c].split()) + 14
                            for c in range(ncol)]
                    if sum(need) <= colw or csize <= 6:
                        break
                    csize -= 0.5
                cst = ParagraphStyle("cellx", parent=cell_st, fontSize=csize, leading=csize * 1.25)
                chst = ParagraphStyle("cellhx", parent=cst, fontName=bold)
                rows = [[Paragraph(esc(c), chst if r == 0 else cst) for c in row] for r, row in enumerate(b["rows"])]
                spare = colw - sum(need)
                widths = [n + spare * n / sum(need) for n in need]
                tab = Table(rows, colWidths=widths, repeatRows=1)
                tab.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                         ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
                                         ("VALIGN", (0, 0), (-1, -1), "TOP")]))
                story.append(tab)
                if b["cap_pos"] == "below":
                    story.append(cap)
                else:
                    story.append(Spacer(1, size * 0.6))
            elif t == "figure":
                d = Drawing(colw, 110)
                rng = random.Random(b["caption"])
                for k in range(7):
                    hgt = rng.randint(20, 100)
                    d.add(Rect(10 + k * (colw - 20) / 7, 5, (colw - 20) / 7 - 6, hgt, fillColor=colors.Color(0.3, 0.4, 0.6),
                               strokeColor=None))
                story += [Spacer(1, 4), d, Paragraph(esc(b["caption"]), cap_st)]

        return story, furniture_extra

    def build(target):
        doc, colw = make_doc(target)
        story, furniture_extra = make_story(colw)
        if o.get("toc"):
            doc.multiBuild(story)
        else:
            doc.build(story)
        return doc, furniture_extra

    if "{N}" in (o.get("footer") or ""):
        total_pages[0] = build(io.BytesIO())[0].page
    furniture_by_page.clear()
    doc, furniture_extra = build(str(path))
    pages = doc.page
    units = spec_units(spec, note_labels=labels)
    furniture = []
    for n in range(1, pages + 1):
        for kind, text in furniture_by_page.get(n, []):
            furniture.append({"kind": kind, "text": text, "page": n})
    for kind, text in furniture_extra:
        furniture.append({"kind": kind, "text": text})
    return units, furniture, pages


# ===================================================================== LibreOffice (flat ODT) documents

FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
"""


def fodt_styles(font, size, lang, country):
    return f"""<office:font-face-decls>
 <style:font-face style:name="{font}" svg:font-family="'{font}'" style:font-pitch="variable"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties style:tab-stop-distance="1.25cm"/>
  <style:text-properties style:font-name="{font}" fo:font-size="{size}pt" fo:language="{lang}" fo:country="{country}" fo:hyphenate="false"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
 <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
  <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm" fo:line-height="118%" fo:text-align="justify"/>
 </style:style>
 <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text">
  <style:paragraph-properties fo:margin-top="0.42cm" fo:margin-bottom="0.21cm" fo:keep-with-next="always"/>
  <style:text-properties fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading" style:class="chapter">
  <style:text-properties fo:font-size="20pt" fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1" style:class="text">
  <style:text-properties fo:font-size="15pt" fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2" style:class="text">
  <style:text-properties fo:font-size="13pt" fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Caption" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:paragraph-properties fo:margin-top="0.2cm" fo:margin-bottom="0.25cm"/>
  <style:text-properties fo:font-size="{size - 1}pt" fo:font-style="italic"/>
 </style:style>
 <style:style style:name="Table" style:family="paragraph" style:parent-style-name="Caption" style:class="extra"/>
 <style:style style:name="Figure" style:family="paragraph" style:parent-style-name="Caption" style:class="extra"/>
 <style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:paragraph-properties fo:margin-left="0.6cm" fo:text-indent="-0.6cm"/>
  <style:text-properties fo:font-size="{size - 2}pt"/>
 </style:style>
 <style:style style:name="Endnote" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:paragraph-properties fo:margin-left="0.6cm" fo:text-indent="-0.6cm"/>
  <style:text-properties fo:font-size="{size - 2}pt"/>
 </style:style>
 <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:text-properties fo:font-size="{size - 2}pt"/>
 </style:style>
 <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:paragraph-properties fo:text-align="center"/>
  <style:text-properties fo:font-size="{size - 2}pt"/>
 </style:style>
 <style:style style:name="Contents_20_Heading" style:display-name="Contents Heading" style:family="paragraph" style:parent-style-name="Heading" style:class="index">
  <style:text-properties fo:font-size="14pt" fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Contents_20_1" style:display-name="Contents 1" style:family="paragraph" style:parent-style-name="Standard" style:class="index">
  <style:paragraph-properties><style:tab-stops><style:tab-stop style:position="17cm" style:type="right" style:leader-style="dotted" style:leader-text="."/></style:tab-stops></style:paragraph-properties>
 </style:style>
 <style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:text-properties fo:font-size="{size - 1}pt"/>
 </style:style>
 <style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">
  <style:text-properties fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Frame_20_contents" style:display-name="Frame contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:text-properties fo:font-size="{size - 1}pt"/>
 </style:style>
 <style:style style:name="List_20_Paragraph" style:display-name="List Paragraph" style:family="paragraph" style:parent-style-name="Standard" style:class="list">
  <style:paragraph-properties fo:margin-bottom="0.1cm"/>
 </style:style>
 <style:style style:name="Frame" style:family="graphic">
  <style:graphic-properties text:anchor-type="paragraph" svg:x="0cm" svg:y="0cm" style:wrap="parallel" style:number-wrapped-paragraphs="no-limit" style:vertical-pos="top" style:vertical-rel="paragraph-content" style:horizontal-pos="center" style:horizontal-rel="paragraph-content"/>
 </style:style>
 <text:list-style style:name="LBullet">
  <text:list-level-style-bullet text:level="1" text:bullet-char="•">
   <style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.0cm" fo:text-indent="-0.5cm" fo:margin-left="1.0cm"/></style:list-level-properties>
  </text:list-level-style-bullet>
 </text:list-style>
 <text:list-style style:name="LNumber">
  <text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1">
   <style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.0cm" fo:text-indent="-0.5cm" fo:margin-left="1.0cm"/></style:list-level-properties>
  </text:list-level-style-number>
 </text:list-style>
 <text:notes-configuration text:note-class="footnote" style:num-format="1" text:start-value="0" text:footnotes-position="page" text:start-numbering-at="document"/>
 <text:notes-configuration text:note-class="endnote" style:num-format="i" text:start-value="0"/>
</office:styles>
"""


def fodt_auto(header, footer_xml, columns):
    cols = ""
    if columns:
        cols = """<style:style style:name="Sect2" style:family="section"><style:section-properties text:dont-balance-text-columns="false" style:editable="false">
  <style:columns fo:column-count="2" fo:column-gap="0.8cm"><style:column style:rel-width="5000*" fo:start-indent="0cm" fo:end-indent="0.4cm"/><style:column style:rel-width="5000*" fo:start-indent="0.4cm" fo:end-indent="0cm"/></style:columns>
 </style:section-properties></style:style>"""
    hdr = f'<style:header><text:p text:style-name="Header">{header}</text:p></style:header>' if header else ""
    ftr = f'<style:footer><text:p text:style-name="Footer">{footer_xml}</text:p></style:footer>' if footer_xml else ""
    return f"""<office:automatic-styles>
 <style:style style:name="Tab" style:family="table"><style:table-properties style:width="16.5cm" table:align="margins" fo:margin-top="0.1cm" fo:margin-bottom="0.1cm"/></style:style>
 <style:style style:name="TabIn" style:family="table"><style:table-properties style:width="7cm" table:align="left"/></style:style>
 <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #000000"/></style:style>
 <style:style style:name="fr1" style:family="graphic" style:parent-style-name="Frame">
  <style:graphic-properties style:wrap="parallel" style:number-wrapped-paragraphs="no-limit" style:vertical-pos="top" style:vertical-rel="paragraph" style:horizontal-pos="right" style:horizontal-rel="paragraph" fo:margin-left="0.3cm" fo:padding="0.2cm" fo:border="0.5pt solid #000000" fo:background-color="#eeeeee" draw:fill="solid" draw:fill-color="#eeeeee"/>
 </style:style>
 <style:style style:name="fr2" style:family="graphic" style:parent-style-name="Frame">
  <style:graphic-properties style:wrap="none" style:vertical-pos="top" style:vertical-rel="paragraph" style:horizontal-pos="center" style:horizontal-rel="paragraph"/>
 </style:style>
 <style:style style:name="SectToc" style:family="section"><style:section-properties style:editable="false"/></style:style>
 {cols}
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.2cm" fo:margin-right="2.2cm"/>
  <style:header-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-bottom="0.5cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-top="0.5cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">{hdr}{ftr}</style:master-page>
</office:master-styles>
"""


def chart_png(seed, w=900, h=420):
    rng = random.Random(seed)
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    d.line([(40, h - 30), (w - 20, h - 30)], fill="black", width=2)
    d.line([(40, 20), (40, h - 30)], fill="black", width=2)
    n = 7
    bw = (w - 80) / n
    for k in range(n):
        hh = rng.randint(60, h - 70)
        d.rectangle([50 + k * bw + 8, h - 30 - hh, 50 + (k + 1) * bw - 8, h - 31], fill=(70, 100, 160))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def fodt_build(spec, o):
    """Flat ODT text for the spec. o: font, size, header, footer (pattern with {page} and {count}),
    toc, columns (body after the first heading in a two-column section), frame/nested taken from the spec."""
    lang = spec["lang"]
    labels = note_labels_for(spec)
    country = {"de": "DE", "fr": "FR", "en": "GB"}[lang]
    footer_xml = None
    if o.get("footer"):
        footer_xml = xesc(o["footer"]).replace("{page}", '<text:page-number text:select-page="current">1</text:page-number>') \
                                       .replace("{count}", "<text:page-count>1</text:page-count>")
    out = [FODT_HEAD]
    out.append(f"<office:meta><meta:initial-creator>{xesc(spec['author'])}</meta:initial-creator>"
               f"<dc:creator>{xesc(spec['author'])}</dc:creator><dc:title>{xesc(spec['title'])}</dc:title>"
               f"<dc:language>{lang}-{country}</dc:language></office:meta>")
    out.append(fodt_styles(o.get("font", "Liberation Serif"), o.get("size", 11), lang, country))
    out.append(fodt_auto(xesc(o["header"]) if o.get("header") else None, footer_xml, o.get("columns")))
    out.append('<office:body><office:text><text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/>'
               '<text:sequence-decl text:display-outline-level="0" text:name="Figure"/></text:sequence-decls>')
    out.append(f'<text:p text:style-name="Title">{xesc(spec["title"])}</text:p>')
    furniture = []
    if o.get("header"):
        furniture.append({"kind": "page_header", "text": o["header"]})
    if o.get("toc"):
        toc_title = {"de": "Inhaltsverzeichnis", "fr": "Table des matières", "en": "Contents"}[lang]
        entries = []
        page = 1
        for k, b in enumerate(b for b in spec["blocks"] if b["t"] == "heading"):
            page = 1 + k // 2
            entries.append(f'<text:p text:style-name="Contents_20_1">{xesc(b["text"])}<text:tab/>{page}</text:p>')
        out.append(f"""<text:table-of-content text:style-name="SectToc" text:protected="true" text:name="TOC1">
<text:table-of-content-source text:outline-level="2">
<text:index-title-template text:style-name="Contents_20_Heading">{toc_title}</text:index-title-template>
<text:table-of-content-entry-template text:outline-level="1" text:style-name="Contents_20_1"><text:index-entry-link-start/><text:index-entry-chapter/><text:index-entry-text/><text:index-entry-tab-stop style:type="right" style:leader-char="."/><text:index-entry-page-number/><text:index-entry-link-end/></text:table-of-content-entry-template>
<text:table-of-content-entry-template text:outline-level="2" text:style-name="Contents_20_1"><text:index-entry-link-start/><text:index-entry-chapter/><text:index-entry-text/><text:index-entry-tab-stop style:type="right" style:leader-char="."/><text:index-entry-page-number/><text:index-entry-link-end/></text:table-of-content-entry-template>
</text:table-of-content-source>
<text:index-body><text:index-title text:style-name="SectToc" text:name="TOC1_Head"><text:p text:style-name="Contents_20_Heading">{toc_title}</text:p></text:index-title>
{''.join(entries)}
</text:index-body></text:table-of-content>""")
        furniture.append({"kind": "toc_entry", "text": toc_title})
        for b in spec["blocks"]:
            if b["t"] == "heading":
                furniture.append({"kind": "toc_entry", "text": b["text"]})
    section_open = False
    tno = fno = 0
    pending_frame = None
    for bi, b in enumerate(spec["blocks"]):
        t = b["t"]
        if o.get("columns") and not section_open and bi >= o.get("columns_from", 1):
            out.append('<text:section text:style-name="Sect2" text:name="Zweispaltig">')
            section_open = True
        if t == "heading":
            out.append(f'<text:h text:style-name="Heading_20_2" text:outline-level="2">{xesc(b["text"])}</text:h>')
        elif t == "p":
            pieces = []
            for i, s in enumerate(b["sents"]):
                here = [n for n in b["notes"] if n["sent"] == i]
                piece = ""
                for kind, x in with_markers(s, here, labels, None):
                    if kind == "text":
                        piece += xesc(x)
                    else:
                        nid = next(n["id"] for n in here if labels[n["id"]] == x)
                        note = spec["notes"][nid]
                        cls = note["kind"]
                        style = "Footnote" if cls == "footnote" else "Endnote"
                        piece += (f'<text:note text:id="{nid}" text:note-class="{cls}"><text:note-citation>{x}</text:note-citation>'
                                  f'<text:note-body><text:p text:style-name="{style}">{xesc(" ".join(note["sents"]))}</text:p>'
                                  f'</text:note-body></text:note>')
                pieces.append(piece)
            frame = ""
            if pending_frame is not None:
                frame = pending_frame
                pending_frame = None
            out.append(f'<text:p text:style-name="Text_20_body">{frame}{" ".join(pieces)}</text:p>')
        elif t == "list":
            style = "LNumber" if b["ordered"] else "LBullet"
            items = "".join(f'<text:list-item><text:p text:style-name="List_20_Paragraph">{xesc(x)}</text:p></text:list-item>'
                            for x in b["items"])
            out.append(f'<text:list text:style-name="{style}">{items}</text:list>')
        elif t == "table":
            tno += 1
            if section_open:  # a table goes full width: the two-column section is closed around it
                out.append("</text:section>")
                section_open = "closed"
            cap_label, sep, desc = re.match(r"(\S+ )\d+(\s?: )(.*)", b["caption"]).groups()
            cap = (f'<text:p text:style-name="Table">{xesc(cap_label)}<text:sequence text:ref-name="refTable{tno}" text:name="Table" '
                   f'text:formula="ooow:Table+1" style:num-format="1">{tno}</text:sequence>{xesc(sep)}{xesc(desc)}</text:p>')
            if b["cap_pos"] == "above":
                out.append(cap)
            ncol = len(b["rows"][0])
            nest = b.get("nested")
            rows_xml = []
            for r, row in enumerate(b["rows"]):
                cells = []
                for c, cell in enumerate(row):
                    pstyle = "Table_20_Heading" if r == 0 else "Table_20_Contents"
                    if nest and (r, c) == (nest["row"], nest["col"]):
                        inner = "".join("<table:table-row>" + "".join(
                            f'<table:table-cell table:style-name="Cell" office:value-type="string"><text:p text:style-name="Table_20_Contents">{xesc(x)}</text:p></table:table-cell>'
                            for x in irow) + "</table:table-row>" for irow in nest["rows"])
                        content = (f'<table:table table:name="Inner{tno}" table:style-name="TabIn"><table:table-column table:number-columns-repeated="2"/>'
                                   f'{inner}</table:table>')
                    else:
                        content = f'<text:p text:style-name="{pstyle}">{xesc(cell)}</text:p>'
                    cells.append(f'<table:table-cell table:style-name="Cell" office:value-type="string">{content}</table:table-cell>')
                row_xml = "<table:table-row>" + "".join(cells) + "</table:table-row>"
                rows_xml.append(f"<table:table-header-rows>{row_xml}</table:table-header-rows>" if r == 0 else row_xml)
            out.append(f'<table:table table:name="Tabelle{tno}" table:style-name="Tab"><table:table-column table:number-columns-repeated="{ncol}"/>'
                       + "".join(rows_xml) + "</table:table>")
            if b["cap_pos"] == "below":
                out.append(cap)
            if section_open == "closed":
                out.append(f'<text:section text:style-name="Sect2" text:name="Zweispaltig{tno}">')
                section_open = True
        elif t == "figure":
            fno += 1
            png = base64.b64encode(chart_png(b["caption"])).decode()
            out.append(f'<text:p text:style-name="Standard"><draw:frame draw:style-name="fr2" draw:name="Bild{fno}" text:anchor-type="as-char" '
                       f'svg:width="12cm" svg:height="5.6cm" draw:z-index="1"><draw:image><office:binary-data>{png}</office:binary-data>'
                       f'</draw:image></draw:frame></text:p>')
            cap_label, sep, desc = re.match(r"(\S+ )\d+(\s?: )(.*)", b["caption"]).groups()
            out.append(f'<text:p text:style-name="Figure">{xesc(cap_label)}<text:sequence text:ref-name="refFigure{fno}" text:name="Figure" '
                       f'text:formula="ooow:Figure+1" style:num-format="1">{fno}</text:sequence>{xesc(sep)}{xesc(desc)}</text:p>')
        elif t == "frame":
            paras = "".join(f'<text:p text:style-name="Frame_20_contents">{xesc(" ".join(p))}</text:p>' for p in b["paras"])
            pending_frame = (f'<draw:frame draw:style-name="fr1" draw:name="Kasten" text:anchor-type="paragraph" svg:width="6.5cm" '
                             f'draw:z-index="0"><draw:text-box fo:min-height="1cm">{paras}</draw:text-box></draw:frame>')
    if pending_frame is not None:
        out.append(f'<text:p text:style-name="Text_20_body">{pending_frame}</text:p>')
    if section_open:
        out.append("</text:section>")
    out.append("</office:text></office:body></office:document>\n")
    return "".join(out), labels, furniture


def soffice(files, target, outdir):
    files = [str(f) for f in files]
    cmd = ["soffice", f"-env:UserInstallation={LO_PROFILE}", "--headless", "--convert-to", target, "--outdir", str(outdir)] + files
    subprocess.run(cmd, check=True, capture_output=True, timeout=600)


# ===================================================================== python-docx documents

def docx_build(path, spec, o):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    d.core_properties.title = spec["title"]
    d.core_properties.author = spec["author"]
    d.core_properties.language = spec["lang"]
    style = d.styles["Normal"]
    style.font.name = o.get("font", "Liberation Sans")
    style.font.size = Pt(o.get("size", 11))
    sec = d.sections[0]
    furniture = []
    if o.get("header"):
        sec.header.paragraphs[0].text = o["header"]
        furniture.append({"kind": "page_header", "text": o["header"]})
    if o.get("footer_prefix") is not None:
        p = sec.footer.paragraphs[0]
        p.text = o["footer_prefix"]
        run = p.add_run()
        for tag, attr in (("w:fldChar", {"w:fldCharType": "begin"}), ("w:instrText", None), ("w:fldChar", {"w:fldCharType": "separate"}),
                          ("w:t", None), ("w:fldChar", {"w:fldCharType": "end"})):
            el = OxmlElement(tag)
            if attr:
                for k, v in attr.items():
                    el.set(qn(k), v)
            if tag == "w:instrText":
                el.set(qn("xml:space"), "preserve")
                el.text = " PAGE "
            if tag == "w:t":
                el.text = "1"
            run._r.append(el)
    d.add_heading(spec["title"], level=0)
    for b in spec["blocks"]:
        t = b["t"]
        if t == "heading":
            d.add_heading(b["text"], level=1)
        elif t == "p":
            d.add_paragraph(" ".join(b["sents"]))
        elif t == "list":
            for x in b["items"]:
                d.add_paragraph(x, style="List Number" if b["ordered"] else "List Bullet")
        elif t == "table":
            if b["cap_pos"] == "above":
                d.add_paragraph(b["caption"], style="Caption")
            rows = b["rows"]
            tab = d.add_table(rows=len(rows), cols=len(rows[0]))
            tab.style = "Table Grid"
            nest = b.get("nested")
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    if nest and (r, c) == (nest["row"], nest["col"]):
                        target = tab.cell(r, c)
                        inner = target.add_table(rows=len(nest["rows"]), cols=2)
                        inner.style = "Table Grid"
                        for rr, irow in enumerate(nest["rows"]):
                            for cc, x in enumerate(irow):
                                inner.cell(rr, cc).text = x
                    else:
                        tab.cell(r, c).text = cell
                        if r == 0:
                            for run in tab.cell(r, c).paragraphs[0].runs:
                                run.bold = True
            if b["cap_pos"] == "below":
                d.add_paragraph(b["caption"], style="Caption")
        elif t == "figure":
            d.add_picture(io.BytesIO(chart_png(b["caption"])), width=docx.shared.Cm(12))
            d.add_paragraph(b["caption"], style="Caption")
        elif t == "frame":
            for para in b["paras"]:
                d.add_paragraph(" ".join(para), style="Intense Quote")
    d.save(str(path))
    return furniture


# ===================================================================== HTML

HTML_SITES = {
    "de": {"nav": ["Startseite", "Rathaus & Politik", "Leben & Wohnen", "Wirtschaft", "Presse", "Kontakt"],
           "footer": ["Impressum", "Datenschutzerklärung", "Barrierefreiheit"], "copy": "© {year} Stadt {place}"},
    "fr": {"nav": ["Accueil", "Vie municipale", "Démarches", "Culture et loisirs", "Actualités", "Contact"],
           "footer": ["Mentions légales", "Politique de confidentialité", "Plan du site"], "copy": "© {year} Ville de {place}"},
    "en": {"nav": ["Home", "Council and democracy", "Bins and recycling", "Planning", "News", "Contact us"],
           "footer": ["Accessibility statement", "Privacy notice", "Cookies"], "copy": "© {year} {place} City Council"},
}


def html_build(path, spec, o, rng):
    """Hand-written HTML. o: style (news, press, wordhtml), br (paragraphs as <br> lines),
    date_meta (published_time or date), site (nav/footer), footnotes come from the spec."""
    lang = spec["lang"]
    site = HTML_SITES[lang]
    place = spec["place"]
    units = []
    furniture = []
    pub = f"{spec['year']}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    labels = note_labels_for(spec, endnote_style="arabic")
    head = [f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">',
            f"<title>{xesc(spec['title'])}{' | ' + xesc(site['copy'].format(year=spec['year'], place=place)[7:]) if o.get('title_suffix') else ''}</title>",
            f'<meta name="author" content="{xesc(spec["author"])}">']
    if o.get("date_meta") == "published_time":
        head.append(f'<meta property="og:title" content="{xesc(spec["title"])}">')
        head.append(f'<meta property="article:published_time" content="{pub}T{rng.randint(6, 18):02d}:{rng.choice(["00", "15", "30", "45"])}:00+01:00">')
    elif o.get("date_meta") == "date":
        head.append(f'<meta name="date" content="{pub}">')
    head.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    head.append("<style>body{font-family:sans-serif;max-width:46em;margin:auto} table{border-collapse:collapse} td,th{border:1px solid #999;padding:3px}</style>")
    head.append("</head>\n<body>")
    body = []
    if o.get("site"):
        body.append("<header><nav><ul>" + "".join(f'<li><a href="/{k}">{xesc(x)}</a></li>' for k, x in enumerate(site["nav"]))
                    + "</ul></nav></header>")
        furniture += [{"kind": "nav", "text": x} for x in site["nav"]]
    style = o.get("style", "news")
    if style == "wordhtml":
        body.append('<div class="WordSection1">')
        body.append(f'<p class="MsoTitle">{xesc(spec["title"])}</p>')
    else:
        body.append("<main><article>")
        body.append(f"<h1>{xesc(spec['title'])}</h1>")
    units.append(U("heading", spec["title"], role="title"))
    pid = tid = lid = 0
    notes_out = []
    for b in spec["blocks"]:
        t = b["t"]
        if t == "heading":
            tag = "h2" if style != "wordhtml" else "h2"
            body.append(f"<{tag}>{xesc(b['text'])}</{tag}>")
            units.append(U("heading", b["text"]))
        elif t == "p":
            pid += 1
            br = o.get("br") and len(b["sents"]) > 1 and rng.random() < 0.7
            pieces = []
            for i, s in enumerate(b["sents"]):
                here = [n for n in b["notes"] if n["sent"] == i]
                piece = ""
                for kind, x in with_markers(s, here, labels, None):
                    if kind == "text":
                        piece += xesc(x)
                    else:
                        piece += f'<a href="#_ftn{x}" name="_ftnref{x}"><sup>[{x}]</sup></a>'
                pieces.append(piece)
                u = U("paragraph-sentence", s, para=pid, br=br)
                for n in here:
                    u.setdefault("markers", []).append({"pos": n["pos"], "label": f"[{labels[n['id']]}]"})
                units.append(u)
            for n in b["notes"]:
                notes_out.append((labels[n["id"]], spec["notes"][n["id"]]["sents"], n["id"]))
            joiner = "<br>\n" if br else " "
            cls = ' class="MsoNormal"' if style == "wordhtml" else ""
            body.append(f"<p{cls}>" + joiner.join(pieces) + "</p>")
        elif t == "list":
            lid += 1
            tag = "ol" if b["ordered"] else "ul"
            body.append(f"<{tag}>" + "".join(f"<li>{xesc(x)}</li>" for x in b["items"]) + f"</{tag}>")
            units += [U("list_item", x, list=lid) for x in b["items"]]
        elif t == "table":
            tid += 1
            rows = b["rows"]
            cap_units = [U("caption", b["caption"], table=tid)]
            html = ["<table>"]
            if o.get("table_caption_tag", True):
                html.append(f"<caption>{xesc(b['caption'])}</caption>")
                before = cap_units
                after = []
            else:
                before, after = ([], cap_units) if b["cap_pos"] == "below" else (cap_units, [])
            cells = []
            html.append("<thead><tr>" + "".join(f"<th>{xesc(c)}</th>" for c in rows[0]) + "</tr></thead><tbody>")
            for r, row in enumerate(rows):
                if r:
                    html.append("<tr>" + "".join(f"<td>{xesc(c)}</td>" for c in row) + "</tr>")
                cells += [U("table_cell", c, table=tid, row=r, col=k) for k, c in enumerate(row) if c]
            html.append("</tbody></table>")
            if not o.get("table_caption_tag", True):
                cap_html = f'<p class="caption"><em>{xesc(b["caption"])}</em></p>'
                html = [cap_html] + html if before else html + [cap_html]
            body.append("\n".join(html))
            units += before + cells + after
        elif t == "figure":
            body.append(f'<figure><img src="data:image/png;base64,{base64.b64encode(chart_png(b["caption"], 300, 140)).decode()}" alt="">'
                        f"<figcaption>{xesc(b['caption'])}</figcaption></figure>")
            units.append(U("caption", b["caption"], figure=True))
        elif t == "frame":
            for para in b["paras"]:
                pid += 1
                body.append(f'<aside class="infobox"><p>{xesc(" ".join(para))}</p></aside>')
                units += [U("paragraph-sentence", s, para=pid, frame=True) for s in para]
    if notes_out:
        body.append('<div style="mso-element:footnote-list"><hr align="left" width="33%">')
        for label, sents, nid in notes_out:
            body.append(f'<div style="mso-element:footnote" id="ftn{label}"><p class="MsoFootnoteText">'
                        f'<a href="#_ftnref{label}" name="_ftn{label}">[{label}]</a> {xesc(" ".join(sents))}</p></div>')
            units += [U("footnote", s, note=nid, label=f"[{label}]") for s in sents]
        body.append("</div>")
    body.append("</div>" if style == "wordhtml" else "</article></main>")
    if o.get("site"):
        copy = site["copy"].format(year=spec["year"], place=place)
        body.append("<footer><p>" + " · ".join(f'<a href="/{x[:4]}">{xesc(x)}</a>' for x in site["footer"]) + f"</p><p>{xesc(copy)}</p></footer>")
        furniture += [{"kind": "page_footer", "text": x} for x in site["footer"]] + [{"kind": "page_footer", "text": copy}]
    path.write_text("\n".join(head + body) + "\n</body>\n</html>\n", encoding="utf-8")
    meta = {"title": spec["title"], "author": spec["author"]}
    if o.get("date_meta"):
        meta["date"] = pub
    return units, furniture, meta


# ===================================================================== scans

SCAN_FONTS = {
    "dvserif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "dvsans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "libserif": ("liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Bold.ttf"),
    "libsans": ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf"),
}
VOWELS = set("aeiouäöüyéèàâêîôûAEIOUÄÖÜÉ")


def hyphen_split(word, font, room):
    """Where to break ``word`` so that part+'-' fits in ``room`` px: at a real hyphen, or
    between a vowel and a consonant; None when no break fits."""
    core = word.rstrip(".,;:)»\"”!?")
    best = None
    for i in range(3, len(core) - 2):
        a, b = core[i - 1], core[i]
        real = a == "-"
        if not real and not (a in VOWELS and b.isalpha() and b not in VOWELS):
            continue
        if not core[:i].replace("-", "").isalpha() and not real:
            continue
        head = core[:i] if real else core[:i] + "-"
        if font.getlength(head) <= room:
            best = (i, real)
    return best


def layout_scan(blocks, o, rng):
    """Lay out blocks on A4 pages at o['dpi']: returns pages (PIL images), per-token
    positions for the truth and the hyphenations made."""
    dpi = o["dpi"]
    W, H = int(8.27 * dpi), int(11.69 * dpi)

    def px(pt):
        return int(round(pt * dpi / 72))

    reg_file, bold_file = SCAN_FONTS[o.get("font", "dvserif")]
    fsize = o.get("size", 11)
    f_body = ImageFont.truetype(str(FONT_DIR / reg_file), px(fsize))
    f_head = ImageFont.truetype(str(FONT_DIR / bold_file), px(fsize + 2))
    f_title = ImageFont.truetype(str(FONT_DIR / bold_file), px(fsize + 6))
    f_small = ImageFont.truetype(str(FONT_DIR / reg_file), px(fsize - 2))
    ml = int(2.4 / 2.54 * dpi)
    mt = int(2.6 / 2.54 * dpi)
    mb = int(2.6 / 2.54 * dpi)
    width = W - 2 * ml
    pages = []
    positions = []  # (unit index, token, page, line no)
    hyph = []
    state = {"img": None, "draw": None, "y": 0, "page": 0, "line": 0}
    furniture = []

    def new_page():
        if state["img"] is not None:
            pages.append(state["img"])
        img = Image.new("L", (W, H), 255)
        dr = ImageDraw.Draw(img)
        state.update(img=img, draw=dr, y=mt, page=state["page"] + 1)
        n = state["page"]
        if o.get("header"):
            dr.text((ml, int(1.3 / 2.54 * dpi)), o["header"], font=f_small, fill=0)
            dr.line([(ml, int(1.3 / 2.54 * dpi) + px(fsize)), (W - ml, int(1.3 / 2.54 * dpi) + px(fsize))], fill=0, width=max(1, dpi // 150))
            furniture.append({"kind": "page_header", "text": o["header"], "page": n})
        if o.get("footer"):
            text = o["footer"].format(n=n)
            tw = f_small.getlength(text)
            dr.text(((W - tw) / 2, H - int(1.5 / 2.54 * dpi)), text, font=f_small, fill=0)
            furniture.append({"kind": "page_number", "text": text, "page": n})

    def need(h):
        if state["img"] is None or state["y"] + h > H - mb:
            new_page()

    def put_words(words, font, indent=0, gap_after=0.5, first_indent=0):
        """words: (text, unit index, token list). Greedy lines, hyphenating long words
        (sometimes) when they do not fit."""
        lh = int(font.size * 1.35)
        space = font.getlength(" ")
        queue = list(words)
        line, cur = [], indent + first_indent
        def flush(last=False):
            need(lh)
            x = ml + (indent if not flush.first else indent + first_indent)
            flush.first = False
            state["line"] += 1
            gaps = len(line) - 1
            natural = sum(font.getlength(w[0]) for w in line) + space * gaps
            extra = 0 if last or gaps == 0 or not o.get("justify") else (width - (x - ml) - natural) / gaps
            for text, ui, toks in line:
                state["draw"].text((x, state["y"]), text, font=font, fill=0)
                for tok in toks:
                    positions.append((ui, tok, state["page"], state["line"]))
                x += font.getlength(text) + space + extra
            state["y"] += lh
        flush.first = True
        while queue:
            w = queue.pop(0)
            wl = font.getlength(w[0])
            if cur + wl <= width or not line:
                if cur + wl > width and not line:  # a word longer than the line: put it anyway
                    pass
                line.append(w)
                cur += wl + space
                continue
            room = width - cur
            split = hyphen_split(w[0], font, room) if o.get("hyphenate") and rng.random() < 0.85 and len(w[0]) >= 7 else None
            if split:
                i, real = split
                text, ui, toks = w
                head = text[:i] if real else text[:i] + "-"
                tail = text[i:]
                head_toks = [t for t in wtoks(text[:i])]
                tail_toks = toks[len(head_toks):] if real else []
                if not real:
                    head_toks = toks  # the whole word counts on the first line
                line.append((head, ui, head_toks))
                hyph.append({"unit": ui, "word": re.sub(r"[^\w-]", "", text), "head": text[:i], "tail": re.sub(r"[^\w-]", "", tail), "real_hyphen": real})
                flush()
                line, cur = [], indent
                queue.insert(0, (tail, ui, tail_toks))
                continue
            flush()
            line, cur = [w], indent + wl + space
        if line:
            flush(last=True)
        state["y"] += int(lh * gap_after)

    for blk in blocks:
        kind, text, ui = blk["kind"], blk["text"], blk.get("units")
        if kind == "title":
            need(int(f_title.size * 3))
            put_words([(w, ui[0], wtoks(w)) for w in text.split()], f_title, gap_after=0.8)
        elif kind == "heading":
            need(int(f_head.size * 4))
            state["y"] += int(f_head.size * 0.5)
            put_words([(w, ui[0], wtoks(w)) for w in text.split()], f_head, gap_after=0.3)
        elif kind == "para":
            words = []
            for s, u in zip(blk["sents"], ui):
                words += [(w, u, wtoks(w)) for w in s.split()]
            put_words(words, f_body, first_indent=px(fsize * 1.8) if o.get("indent") else 0,
                      gap_after=0.25 if o.get("indent") else 0.8)
        elif kind == "item":
            words = [(w, ui[0], wtoks(w)) for w in text.split()]
            need(int(f_body.size * 1.4))
            state["draw"].text((ml + px(6), state["y"]), "–", font=f_body, fill=0)
            put_words(words, f_body, indent=px(20), gap_after=0.15)
    pages.append(state["img"])
    return pages, positions, hyph, furniture


def scan_spec_blocks(spec):
    """Scan blocks and truth units for a spec (headings, paragraphs, list items)."""
    units, blocks = [], []
    units.append(U("heading", spec["title"], role="title"))
    blocks.append({"kind": "title", "text": spec["title"], "units": [0]})
    pid = lid = 0
    for b in spec["blocks"]:
        if b["t"] == "heading":
            units.append(U("heading", b["text"]))
            blocks.append({"kind": "heading", "text": b["text"], "units": [len(units) - 1]})
        elif b["t"] == "p":
            pid += 1
            idx = []
            for s in b["sents"]:
                units.append(U("paragraph-sentence", s, para=pid))
                idx.append(len(units) - 1)
            blocks.append({"kind": "para", "sents": b["sents"], "units": idx, "text": ""})
        elif b["t"] == "list":
            lid += 1
            for x in b["items"]:
                units.append(U("list_item", x, list=lid))
                blocks.append({"kind": "item", "text": x, "units": [len(units) - 1]})
    return units, blocks


def scan_breaks(units, positions):
    last = {}
    for ui, _tok, page, line in positions:
        k = last.get(ui, (-1, None, None))
        idx = k[0] + 1
        if k[1] is not None:
            if page != k[1]:
                units[ui].setdefault("breaks", {})[str(idx)] = "page"
            elif line != k[2]:
                units[ui].setdefault("breaks", {})[str(idx)] = "line"
        last[ui] = (idx, page, line)
        units[ui].setdefault("pages", [])
        if page not in units[ui]["pages"]:
            units[ui]["pages"].append(page)


def degrade(img, o, rng):
    """Rotation, blur, noise, JPEG artefacts as o says; returns an 'L' image."""
    if o.get("rotate"):
        angle = o["rotate"] * rng.choice([-1, 1])
        img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    if o.get("blur"):
        img = img.filter(ImageFilter.GaussianBlur(o["blur"]))
    if o.get("noise"):
        arr = np.asarray(img).astype(np.float32)
        arr += np.random.default_rng(rng.randint(0, 10**6)).normal(0, o["noise"], arr.shape)
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if o.get("jpeg_q") and o.get("fmt") != "jpg":
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=o["jpeg_q"])
        img = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return img


def save_scan(path, pages, o):
    dpi = o["dpi"]
    fmt = o["fmt"]
    if fmt == "png":
        pages[0].save(path, "PNG", dpi=(dpi, dpi))
    elif fmt == "jpg":
        pages[0].save(path, "JPEG", quality=o.get("jpeg_q", 90), dpi=(dpi, dpi))
    elif fmt == "tif":
        if o.get("bilevel"):
            pages = [p.point(lambda v: 255 if v > 150 else 0).convert("1") for p in pages]
            pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], compression="group4", dpi=(dpi, dpi))
        else:
            pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw", dpi=(dpi, dpi))
    elif fmt == "pdf":
        rgb = [p.convert("RGB") for p in pages]
        rgb[0].save(path, "PDF", save_all=True, append_images=rgb[1:], resolution=float(dpi))


# ===================================================================== the set

def category_of(kind):
    return kind


def build_all(folder, check=False, ocr_check=False):
    global FOLDER, DOCS, TRUTH, LO_PROFILE
    FOLDER = Path(folder).resolve()
    DOCS, TRUTH = FOLDER / "docs", FOLDER / "truth"
    LO_PROFILE = (FOLDER / "lo-profile").as_uri()
    if DOCS.exists():
        shutil.rmtree(DOCS)
    if TRUTH.exists():
        shutil.rmtree(TRUTH)
    DOCS.mkdir(parents=True)
    TRUTH.mkdir()
    seq = [0]

    def name(cat, lang, tag, ext):
        seq[0] += 1
        return DOCS / f"{seq[0]:02d}_{cat}_{lang}_{tag}.{ext}"

    made = []

    # ------------------------------------------------------------- reportlab PDFs
    H = {"de": "{place} · {doctype} {year}", "fr": "{place} · {doctype} {year}", "en": "{place} · {doctype} {year}"}
    rl_plan = [
        # tag, lang, seed, spec kwargs, render options
        ("twocol", "de", 11, dict(paragraphs=(9, 10), sentences=(4, 6), numbered=True),
         dict(columns=2, fonts="times", size=10.5, footer="– {n} –", header=True)),
        ("twocol", "fr", 12, dict(paragraphs=(9, 10), sentences=(4, 6), tables=1),
         dict(columns=2, fonts="dvserif", size=9.5, footer="Page {n}/{N}", footer_pos="right", header=True)),
        ("twocol", "en", 13, dict(paragraphs=(8, 9), sentences=(4, 5), themes=["haushalt", "bau", "umwelt"]),
         dict(columns=2, fonts="libsans", size=11.5, footer="{n}", footer_pos="right", header=True, footer_left=True)),
        ("twocol-notes", "de", 14, dict(paragraphs=(8, 9), sentences=(4, 6), footnotes=3),
         dict(columns=2, fonts="libserif", size=10.5, footer="Seite {n}", header=True)),
        ("twocol-table", "de", 15, dict(paragraphs=(8, 9), sentences=(3, 5), tables=1, lists=1),
         dict(columns=2, fonts="dvsans", size=9.5, footer="{n}", footer_pos="right", header=True, header_right=True)),
        ("footnotes", "de", 21, dict(paragraphs=(6, 8), sentences=(4, 6), footnotes=4),
         dict(fonts="helv", size=10.5, footer="Seite {n} von {N}", footer_pos="right", header=True)),
        ("footnotes", "fr", 22, dict(paragraphs=(6, 8), sentences=(4, 6), footnotes=4, numbered=True),
         dict(fonts="libserif", size=11, footer="– {n} –", header=True, note_style="plain")),
        ("tables", "de", 31, dict(paragraphs=(5, 7), tables=2, lists=1),
         dict(fonts="dvsans", size=9.5, footer="Seite {n}", header=True)),
        ("tables", "fr", 32, dict(paragraphs=(5, 7), tables=2, figures=1),
         dict(fonts="times", size=11, footer="{n}", footer_pos="right", header=True)),
        ("boldheads", "de", 41, dict(paragraphs=(6, 8), lists=1),
         dict(fonts="libsans", size=10, bold_headings=True, footer="{n}", header=True)),
        ("boldheads", "fr", 42, dict(paragraphs=(6, 8), tables=1),
         dict(fonts="helv", size=10, bold_headings=True, footer="Page {n}", footer_pos="right", header=False, info=False)),
        ("toc", "de", 51, dict(paragraphs=(7, 8), sentences=(3, 5), numbered=True, tables=1),
         dict(fonts="dvserif", size=10, toc=True, footer="Seite {n}", header=True)),
        ("toc", "fr", 52, dict(paragraphs=(7, 8), sentences=(3, 5), numbered=True, lists=1),
         dict(fonts="libserif", size=11, toc=True, footer="{n}", footer_pos="right", header=True)),
        ("onepage", "de", 61, dict(paragraphs=(3, 4), sentences=(2, 4), headings=False),
         dict(fonts="helv", size=11, header=True, header_right=True)),
        ("onepage", "fr", 62, dict(paragraphs=(3, 4), sentences=(2, 4), headings=False),
         dict(fonts="times", size=11.5, header=True, info=False)),
    ]
    for tag, lang, seed, skw, ro in rl_plan:
        rng = random.Random(seed)
        spec = make_spec(lang, rng, **skw)
        ro = dict(ro)
        if ro.get("header") is True:
            ro["header"] = H[lang].format(place=spec["place"], doctype=spec["doctype"], year=spec["year"])
        if ro.get("header_right") is True:
            ro["header_right"] = {"de": "Stand: ", "fr": "Mise à jour : ", "en": "Updated: "}[lang] + \
                f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{spec['year']}"
        if ro.get("footer_left") is True:
            ro["footer_left"] = spec["author"]
        path = name("textpdf", lang, tag, "pdf")
        units, furniture, pages = rl_build(path, spec, ro)
        annotate_breaks(units, pdf_words(path))
        meta = {"title": spec["title"], "author": spec["author"]} if ro.get("info", True) else {"placeholder": True}
        made.append(save_truth(path.stem, "text PDF", lang, [tag], path, units, furniture, meta, {"pages": pages}))

    # mixed: two text pages and one image-only page (a scanned statement)
    rng = random.Random(71)
    spec = make_spec("de", rng, paragraphs=(6, 7), sentences=(4, 5))
    header = f"{spec['place']} · {spec['doctype']} {spec['year']}"
    tmp = Path(tempfile.mkdtemp(dir=FOLDER))
    units, furniture, pages = rl_build(tmp / "text.pdf", spec, dict(fonts="dvserif", size=10.5, header=header, footer="Seite {n}"))
    annotate_breaks(units, pdf_words(tmp / "text.pdf"))
    annex = make_spec("de", random.Random(72), paragraphs=(2, 3), sentences=(3, 4), headings=False)
    annex_title = "Anlage: Stellungnahme des Ortsbeirats"
    annex["title"] = annex_title
    a_units, a_blocks = scan_spec_blocks(annex)
    simg, spos, shyph, sfurn = layout_scan(a_blocks, dict(dpi=200, font="libserif", header=header, footer=f"Seite {pages + 1}",
                                                          hyphenate=True, justify=True), rng)
    scan_breaks(a_units, spos)
    img = degrade(simg[0], dict(rotate=0.4, noise=6), rng)
    img.convert("RGB").save(tmp / "scan.pdf", "PDF", resolution=200.0)
    # pypdfium2 (the project's PDF library) in place of pypdf: the text pages keep the
    # document information reportlab wrote (title and author, as pypdf's copy set them)
    import pypdfium2 as pdfium
    merged, scan = pdfium.PdfDocument(str(tmp / "text.pdf")), pdfium.PdfDocument(str(tmp / "scan.pdf"))
    merged.import_pages(scan, [0])
    path = name("textpdf", "de", "mixed-scanpage", "pdf")
    with open(path, "wb") as fh:
        merged.save(fh)
    scan.close()
    merged.close()
    offset = len(units)
    for u in a_units:
        u["image_page"] = True
        u["pages"] = [pages + 1]
    for h in shyph:
        h["unit"] += offset
    furniture += [{"kind": f["kind"], "text": f["text"], "page": pages + 1} for f in sfurn]
    made.append(save_truth(path.stem, "text PDF", "de", ["mixed", "image-only page"], path, units + a_units, furniture,
                           {"title": spec["title"], "author": spec["author"]}, {"pages": pages + 1, "hyphenated": shyph}))
    shutil.rmtree(tmp)

    # ------------------------------------------------------------- LibreOffice sources
    lo_plan = [
        ("toc-notes", "de", 101, dict(paragraphs=(6, 8), numbered=True, footnotes=3, tables=1, lists=1),
         dict(font="Liberation Serif", size=11, toc=True, header=True, footer="Seite {page}")),
        ("columns-notes", "fr", 102, dict(paragraphs=(8, 9), sentences=(4, 6), footnotes=2, endnotes=2),
         dict(font="DejaVu Serif", size=10, columns=True, header=True, footer="{page} / {count}")),
        ("frame-nested", "de", 103, dict(paragraphs=(5, 7), tables=1, lists=1, frame=True, nested=True, figures=1),
         dict(font="Liberation Sans", size=10.5, header=True, footer="– {page} –")),
        ("toc-frame-nested", "fr", 104, dict(paragraphs=(6, 7), numbered=True, tables=1, frame=True, nested=True, endnotes=2),
         dict(font="Liberation Serif", size=11, toc=True, header=True, footer="Page {page}")),
        ("columns-table", "de", 105, dict(paragraphs=(8, 9), sentences=(4, 6), footnotes=2, tables=1),
         dict(font="DejaVu Sans", size=9.5, columns=True, columns_from=2, header=True, footer="{page}")),
        ("toc-caption-list", "fr", 106, dict(paragraphs=(5, 7), footnotes=2, tables=1, lists=1, figures=1),
         dict(font="Liberation Sans", size=10.5, toc=True, header=False, footer="{page}")),
    ]
    srcdir = Path(tempfile.mkdtemp(dir=FOLDER))
    lo_jobs = []
    for tag, lang, seed, skw, lo in lo_plan:
        rng = random.Random(seed)
        spec = make_spec(lang, rng, **skw)
        lo = dict(lo)
        if lo.get("header") is True:
            lo["header"] = f"{spec['place']} · {spec['doctype']} {spec['year']}"
        text, labels, furniture = fodt_build(spec, lo)
        src = srcdir / f"{tag}-{lang}.fodt"
        src.write_text(text, encoding="utf-8")
        lo_jobs.append((tag, lang, spec, lo, src, labels, furniture))
    # python-docx sources
    pd_plan = [
        ("pydocx-nested", "de", 111, dict(paragraphs=(5, 7), tables=1, lists=1, nested=True, figures=1),
         dict(font="Liberation Sans", size=11, header=True, footer_prefix="Seite ")),
        ("pydocx-lists", "en", 112, dict(paragraphs=(4, 6), tables=1, lists=2, themes=["verfahren", "haushalt"]),
         dict(font="Liberation Serif", size=11.5, header=True, footer_prefix="")),
    ]
    for tag, lang, seed, skw, po in pd_plan:
        rng = random.Random(seed)
        spec = make_spec(lang, rng, **skw)
        po = dict(po)
        if po.get("header") is True:
            po["header"] = f"{spec['place']} · {spec['doctype']} {spec['year']}"
        src = srcdir / f"{tag}-{lang}.docx"
        furniture = docx_build(src, spec, po)
        lo_jobs.append((tag, lang, spec, po, src, note_labels_for(spec), furniture))
    fodts = [j[4] for j in lo_jobs if j[4].suffix == ".fodt"]
    docxs = [j[4] for j in lo_jobs if j[4].suffix == ".docx"]
    outdir = srcdir / "out"
    outdir.mkdir()
    soffice(fodts + docxs, "pdf", outdir)
    soffice(fodts, 'docx:MS Word 2007 XML', outdir)
    soffice(fodts + docxs, "odt", outdir)
    for tag, lang, spec, lo, src, labels, furniture in lo_jobs:
        for ext, cat in (("pdf", "LibreOffice PDF"), ("docx", "DOCX"), ("odt", "ODT")):
            made_from = outdir / f"{src.stem}.{ext}" if not (ext == "docx" and src.suffix == ".docx") else src
            short = {"LibreOffice PDF": "lopdf", "DOCX": "docx", "ODT": "odt"}[cat]
            path = name(short, lang, tag, ext)
            shutil.copy(made_from, path)
            units = spec_units(spec, note_labels=labels)
            if src.suffix == ".docx":
                for u in units:  # python-docx text box stand-ins are plain quotes: no frame
                    u.pop("frame", None)
            furn = [dict(f) for f in furniture]
            extra = {}
            if ext == "pdf":
                npages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout).group(1))
                extra["pages"] = npages
                furn = [f for f in furn if f["kind"] != "page_header"] + [
                    {"kind": "page_header", "text": f["text"], "page": n} for f in furn if f["kind"] == "page_header" for n in range(1, npages + 1)]
                pattern = lo.get("footer") or (lo.get("footer_prefix", None) is not None and (lo["footer_prefix"] + "{page}")) or None
                if pattern:
                    for n in range(1, npages + 1):
                        furn.append({"kind": "page_number", "text": pattern.replace("{page}", str(n)).replace("{count}", str(npages)), "page": n})
                annotate_breaks(units, pdf_words(path))
            else:
                if lo.get("footer"):
                    prefix = lo["footer"].split("{")[0].strip()
                    if prefix and prefix not in "–-":
                        furn.append({"kind": "page_footer_field", "text": prefix})
            meta = file_meta(path)
            expect = {}
            if meta.get("title") == spec["title"]:
                expect["title"] = spec["title"]
            if meta.get("author") == spec["author"]:
                expect["author"] = spec["author"]
            layout = [tag] + (["text box"] if any(b["t"] == "frame" for b in spec["blocks"]) and src.suffix == ".fodt" else [])
            made.append(save_truth(path.stem, cat, lang, layout, path, units, furn, expect, extra))
    shutil.rmtree(srcdir)

    # ------------------------------------------------------------- HTML
    html_plan = [
        ("news-br", "de", 201, dict(paragraphs=(4, 6), lists=1), dict(style="news", br=True, date_meta="published_time", site=True)),
        ("press-table", "de", 202, dict(paragraphs=(3, 5), tables=1), dict(style="news", date_meta="date", site=True, title_suffix=True)),
        ("word-notes", "de", 203, dict(paragraphs=(4, 6), footnotes=3, tables=1), dict(style="wordhtml", date_meta="date")),
        ("news-br", "fr", 204, dict(paragraphs=(4, 6), tables=1), dict(style="news", br=True, date_meta="published_time", site=True)),
        ("press-list", "fr", 205, dict(paragraphs=(3, 5), lists=2), dict(style="news", date_meta="date", table_caption_tag=False)),
        ("word-notes", "fr", 206, dict(paragraphs=(4, 6), footnotes=2, figures=1), dict(style="wordhtml", date_meta="published_time")),
        ("news-figure", "en", 207, dict(paragraphs=(4, 6), figures=1, lists=1), dict(style="news", br=True, date_meta="published_time", site=True)),
        ("minutes-table", "en", 208, dict(paragraphs=(3, 5), tables=1, themes=["verfahren"]),
         dict(style="news", date_meta="date", table_caption_tag=False)),
    ]
    for tag, lang, seed, skw, ho in html_plan:
        rng = random.Random(seed)
        spec = make_spec(lang, rng, **skw)
        path = name("html", lang, tag, "html")
        units, furniture, meta = html_build(path, spec, ho, rng)
        made.append(save_truth(path.stem, "HTML", lang, [tag], path, units, furniture, meta,
                               {"body_dates": iso_dates(" ".join(u["text"] for u in units), lang)}))

    # ------------------------------------------------------------- scans
    scan_plan = [
        # tag, lang, seed, spec kwargs, options, category
        ("png", "de", 301, dict(paragraphs=(2, 3), sentences=(3, 4)), dict(fmt="png", dpi=300, font="dvserif", header=True, hyphenate=True, justify=True), "clean scan"),
        ("tiff-2p", "fr", 302, dict(paragraphs=(8, 9), sentences=(4, 5)), dict(fmt="tif", dpi=300, font="libserif", header=True, footer="– {n} –", hyphenate=True, justify=True, indent=True), "clean scan"),
        ("pdf-2p", "de", 303, dict(paragraphs=(7, 8), sentences=(4, 5), lists=1), dict(fmt="pdf", dpi=250, font="libsans", header=True, footer="Seite {n}", hyphenate=True), "clean scan"),
        ("jpeg", "en", 304, dict(paragraphs=(2, 3), sentences=(3, 4)), dict(fmt="jpg", dpi=300, jpeg_q=90, font="libserif", footer="{n}", hyphenate=True, justify=True), "clean scan"),
        ("png", "fr", 305, dict(paragraphs=(2, 3), sentences=(3, 4), lists=1), dict(fmt="png", dpi=200, font="dvsans", header=True), "clean scan"),
        ("tiff-g4-2p", "de", 306, dict(paragraphs=(7, 8), sentences=(4, 5)), dict(fmt="tif", bilevel=True, dpi=300, font="dvserif", header=True, footer="Seite {n}", hyphenate=True, justify=True, indent=True), "clean scan"),
        ("jpeg-q35", "de", 401, dict(paragraphs=(2, 3), sentences=(3, 4)), dict(fmt="jpg", dpi=300, jpeg_q=35, rotate=1.0, noise=14, font="libserif", header=True, hyphenate=True, justify=True), "degraded scan"),
        ("pdf-blur-2p", "fr", 402, dict(paragraphs=(8, 9), sentences=(4, 5)), dict(fmt="pdf", dpi=250, blur=0.9, noise=18, rotate=0.6, font="dvserif", header=True, footer="Page {n}", hyphenate=True, justify=True), "degraded scan"),
        ("tiff-rot-2p", "de", 403, dict(paragraphs=(8, 9), sentences=(4, 5), lists=1), dict(fmt="tif", dpi=300, rotate=0.8, noise=20, font="libsans", header=True, footer="– {n} –", hyphenate=True), "degraded scan"),
        ("jpeg-q45-blur", "fr", 404, dict(paragraphs=(2, 3), sentences=(3, 4)), dict(fmt="jpg", dpi=250, jpeg_q=45, blur=0.7, rotate=1.4, font="libserif", hyphenate=True, justify=True, indent=True), "degraded scan"),
        ("png-noise", "en", 405, dict(paragraphs=(2, 3), sentences=(3, 4)), dict(fmt="png", dpi=200, noise=25, rotate=0.5, font="dvsans", header=True, footer="Page {n}", hyphenate=True), "degraded scan"),
        ("pdf-jpeg-2p", "de", 406, dict(paragraphs=(8, 9), sentences=(4, 5)), dict(fmt="pdf", dpi=200, jpeg_q=40, rotate=1.2, noise=12, blur=0.5, font="dvserif", header=True, footer="Seite {n}", hyphenate=True, justify=True), "degraded scan"),
    ]
    for tag, lang, seed, skw, so, cat in scan_plan:
        rng = random.Random(seed)
        spec = make_spec(lang, rng, **skw)
        so = dict(so)
        if so.get("header") is True:
            so["header"] = f"{spec['place']} · {spec['doctype']} {spec['year']}"
        units, blocks = scan_spec_blocks(spec)
        pages, positions, hyph, furniture = layout_scan(blocks, so, rng)
        scan_breaks(units, positions)
        pages = [degrade(p, so, rng) for p in pages]
        short = "cleanscan" if cat == "clean scan" else "degradedscan"
        path = name(short, lang, tag, so["fmt"])
        save_scan(path, pages, so)
        made.append(save_truth(path.stem, cat, lang, [tag], path, units, furniture, {}, {"pages": len(pages), "hyphenated": hyph,
                                                                                          "scan": {k: so.get(k) for k in ("dpi", "rotate", "blur", "noise", "jpeg_q")}}))

    print(f"{len(made)} documents written to {DOCS}")
    counts = Counter(m["category"] for m in made)
    for cat, n in counts.items():
        print(f"  {cat}: {n}")
    if check or ocr_check:
        self_check(made, ocr_check)
    return made


# ===================================================================== metadata and self-check

def iso_dates(text, lang):
    from .content import POOLS
    months = {m: k + 1 for k, m in enumerate(POOLS[lang]["months"])}
    out = []
    for d, m, y in re.findall(r"(\d{1,2})(?:\.|er)? (\w+) (\d{4})", text):
        if m in months:
            out.append(f"{y}-{months[m]:02d}-{int(d):02d}")
    return out


def file_meta(path):
    """Title and author as the file carries them (for what the truth may expect)."""
    ext = path.suffix.lower()
    if ext == ".pdf":
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        meta = {}
        for key, field in (("Title", "title"), ("Author", "author")):
            m = re.search(rf"^{key}:\s+(.*)$", out, re.M)
            if m:
                meta[field] = m.group(1).strip()
        return meta
    if ext in (".docx", ".odt"):
        with zipfile.ZipFile(path) as z:
            xml = z.read("docProps/core.xml" if ext == ".docx" else "meta.xml").decode()
        meta = {}
        m = re.search(r"<dc:title>(.*?)</dc:title>", xml, re.S)
        if m:
            meta["title"] = unx(m.group(1))
        m = re.search(r"<dc:creator>(.*?)</dc:creator>", xml, re.S) or re.search(r"<meta:initial-creator>(.*?)</meta:initial-creator>", xml, re.S)
        if m:
            meta["author"] = unx(m.group(1))
        return meta
    return {}


def unx(t):
    return t.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def extract_independent(path):
    ext = path.suffix.lower()
    if ext == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    if ext in (".docx", ".odt"):
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.endswith(".xml") and (n.startswith("word/") or n == "content.xml")]
            xml = " ".join(z.read(n).decode("utf-8") for n in names)
        xml = re.sub(r"<text:tab/>|<w:tab/>", " ", xml)
        xml = re.sub(r"</w:p>|</text:p>|</text:h>", "\n", xml)
        return unx(re.sub(r"<[^>]+>", "", xml))
    if ext == ".html":
        return unx(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", path.read_text(), flags=re.S)))
    return ""


def self_check(made, ocr):
    print("\nself-check: share of the truth's words that an independent extraction finds")
    for m in made:
        path = DOCS / m["doc"]
        scan = m["category"].endswith("scan")
        if scan and not ocr:
            continue
        text = ocr_text(path, m["language"]) if scan else extract_independent(path)
        truth = Counter(t for u in m["units"] for t in wtoks(u["text"]))
        found = Counter(wtoks(text))
        hit = sum(min(c, found[t]) for t, c in truth.items())
        share = hit / max(1, sum(truth.values()))
        flag = "" if share > (0.85 if scan else 0.97) else "   <-- check"
        print(f"  {m['doc']:<48} {share:6.3f}{flag}")


def ocr_text(path, lang):
    tl = {"de": "deu", "fr": "fra", "en": "eng"}[lang]
    tmp = Path(tempfile.mkdtemp(dir=FOLDER))
    try:
        if path.suffix == ".pdf":
            subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(path), str(tmp / "p")], check=True)
            imgs = sorted(tmp.glob("p*.png"))
        elif path.suffix == ".tif":
            im = Image.open(path)
            imgs = []
            for k in range(getattr(im, "n_frames", 1)):
                im.seek(k)
                out = tmp / f"t{k}.png"
                im.convert("L").save(out)
                imgs.append(out)
        else:
            imgs = [path]
        return "\n".join(subprocess.run(["tesseract", str(i), "-", "-l", tl], capture_output=True, text=True).stdout for i in imgs)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    folders = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(folders) != 1:
        sys.exit("usage: python -m bench.layout_heldout.make_set FOLDER [--check] [--ocr-check]")
    build_all(folders[0], check="--check" in sys.argv or "--ocr-check" in sys.argv, ocr_check="--ocr-check" in sys.argv)
