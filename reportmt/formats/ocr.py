"""Scans read by Tesseract: page images, and PDF pages that are only an image.

Tesseract runs in this process through tesserocr, one engine per thread (its language
models are loaded once per thread, not once per page), with the language data Debian's
``tesseract-ocr-deu``, ``-fra`` and ``-eng`` install. Its own layout is kept: each line
comes with its box, so a scanned page goes through the same layout rules as a PDF's text
(reportmt.formats.page_layout), and each word with its confidence, so a page's mean
confidence is known.

Reading a page costs seconds, so pages are read on every core at once, a few ahead of the
page being laid out, and each page's result is cached under the file's sha256 and the
engine's signature (version, languages, options): an unchanged scan is never read again.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import atomic_write_text
from ..qa.flags import OCR_LOW_CONFIDENCE, make_flag
from .blocks import Extracted
from .lines import Line

if TYPE_CHECKING:
    from PIL import Image

LANGUAGES = ("deu", "fra", "eng")
DPI = 300  # PDF pages are rendered at this resolution; an image without one is taken to have it
LOW_CONFIDENCE = 75.0  # a page whose words average less: its records carry the ocr_low_confidence flag
UNREADABLE = 40.0  # a page whose words average less, or with no words, is not read at all
INSTALL_ACTION = ("install Tesseract's language data (Debian: `apt-get install tesseract-ocr tesseract-ocr-deu "
                  "tesseract-ocr-fra tesseract-ocr-eng`), or set TESSDATA_PREFIX to a folder holding "
                  "deu.traineddata, fra.traineddata and eng.traineddata")
POOR_PAGE_ACTION = "scan it again at 300 dpi or more, straight and in focus, and put the new file in its place"
X_TO_EM = 0.72  # a word's box is about this share of its font size: a line's size as a PDF would give it
_TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata")


@dataclass(frozen=True)
class OcrEngine:
    """Tesseract as this machine has it: what reads a scan, and what its cache key says."""

    version: str
    tessdata: str
    languages: tuple[str, ...] = LANGUAGES
    page_segmentation: int = 3  # Tesseract's fully automatic layout: columns, blocks, lines

    @property
    def signature(self) -> str:
        """What changes the text read from a page: the cache's key with the file's hash."""
        return f"tesseract {self.version} {'+'.join(self.languages)} psm{self.page_segmentation} dpi{DPI}"

    def describe(self) -> dict:
        return {"engine": "tesseract", "version": self.version, "languages": list(self.languages)}


@dataclass(frozen=True)
class OcrUnavailable:
    reason: str
    action: str = INSTALL_ACTION


@dataclass(frozen=True)
class OcrPage:
    """One page as Tesseract read it."""

    number: int
    lines: list[Line]
    confidence: float  # the mean of its words' confidences, 0 to 100
    words: int

    @property
    def readable(self) -> bool:
        return self.words > 0 and self.confidence >= UNREADABLE

    def as_json(self) -> str:
        return json.dumps({"number": self.number, "confidence": self.confidence, "words": self.words,
                           "lines": [asdict(line) for line in self.lines]}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> OcrPage:
        data = json.loads(text)
        return cls(data["number"], [Line(**line) for line in data["lines"]], data["confidence"], data["words"])


@cache
def find_engine() -> OcrEngine | OcrUnavailable:
    """Tesseract with German, French and English, or why there is none."""
    try:
        import tesserocr
    except ImportError as exc:  # a broken install: tesserocr is a dependency
        return OcrUnavailable(f"the Tesseract binding could not be loaded ({exc})", "reinstall reportmt")
    for folder in _tessdata_candidates():
        missing = [lang for lang in LANGUAGES if not (Path(folder) / f"{lang}.traineddata").is_file()]
        if not missing:
            return OcrEngine(tesserocr.tesseract_version().split()[1], folder)
    return OcrUnavailable("Tesseract's language data for German, French and English is not installed")


def _tessdata_candidates() -> list[str]:
    prefix = os.environ.get("TESSDATA_PREFIX")
    return ([prefix, str(Path(prefix) / "tessdata")] if prefix else []) + list(_TESSDATA_DIRS)


class OcrCache:
    """Pages read before, one small JSON file each, named by the file's sha256, the page
    and the engine's signature; written whole or not at all."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, sha256: str, engine: OcrEngine, page: int) -> Path:
        key = hashlib.sha256(f"{engine.signature}|{page}".encode()).hexdigest()[:16]
        return self.folder / sha256[:2] / f"{sha256}-{key}.json"

    def get(self, sha256: str, engine: OcrEngine, page: int) -> OcrPage | None:
        try:
            return OcrPage.from_json(self._path(sha256, engine, page).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):  # absent, or damaged: read the page again
            return None

    def put(self, sha256: str, engine: OcrEngine, page: OcrPage) -> None:
        path = self._path(sha256, engine, page.number)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, page.as_json())


