"""Quality sets shared by the tests and the benchmark: sentence boundaries and paragraph
languages (tests/data), with their scores."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEGMENTATION_SET = REPO / "tests" / "data" / "segmentation"
LANGUAGE_SET = REPO / "tests" / "data" / "language" / "paragraphs.txt"
REPORT_LANGUAGES = ("de", "fr", "en")


def _blocks(path: Path) -> list[list[str]]:
    """Blank-line separated blocks of lines, comment blocks (#) left out."""
    blocks = [block.strip().splitlines() for block in path.read_text(encoding="utf-8").split("\n\n")]
    return [block for block in blocks if block and not block[0].startswith("#")]


def segmentation_cases() -> list[tuple[str, list[str]]]:
    """(language, the sentences of one paragraph): the paragraph is the sentences joined by a space."""
    return [(path.stem, block) for path in sorted(SEGMENTATION_SET.glob("*.txt")) for block in _blocks(path)]


def segmentation_accuracy(split: Callable[[str, str], list[str]]) -> tuple[float, list[tuple[str, list[str], list[str]]]]:
    """The share of paragraphs ``split(text, lang)`` cuts exactly right, and the misses
    (language, expected, got)."""
    cases = segmentation_cases()
    misses = [(lang, gold, got) for lang, gold in cases if (got := split(" ".join(gold), lang)) != gold]
    return 1 - len(misses) / len(cases), misses


def pysbd_alone(text: str, lang: str) -> list[str]:
    """pysbd by itself, as reportmt used it before its boundary rules."""
    import pysbd

    return [s.strip() for s in pysbd.Segmenter(language=lang, clean=False).segment(text) if s.strip()]


@cache
def _report_paragraphs(lang: str) -> tuple[str, ...]:
    """The first body paragraphs of a sample report in ``lang`` (lingua decides which report is which)."""
    from reportmt.language import detect_language

    for path in sorted((REPO / "corpus").iterdir()):
        text = path.read_text(encoding="utf-8")
        if detect_language(text).code == lang:
            return tuple([line for line in text.splitlines() if len(line.split()) >= 12][:4])
    raise LookupError(f"no {lang} report in corpus/")


def language_cases() -> list[tuple[list[str], list[str]]]:
    """(paragraphs, their languages): every paragraph of the set placed second in a German, a
    French and an English report of the sample corpus whose language is not its own."""
    cases = []
    for block in _blocks(LANGUAGE_SET):
        lang, paragraph = block[0].rstrip(":"), " ".join(block[1:])
        for report in REPORT_LANGUAGES:
            if report != lang:
                body = list(_report_paragraphs(report))
                cases.append(([body[0], paragraph, *body[1:]], [report, lang, *[report] * (len(body) - 1)]))
    return cases


def language_accuracy(identify: Callable[[list[str]], list[str]]) -> tuple[float, list]:
    """The share of paragraphs ``identify(paragraphs)`` (one language each) gets right, and
    the cases with a miss (paragraphs, expected, got)."""
    cases = language_cases()
    total = right = 0
    misses = []
    for paragraphs, expected in cases:
        got = identify(paragraphs)
        total += len(expected)
        right += sum(a == b for a, b in zip(got, expected))
        if got != expected:
            misses.append((paragraphs, expected, got))
    return right / total, misses


def reportmt_languages(paragraphs: list[str]) -> list[str]:
    """Paragraph languages as reportmt's preparation decides them."""
    from reportmt.documents import paragraph_language
    from reportmt.language import identify_document

    document = identify_document("\n".join(paragraphs)).code
    return [paragraph_language(p, document) for p in paragraphs]


def lingua_everywhere(paragraphs: list[str]) -> list[str]:
    """The reference: lingua on the document, and on every paragraph of eight words or more
    (what reportmt did before it asked lingua only in doubt)."""
    from reportmt.language import UNDETERMINED, detect_language

    document = detect_language("\n".join(paragraphs)).code
    languages = []
    for paragraph in paragraphs:
        guess = detect_language(paragraph) if len(paragraph.split()) >= 8 else None
        languages.append(guess.code if guess and guess.confidence >= 0.9 and guess.code != UNDETERMINED else document)
    return languages
