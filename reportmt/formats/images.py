"""Page images (TIFF, multi-page TIFF, PNG, JPEG), as a scanner makes them: each image or
TIFF page is a page read by OCR (reportmt.formats.ocr), then laid out by the rules every
page follows (reportmt.formats.page_layout)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from ..sources import SourceError
from . import ocr
from .blocks import Extracted
from .lines import Line
from .page_layout import Layout, blocks, closing, sampled


def read(path: Path, doc_id: str, job: ocr.OcrJob | ocr.OcrUnavailable | None = None) -> Extracted:
    if not isinstance(job, ocr.OcrJob):
        reason = job.reason if job else "OCR is not enabled"
        raise SourceError(doc_id, f"is a scanned page image and cannot be read by OCR here: {reason}",
                          job.action if job else ocr.INSTALL_ACTION)
    try:
        image = Image.open(path)
        count = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, OSError) as exc:
        raise SourceError(doc_id, "is a damaged or truncated image", "replace it with a complete copy") from exc
    extracted = Extracted([], pages=count)
    sample, pages = sampled(_pages(image, job, extracted))
    empty = SourceError(doc_id, "is a scan in which OCR found no text it could read", ocr.POOR_PAGE_ACTION)
    extracted.blocks = closing(blocks(pages, Layout(sample), extracted.furniture), image.close, empty)
    return extracted


def _pages(image: Image.Image, job: ocr.OcrJob, extracted: Extracted) -> Iterator[list[Line]]:
    """Each frame's lines, frames read a few ahead on every core."""
    frames = (job.submit(number, partial(_page_image, frame))
              for number, frame in enumerate(ImageSequence.Iterator(image), start=1))
    return ocr.in_order(frames, job, extracted)


def _page_image(frame: Image.Image) -> Image.Image:
    """The frame upright (EXIF orientation), in grey, with its resolution."""
    page = ImageOps.exif_transpose(frame).convert("L")
    page.info["dpi"] = frame.info.get("dpi") or (ocr.DPI, ocr.DPI)
    return page