PendingPage = Future | OcrPage  # a page being read (a Future of OcrPage), or one read before


@dataclass(frozen=True)
class OcrJob:
    """What a reader asks of the OCR: the engine, the cache (None: none) and the file's hash."""

    engine: OcrEngine
    cache: OcrCache | None
    sha256: str

    def submit(self, number: int, image: Callable[[], Image.Image]) -> PendingPage:
        """The page, from the cache, or read on one of the process's OCR threads."""
        cached = self.cache.get(self.sha256, self.engine, number) if self.cache else None
        return cached or _pool().submit(_recognize, self.engine, image(), number)

    def result(self, pending: PendingPage) -> OcrPage:
        """The page read (waiting for it), kept in the cache."""
        if isinstance(pending, OcrPage):
            return pending
        page = pending.result()
        if self.cache:
            self.cache.put(self.sha256, self.engine, page)
        return page


WORKERS = os.cpu_count() or 1
AHEAD = 2 * WORKERS  # pages a reader may have waiting on the OCR threads
_engines = threading.local()


_pools: dict[int, ThreadPoolExecutor] = {}


def _pool() -> ThreadPoolExecutor:
    """The process's OCR threads, kept, so each loads its language models once; a forked
    child makes its own (it inherits the pool but not its threads)."""
    pid = os.getpid()
    if pid not in _pools:
        _pools[pid] = ThreadPoolExecutor(WORKERS, thread_name_prefix="ocr")
    return _pools[pid]


def _recognize(engine: OcrEngine, image: Image.Image, number: int) -> OcrPage:
    """The page's lines as Tesseract lays them out, in points, with their words' confidences."""
    import tesserocr

    api = getattr(_engines, engine.signature, None)
    if api is None:
        api = tesserocr.PyTessBaseAPI(path=engine.tessdata, lang="+".join(engine.languages),
                                      psm=engine.page_segmentation)
        setattr(_engines, engine.signature, api)
    dpi = _resolution(image)
    api.SetImage(image)
    api.SetSourceResolution(dpi)
    api.Recognize()
    return _page_from_tsv(api.GetTSVText(0), number, image.size[1], 72 / dpi)


def _resolution(image: Image.Image) -> int:
    found = image.info.get("dpi")
    return int(round(found[0])) if found and found[0] >= 70 else DPI


