"""From a source file to a prepared document: text, language, furniture, sentences."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .furniture import FurnitureItem, split_furniture, source_url
from .language import UNDETERMINED, detect_language
from .segment import split_sentences
from .sources import SourceError, read_source

TRANSLATED_LANGUAGES = ("de", "fr")
TARGET_LANGUAGE = "en"
SUPPORTED_LANGUAGES = (*TRANSLATED_LANGUAGES, TARGET_LANGUAGE)


# A paragraph is given a language of its own only when it is long enough to tell and the
# detector is sure; shorter ones (names, titles, captions) follow the document.
PARAGRAPH_MIN_WORDS = 8
PARAGRAPH_MIN_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Sentence:
    index: int
    paragraph: int
    text: str
    language: str

    @property
    def needs_translation(self) -> bool:
        return self.language in TRANSLATED_LANGUAGES


@dataclass(frozen=True)
class PreparedDocument:
    doc_id: str
    source_path: str
    source_sha256: str
    encoding: str
    language: str
    language_confidence: float
    furniture: tuple[FurnitureItem, ...]
    sentences: tuple[Sentence, ...]

    @property
    def translated_languages(self) -> set[str]:
        return {s.language for s in self.sentences if s.needs_translation}

    @property
    def paragraph_languages(self) -> dict[int, str]:
        """Paragraphs whose language differs from the document's."""
        return {s.paragraph: s.language for s in self.sentences if s.language != self.language}

    def metadata(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "source_path": self.source_path,
            "source_sha256": self.source_sha256,
            "encoding": self.encoding,
            "language": self.language,
            "language_confidence": self.language_confidence,
            "source_url": source_url(list(self.furniture)),
            "furniture": [item.as_dict() for item in self.furniture],
            "sentences": len(self.sentences),
            "mixed_languages": bool(self.paragraph_languages),
            "paragraph_languages": {str(k): v for k, v in sorted(self.paragraph_languages.items())},
        }


@dataclass(frozen=True)
class SourceFailure:
    """A file the run did not turn into records, why, and what the user can do about it.

    ``kind``: failed (cannot be used as it is), deferred (still being written: the next run
    reads it) or duplicate (the same content is in the corpus under another name)."""

    file: str
    reason: str
    action: str
    kind: str = "failed"

    def as_dict(self) -> dict:
        return {"file": self.file, "kind": self.kind, "reason": self.reason, "action": self.action}


def doc_id_for(path: Path, corpus_root: Path) -> str:
    """The file's path inside the corpus: stable across runs and unique."""
    return path.relative_to(corpus_root).as_posix()


def prepare_document(path: Path, corpus_root: Path) -> PreparedDocument:
    doc_id = doc_id_for(path, corpus_root)
    source = read_source(path, doc_id)
    body, furniture = split_furniture(source.text)
    if not body:
        raise SourceError(doc_id, "has no body text (empty, or only page furniture)", "add the report's text, or remove the file")
    guess = detect_language("\n".join(line.text for line in body))
    if guess.code not in SUPPORTED_LANGUAGES:
        shown = "could not be determined" if guess.code == UNDETERMINED else f"is '{guess.code}'"
        raise SourceError(
            doc_id,
            f"language {shown}; only German, French and English reports are supported",
            "move it out of the corpus folder; it is not sent to any model",
        )
    sentences: list[Sentence] = []
    for paragraph, line in enumerate(body):
        language = _paragraph_language(line.text, guess.code)
        if language not in SUPPORTED_LANGUAGES:
            raise SourceError(
                doc_id,
                f"mixes languages: paragraph at line {line.line} is '{language}', which is not translated",
                "remove that paragraph or split the file by language; no part of it was sent to a model",
            )
        for text in split_sentences(line.text, language):
            sentences.append(Sentence(index=len(sentences), paragraph=paragraph, text=text, language=language))
    return PreparedDocument(
        doc_id=doc_id,
        source_path=doc_id,
        source_sha256=source.sha256,
        encoding=source.encoding,
        language=guess.code,
        language_confidence=guess.confidence,
        furniture=tuple(furniture),
        sentences=tuple(sentences),
    )


def _paragraph_language(text: str, document_language: str) -> str:
    if len(text.split()) < PARAGRAPH_MIN_WORDS:
        return document_language
    guess = detect_language(text)
    return guess.code if guess.confidence >= PARAGRAPH_MIN_CONFIDENCE and guess.code != UNDETERMINED else document_language


def discover_sources(corpus_root: Path) -> list[Path]:
    """Report files under the corpus folder, in a stable order; hidden files are skipped."""
    if not corpus_root.is_dir():
        raise SourceError(str(corpus_root), "corpus folder does not exist", "create it or pass --corpus")
    return sorted(
        p
        for p in corpus_root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(corpus_root).parts)
    )
