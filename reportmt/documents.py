"""From a source file to a prepared document: language, furniture, and its sentences on disk.

A report is streamed: lines are read, sorted into body and furniture, split into
sentences and written to a sentence file one paragraph at a time, so a report of any
size is prepared in bounded memory. The document's language is decided on the first
LANGUAGE_SAMPLE_CHARS of its body (every report of ordinary length is read whole for it).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from .formats import HTML, TEXT, OcrCache, Place, open_source
from .furniture import BodyLine, FurnitureItem, PageFurniture, link_target, source_url
from .language import UNDETERMINED, detect_language, identify_document, is_plainly
from .languages import SUPPORTED, TRANSLATED
from .progress import Reading
from .segment import split_sentences
from .sources import ControlCharacters, SourceError

# A paragraph is given a language of its own only when it is long enough to tell (eight
# words, or ten characters of a script written without spaces: Chinese, Japanese) and the
# detector is sure; shorter ones (names, titles, captions) follow the document.
PARAGRAPH_MIN_WORDS = 8
PARAGRAPH_MIN_IDEOGRAPHS = 10
PARAGRAPH_MIN_CONFIDENCE = 0.9
LANGUAGE_SAMPLE_CHARS = 100_000


@dataclass(frozen=True)
class Sentence:
    index: int
    paragraph: int
    text: str
    language: str
    place: Place = Place()

    @property
    def needs_translation(self) -> bool:
        return self.language in TRANSLATED


@dataclass(frozen=True)
class PreparedDocument:
    """A document ready for translation; its sentences are in ``sentences_file``, between
    the byte offsets ``sentences_span`` when the file holds a batch of documents."""

    doc_id: str  # the file's path inside the corpus folder
    source_sha256: str
    encoding: str
    language: str
    language_confidence: float
    furniture: tuple[FurnitureItem, ...]
    sentence_counts: dict[str, int]  # per sentence language
    paragraph_languages: dict[int, str]  # paragraphs whose language differs from the document's
    sentences_file: Path
    control_characters: dict[str, int]  # as_space, removed: see sources.ControlCharacters
    source_stat: list[int]  # size, mtime_ns, inode when it was read: see sources.file_stat
    format: str = "text"  # text, pdf, docx, odt, html: see reportmt.formats
    file_metadata: dict = field(default_factory=dict)  # what the file says of itself: title, author, date, url
    sentences_span: tuple[int, int] | None = None  # None: the whole file is this document's

    @property
    def sentence_count(self) -> int:
        return sum(self.sentence_counts.values())

    @property
    def translated_languages(self) -> set[str]:
        return {lang for lang in self.sentence_counts if lang in TRANSLATED}

    @property
    def sentences_bytes(self) -> int:
        if self.sentences_span:
            return self.sentences_span[1] - self.sentences_span[0]
        return self.sentences_file.stat().st_size

    def sentences(self) -> Iterator[Sentence]:
        start, end = self.sentences_span or (0, None)
        with self.sentences_file.open("rb") as handle:
            handle.seek(start)
            position = start
            for index, line in enumerate(handle):
                if end is not None and position >= end:
                    return
                position += len(line)
                paragraph, language, text, block, page, flags = json.loads(line)
                yield Sentence(index, paragraph, text, language, Place(block, page, tuple(flags)))

    def discard_sentences(self) -> None:
        """Its sentences are not needed (a duplicate): a file of its own goes at once."""
        if self.sentences_span is None:
            self.sentences_file.unlink(missing_ok=True)

    def metadata(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "source_sha256": self.source_sha256,
            "encoding": self.encoding,
            "language": self.language,
            "language_confidence": self.language_confidence,
            "format": self.format,
            "file_metadata": self.file_metadata,
            "source_url": source_url(list(self.furniture)) or link_target(self.file_metadata.get("url") or ""),
            "furniture": [item.as_dict() for item in self.furniture],
            "sentences": self.sentence_count,
            "mixed_languages": bool(self.paragraph_languages),
            "paragraph_languages": {str(k): v for k, v in sorted(self.paragraph_languages.items())},
            "control_characters": self.control_characters,
        }


def doc_id_for(path: Path, corpus_root: Path) -> str:
    """The file's path inside the corpus: stable across runs and unique."""
    return path.relative_to(corpus_root).as_posix()


