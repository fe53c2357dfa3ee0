"""Translations from anywhere, one per TSV line: ``src_lang<TAB>source<TAB>english``.
Each line gets its flags, or the reason it could not be checked; a bad line never stops
the others."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..languages import TRANSLATED
from .checks import Pair, check


def checked_lines(lines: Iterable[str]) -> Iterator[dict]:
    """One result per line, in order: ``{"line", "src_lang", "flags"}``, or ``{"line", "error"}``."""
    for number, line in enumerate(lines, start=1):
        columns = line.rstrip("\r\n").split("\t")
        if len(columns) != 3:
            yield {"line": number, "flags": [], "error": f"has {len(columns)} columns, not 3 (src_lang, source, english)"}
        elif columns[0] not in TRANSLATED:
            yield {"line": number, "flags": [],
                   "error": f"source language {columns[0]!r} is not one reportmt translates ({', '.join(TRANSLATED)})"}
        else:
            src_lang, source, english = columns
            yield {"line": number, "src_lang": src_lang, "flags": check(Pair(src_lang, source, english, raw=english))}
