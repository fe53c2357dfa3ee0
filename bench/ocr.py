"""Reading scans: reportmt's OCR (Tesseract in the process through tesserocr) against the
`tesseract` command alone (one OpenMP thread, its fastest here) on the same pages, in
one thread and on every core.

The pages are made here with Pillow: A4 at 300 dpi, a heading and German paragraphs. Needs
Debian's tesseract-ocr with its deu, fra and eng language data."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

PAGES = 6
TEXT = ("Der Ausschuss für innere Angelegenheiten der Provinz hat am Montag die Ergebnisse der Verwaltungsreform "
        "in den Bezirken geprüft und einen Plan für das kommende Jahr beschlossen. ")


def measure(repo: Path, work: Path) -> tuple[list[tuple[str, str]], dict[str, float]]:
    from reportmt.formats import ocr, reader

    engine = ocr.find_engine()
    if isinstance(engine, ocr.OcrUnavailable) or not shutil.which("tesseract"):
        return [("ocr", "skipped: needs tesseract-ocr with tesseract-ocr-deu, -fra and -eng")], {}
    folder = work / "ocr"
    folder.mkdir(parents=True, exist_ok=True)
    pages = [_page(folder / f"page-{n}.png") for n in range(PAGES)]
    # The command at its fastest: with its OpenMP threads on (Debian's default) a page took
    # 5.6 times as long on 2 cores as with one thread.
    single = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    for path in pages:
        subprocess.run(["tesseract", str(path), str(folder / "out"), "-l", "+".join(engine.languages), "tsv"],
                       check=True, capture_output=True, env=single)
    command = time.perf_counter() - started
    from PIL import Image

    ocr._recognize(engine, Image.open(pages[0]).convert("L"), 0)  # the thread's engine loaded, as in a run
    started = time.perf_counter()
    for number, path in enumerate(pages, start=1):
        ocr._recognize(engine, Image.open(path).convert("L"), number)
    one_thread = time.perf_counter() - started
    tiff = folder / "scan.tif"
    first, *rest = [Image.open(path) for path in pages]
    first.save(tiff, save_all=True, append_images=rest, dpi=(300, 300))
    list(reader("image")(tiff, tiff.name, ocr.OcrJob(engine, None, "0" * 64)).blocks)  # every OCR thread's engine loaded
    started = time.perf_counter()
    list(reader("image")(tiff, tiff.name, ocr.OcrJob(engine, None, "1" * 64)).blocks)
    every_core = time.perf_counter() - started
    figures = {"ocr_pages_per_second": round(PAGES / every_core, 2), "ocr_vs_tesseract_one_thread": round(command / one_thread, 3),
               "ocr_cores_speedup": round(one_thread / every_core, 2), "ocr_cores": ocr.WORKERS}
    rows = [(f"OCR, {PAGES} pages: tesseract command / reportmt in one thread",
             f"{PAGES / command:.2f} / {PAGES / one_thread:.2f} pages/s (ratio {command / one_thread:.2f}, target >= 0.9)"),
            (f"OCR, {PAGES} pages, a multi-page TIFF read on {ocr.WORKERS} cores",
             f"{PAGES / every_core:.2f} pages/s ({one_thread / every_core:.2f}x one thread)")]
    return rows, figures


def _page(path: Path) -> Path:
    import textwrap

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 42)
    draw.text((200, 250), "Bericht über die Verwaltungsreform", font=ImageFont.truetype(font.path, 64), fill=0)
    y = 400
    for _ in range(4):
        for line in textwrap.wrap(TEXT * 5, 75):
            draw.text((200, y), line, font=font, fill=0)
            y += 62
        y += 60
    image.save(path, dpi=(300, 300))
    return path