def _page_from_tsv(tsv: str, number: int, height_px: int, points: float) -> OcrPage:
    """Tesseract's TSV (level, page, block, paragraph, line, word, left, top, width, height,
    confidence, text) as lines: a word's box widens its line's; a word that is no text
    (confidence -1) or a speck read with no letter or digit at low confidence is left out."""
    lines: dict[tuple[str, str, str], list[tuple[list[int], float, str]]] = {}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        confidence = float(cells[10])
        text = cells[11].strip()
        if confidence < 0 or (confidence < 50 and not any(c.isalnum() for c in text)):
            continue
        lines.setdefault((cells[2], cells[3], cells[4]), []).append(([int(v) for v in cells[6:10]], confidence, text))
    made, confidences = [], []
    for words in lines.values():
        # Top and bottom are the middle word's: on a page scanned askew a line's box grows
        # as tall as the slope, and would overlap its neighbours.
        tops, bottoms = _middle([box[1] for box, _, _ in words]), _middle([box[1] + box[3] for box, _, _ in words])
        left = min(box[0] for box, _, _ in words)
        right = max(box[0] + box[2] for box, _, _ in words)
        size = _middle([box[3] for box, _, _ in words]) * points / X_TO_EM
        made.append(Line(" ".join(text for _, _, text in words), tops / height_px, bottoms / height_px, bottoms * points,
                         number, left * points, right * points, size))
        confidences += [confidence for _, confidence, _ in words]
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return OcrPage(number, made, round(mean, 1), len(confidences))


@dataclass
class OcrRecord:
    """How a document's scanned pages were read, for its metadata and its records' flags."""

    engine: OcrEngine
    confidences: dict[int, float] = field(default_factory=dict)  # page -> its words' mean confidence
    unreadable: list[int] = field(default_factory=list)  # pages too poor to read: left out

    def add(self, page: OcrPage, extracted: Extracted) -> list[Line]:
        """The page's lines (none when it is too poor to read), noted in ``extracted``: the
        OCR's metadata, and a flag for every record of a page read with low confidence."""
        self.confidences[page.number] = page.confidence
        if not page.readable:
            self.unreadable.append(page.number)
        elif self.low_confidence(page.number):
            extracted.page_flags[page.number] = (make_flag(OCR_LOW_CONFIDENCE, f"page {page.number} {page.confidence:.0f}%"),)
        extracted.metadata["ocr"] = self.metadata()
        return page.lines if page.readable else []

    def low_confidence(self, page: int) -> bool:
        return self.confidences.get(page, 100.0) < LOW_CONFIDENCE

    def metadata(self) -> dict:
        return {**self.engine.describe(), "pages": {str(n): c for n, c in sorted(self.confidences.items())},
                "unreadable_pages": self.unreadable}


def _middle(values: list[int]) -> int:
    return sorted(values)[len(values) // 2]


def in_order(pages: Iterator[list[Line] | PendingPage], job: OcrJob | OcrUnavailable | None, extracted: Extracted
             ) -> Iterator[list[Line]]:
    """Each page's lines in the document's order, from lines read already or pages being
    read by OCR (noted in ``extracted``, see OcrRecord.add): a page being read is waited for
    once AHEAD pages stand behind it, so that many are read at once."""
    record = OcrRecord(job.engine) if isinstance(job, OcrJob) else None
    ahead: deque[list[Line] | PendingPage] = deque()
    for page in pages:
        ahead.append(page)
        while ahead and (len(ahead) > AHEAD or isinstance(ahead[0], list)):
            yield _lines(ahead.popleft(), job, record, extracted)
    while ahead:
        yield _lines(ahead.popleft(), job, record, extracted)


def _lines(page: list[Line] | PendingPage, job: OcrJob | OcrUnavailable | None, record: OcrRecord | None, extracted: Extracted) -> list[Line]:
    if isinstance(page, list):
        return page
    # A page is being read only where there is an OcrJob, and so a record.
    assert isinstance(job, OcrJob) and record is not None
    return record.add(job.result(page), extracted)


def unreadable_note(doc_id: str, metadata: dict) -> str | None:
    """One line naming the pages of a document that OCR could not read, and what to do."""
    pages = (metadata.get("ocr") or {}).get("unreadable_pages")
    if not pages:
        return None
    named = f"page {pages[0]}" if len(pages) == 1 else f"pages {', '.join(map(str, pages))}"
    return f"{doc_id}: {named} could not be read by OCR; {POOR_PAGE_ACTION}"
