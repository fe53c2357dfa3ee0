"""Reading a source file: its hash, its encoding, then its lines, in bounded memory.

Two passes over the bytes, block by block, so a report of any size is never held whole:
the first finds the encoding (byte-order mark, UTF-8, else charset-normalizer on a
sample) and hashes the file; the second decodes it line by line and hashes it again, so
a file that changes while it is read is caught instead of half-read.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import ReportmtError
from .unread import UnreadKind

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
BLOCK_BYTES = 1 << 18  # also the step of the reading progress
# charset-normalizer sees at most this much: the file's start, then lines with non-ASCII
# bytes from anywhere in it (an ASCII-only start says nothing about the encoding).
DETECTION_SAMPLE_BYTES = 2 << 20
_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*\n?")
# A "line" longer than this is not a paragraph (text extracted without line breaks); it is
# cut at a space into several, so that no line is held whole.
MAX_LINE_CHARS = 1_000_000

# Line breaks: what ends a paragraph. Unlike str.splitlines, a vertical tab, form feed or
# the C0 separators do not: they stand inside a paragraph (a page break in extracted text).
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
# Characters no XML document (TMX, TBX) can hold, and controls no reader wants: C0 and C1
# controls but tab and the line breaks above, DEL, lone surrogates, U+FFFE and U+FFFF.
# Whitespace-like controls become a space (the words on either side stay apart); the rest
# are dropped. Decided once, here, so every record can be written by every export.
_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_AS_SPACE = frozenset("\x0b\x0c\x1c\x1d\x1e\x1f")

CONVERT = "convert it to UTF-8 text, or move it out of the corpus folder"
READ_LATER = "nothing: the next run reads it"


class SourceError(ReportmtError):
    """A source file that cannot be processed: which, why, and what the user can do.

    ``kind``: failed (cannot be used as it is) or deferred (the next run may read it)."""

    def __init__(self, path: str, reason: str, action: str = CONVERT, kind: UnreadKind = UnreadKind.FAILED):
        super().__init__(f"{path}: {reason}", action)
        self.path = path
        self.reason = reason
        self.kind = kind


@dataclass
class ControlCharacters:
    """How many control characters a text had: ``as_space`` became spaces, ``removed`` were dropped."""

    as_space: int = 0
    removed: int = 0

    def clean(self, text: str) -> str:
        if not _CONTROL.search(text):
            return text
        return _CONTROL.sub(self._replace, text)

    def _replace(self, match: re.Match) -> str:
        if match.group() in _AS_SPACE:
            self.as_space += 1
            return " "
        self.removed += 1
        return ""

    def as_dict(self) -> dict:
        return {"as_space": self.as_space, "removed": self.removed}


def first_control(text: str) -> str | None:
    """The first character of ``text`` that reading would have cleaned, if any."""
    found = _CONTROL.search(text)
    return found.group() if found else None


def without_controls(text: str) -> str:
    """``text`` as every export can write it (for text that did not come from a source file,
    such as engine output)."""
    return ControlCharacters().clean(text)


def has_settled(path: Path, settle_seconds: float, *, patience: float | None = None, poll_seconds: float = 0.25) -> bool:
    """True once the file's size and modification time have not moved for ``settle_seconds``
    (time since its last modification counts); False if it vanished, or still moved after
    ``patience`` seconds of watching (None: watch as long as it takes)."""
    started = time.monotonic()
    last = None
    stable_since = started
    while True:
        try:
            stat = path.stat()
        except FileNotFoundError:
            return False
        current = (stat.st_size, stat.st_mtime_ns)
        if current != last:
            last = current
            stable_since = time.monotonic() - max(0.0, time.time() - stat.st_mtime)
        if time.monotonic() - stable_since >= settle_seconds:
            return True
        if patience is not None and time.monotonic() - started >= patience:
            return False
        time.sleep(poll_seconds)


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in blocks (reports and model archives can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class SourceInfo:
    """What the first pass learned about a source file."""

    path: Path
    display_name: str
    encoding: str
    sha256: str
    stat: list[int]  # taken before the file was read: see file_stat


def file_stat(path: Path) -> list[int]:
    """Size, modification time (ns) and inode: while they stay the same, the content is
    taken to be the same (as git's index does). Files are read only once they have not
    changed for a while (has_settled), so a later write moves the modification time."""
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def inspect_source(path: Path, display_name: str) -> SourceInfo:
    """Hash the file and find its encoding, or say why it is not a text report."""
    try:
        stat = file_stat(path)
    except OSError as exc:
        raise SourceError(display_name, f"cannot read file: {exc.strerror or exc}", READ_LATER, UnreadKind.DEFERRED) from exc
    digest = hashlib.sha256()
    size = 0
    bom_encoding = None
    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    sample = bytearray()
    try:
        with path.open("rb") as handle:
            while block := handle.read(BLOCK_BYTES):
                if size == 0:
                    bom_encoding = next((encoding for bom, encoding in _BOMS if block.startswith(bom)), None)
                digest.update(block)
                size += len(block)
                if bom_encoding:
                    continue  # UTF-16 and UTF-32 are full of NUL bytes; the decoder checks them
                if b"\x00" in block:
                    raise SourceError(display_name, "contains NUL bytes: a binary file, not a text report",
                                      "export the report as plain text, or move the file out of the corpus folder")
                if is_utf8:
                    try:
                        utf8.decode(block)
                    except UnicodeDecodeError:
                        is_utf8 = False
                if len(sample) < DETECTION_SAMPLE_BYTES:
                    room = DETECTION_SAMPLE_BYTES - len(sample)
                    sample += block[:room] if size <= DETECTION_SAMPLE_BYTES else b"".join(_NON_ASCII_LINE.findall(block))[:room]
    except OSError as exc:
        raise SourceError(display_name, f"cannot read file: {exc.strerror or exc}", "check its permissions") from exc
    if bom_encoding:
        encoding = bom_encoding
    elif is_utf8 and _utf8_complete(utf8):
        encoding = "utf-8"
    else:
        best = from_bytes(bytes(sample)).best()
        if best is None or best.encoding is None:
            raise SourceError(display_name, "is not text in any encoding that could be detected")
        encoding = best.encoding
    return SourceInfo(path, display_name, encoding, digest.hexdigest(), stat)


def _utf8_complete(decoder: codecs.IncrementalDecoder) -> bool:
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def iter_lines(
    source: SourceInfo, on_bytes: Callable[[int], None] | None = None, controls: ControlCharacters | None = None
) -> Iterator[tuple[int, str]]:
    """(line number, text) for every line, control characters cleaned (counted in
    ``controls``); ``on_bytes`` hears how many bytes each block had. The source file is only
    ever opened for reading. A file whose size, time or inode moved since the first pass is
    deferred: its hash would not be the content read."""
    controls = controls if controls is not None else ControlCharacters()
    decoder = codecs.getincrementaldecoder(source.encoding)()
    number = 0
    pending = ""  # the text after the last complete line break
    try:
        with source.path.open("rb") as handle:
            while True:
                block = handle.read(BLOCK_BYTES)
                try:
                    pending += decoder.decode(block, final=not block)
                except UnicodeDecodeError as exc:
                    raise SourceError(source.display_name, f"does not decode as {source.encoding} after line {number}: {exc.reason}") from exc
                # The text after the last break may be cut by the block's end (even the "\r" of
                # a "\r\n"): it waits for the next block.
                held = "\r" if block and pending.endswith("\r") else ""
                pieces = _LINE_BREAK.split(pending[: len(pending) - len(held)])
                last = pieces.pop()
                pending = last + held if block else ""
                if not block and last:
                    pieces.append(last)
                for piece in pieces:
                    number += 1
                    for part in _cut_long_line(controls.clean(piece)):
                        yield number, part
                while len(pending) > MAX_LINE_CHARS:
                    head, pending = _cut_at_space(pending, MAX_LINE_CHARS)
                    yield number + 1, controls.clean(head)
                if on_bytes and block:
                    on_bytes(len(block))
                if not block:
                    break
        changed = file_stat(source.path) != source.stat
    except OSError as exc:  # moved or deleted since the first pass
        raise SourceError(source.display_name, f"cannot read file: {exc.strerror or exc}", READ_LATER, UnreadKind.DEFERRED) from exc
    if changed:
        raise SourceError(source.display_name, "changed while it was being read", READ_LATER, UnreadKind.DEFERRED)


def _cut_long_line(line: str) -> Iterator[str]:
    while len(line) > MAX_LINE_CHARS:
        head, line = _cut_at_space(line, MAX_LINE_CHARS)
        yield head
    yield line


def _cut_at_space(text: str, limit: int) -> tuple[str, str]:
    """``text`` cut at its last space before ``limit`` (at ``limit`` if it has none there)."""
    cut = text.rfind(" ", 1, limit)
    cut = cut if cut > 0 else limit
    return text[:cut], text[cut:].lstrip(" ")