class SentenceFile:
    """One work file for the sentences of a batch of documents: a corpus of many small
    reports makes one file per batch, not one per report."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.handle = path.open("wb")

    def close(self) -> None:
        self.handle.close()


def prepare_document(
    path: Path, corpus_root: Path, work_dir: Path, reading: Reading | None = None, shared: SentenceFile | None = None,
    ocr_cache: OcrCache | None = None,
) -> PreparedDocument:
    """Read, identify the language, move furniture to metadata, write the sentences to a
    file in ``work_dir`` (or at the end of ``shared``). ``reading`` hears the progress
    through the source file; scanned pages read by OCR are kept in ``ocr_cache``."""
    doc_id = doc_id_for(path, corpus_root)
    controls = ControlCharacters()
    opened = open_source(path, doc_id, reading, controls, ocr_cache)
    source = opened.info
    furniture = PageFurniture(closing_byline=opened.format in (TEXT, HTML))
    body = furniture.body_lines(opened.lines)
    head = _language_sample(body)
    if not head:
        raise SourceError(doc_id, "has no body text (empty, or only page furniture)", "add the report's text, or remove the file")
    guess = identify_document("\n".join(line.text for line in head))
    if guess.code not in SUPPORTED:
        shown = "could not be determined" if guess.code == UNDETERMINED else f"is '{guess.code}'"
        raise SourceError(
            doc_id,
            f"language {shown}; only German, French and English reports are supported",
            "move it out of the corpus folder; it is not sent to any model",
        )
    sink = shared or SentenceFile(work_dir / f"{hashlib.sha256(doc_id.encode()).hexdigest()[:24]}.jsonl")
    start = sink.handle.tell()
    counts: Counter = Counter()
    paragraph_languages: dict[int, str] = {}
    try:
        for paragraph, line in enumerate(chain(head, body)):
            language = paragraph_language(line.text, guess.code)
            if language not in SUPPORTED:
                raise SourceError(
                    doc_id,
                    f"mixes languages: paragraph at line {line.line} is '{language}', which is not translated",
                    "remove that paragraph or split the file by language; no part of it was sent to a model",
                )
            if language != guess.code:
                paragraph_languages[paragraph] = language
            place = opened.places.get(line.line, Place())
            for text in split_sentences(line.text, language):
                sink.handle.write((json.dumps([paragraph, language, text, place.block, place.page, place.flags],
                                              ensure_ascii=False)
                                   + "\n").encode("utf-8"))
                counts[language] += 1
    except BaseException:
        sink.handle.truncate(start)  # the batch's other documents keep their lines
        sink.handle.seek(start)
        if shared is None:
            sink.close()
            sink.path.unlink(missing_ok=True)
        raise
    if shared is None:
        sink.close()
    return PreparedDocument(
        doc_id=doc_id,
        source_sha256=source.sha256,
        encoding=source.encoding,
        language=guess.code,
        language_confidence=guess.confidence,
        furniture=tuple(opened.layout + furniture.items),
        format=opened.format,
        file_metadata=opened.file_metadata,
        sentence_counts=dict(sorted(counts.items())),
        paragraph_languages=paragraph_languages,
        sentences_file=sink.path,
        sentences_span=(start, sink.handle.tell()) if shared else None,
        control_characters=controls.as_dict(),
        source_stat=source.stat,
    )


def _language_sample(body: Iterator[BodyLine]) -> list[BodyLine]:
    """The first body lines, up to LANGUAGE_SAMPLE_CHARS; the rest stays in ``body``."""
    head: list[BodyLine] = []
    size = 0
    for line in body:
        head.append(line)
        size += len(line.text)
        if size >= LANGUAGE_SAMPLE_CHARS:
            break
    return head


def paragraph_language(text: str, document_language: str) -> str:
    """The document's language, unless the paragraph is long enough to tell and plainly in
    another language; lingua decides where the function words leave a doubt."""
    short = len(text.split()) < PARAGRAPH_MIN_WORDS and sum(ch >= "\u2e80" for ch in text) < PARAGRAPH_MIN_IDEOGRAPHS
    if short or is_plainly(text, document_language):
        return document_language
    guess = detect_language(text)
    return guess.code if guess.confidence >= PARAGRAPH_MIN_CONFIDENCE and guess.code != UNDETERMINED else document_language


def sentences_to_translate(docs: list[PreparedDocument], language: str, window: int) -> Iterator[tuple[list[str], int]]:
    """The distinct sentences in ``language`` across the documents, in document order, in
    windows of at most ``window``; with each window, how many sentences it stands for."""
    texts: dict[str, None] = {}
    covered = 0
    for doc in docs:
        if language not in doc.sentence_counts:
            continue
        for sentence in doc.sentences():
            if sentence.language != language:
                continue
            texts[sentence.text] = None
            covered += 1
            if len(texts) == window:
                yield list(texts), covered
                texts, covered = {}, 0
    if texts:
        yield list(texts), covered


def discover_sources(corpus_root: Path) -> list[Path]:
    """Report files under the corpus folder, in a stable order; hidden files are skipped.
    FIFOs, sockets and devices are listed too, so that the run can say it did not read them."""
    if not corpus_root.is_dir():
        raise SourceError(str(corpus_root), "corpus folder does not exist", "create it or pass --corpus")
    found: list[Path] = []
    folders = [corpus_root]
    while folders:  # os.scandir: the kind of each entry comes with its name, one system call per folder
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(Path(entry.path))
                elif entry.is_file() or special_file_kind(Path(entry.path)):
                    found.append(Path(entry.path))
    return sorted(found)


def special_file_kind(path: Path) -> str | None:
    """What a file that is not a regular file or a folder is (a FIFO, a socket, a device), or None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    for test, kind in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return None
