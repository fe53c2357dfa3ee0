"""Translations from anywhere, one per TSV line: ``src_lang<TAB>source<TAB>english``, in UTF-8
(a byte order mark at the start is allowed). Each line gets its flags, or the reason it could
not be checked, with the byte offset where a line is not UTF-8; a bad line never stops the others."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..languages import TRANSLATED
from .checks import Pair, check

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class CheckedLine:
    line: int  # from 1
    flags: list[str] = field(default_factory=list)
    src_lang: str | None = None
    error: str | None = None  # why the line could not be checked
    undecodable: bool = False  # the line is not UTF-8

    def as_json(self) -> dict:
        answer: dict = {"line": self.line}
        if self.src_lang is not None:
            answer["src_lang"] = self.src_lang
        answer["flags"] = self.flags
        if self.error is not None:
            answer["error"] = self.error
        return answer


def checked_lines(lines: Iterable[bytes]) -> Iterator[CheckedLine]:
    """One result per line, in order."""
    offset = 0
    for number, raw in enumerate(lines, start=1):
        start = offset
        offset += len(raw)
        if number == 1 and raw.startswith(BOM):
            raw, start = raw[len(BOM):], start + len(BOM)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield CheckedLine(number, error=f"not UTF-8 text ({exc.reason} at byte {start + exc.start} of the input)",
                              undecodable=True)
            continue
        yield _checked(number, text.rstrip("\r\n"))


def _checked(number: int, text: str) -> CheckedLine:
    columns = text.split("\t")
    if len(columns) != 3:
        return CheckedLine(number, error=f"has {len(columns)} columns, not 3 (src_lang, source, english)")
    src_lang, source, english = columns
    if src_lang not in TRANSLATED:
        return CheckedLine(number, error=f"source language {src_lang!r} is not one reportmt translates "
                                         f"({', '.join(TRANSLATED)})")
    return CheckedLine(number, check(Pair(src_lang, source, english, raw=english)), src_lang)
