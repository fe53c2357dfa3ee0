"""Reading a source file: bytes, hash and text, or a clear reason why it is not a report."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


CONVERT = "convert it to UTF-8 text, or move it out of the corpus folder"


class SourceError(Exception):
    """A source file that cannot be processed: which, why, and what the user can do."""

    def __init__(self, path: str, reason: str, action: str = CONVERT):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.action = action


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in blocks (reports and model archives can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str
    sha256: str


def read_source(path: Path, display_name: str) -> SourceText:
    """Decode a report; the source file is only ever opened for reading."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(display_name, f"cannot read file: {exc.strerror or exc}", "check its permissions") from exc
    sha256 = hashlib.sha256(raw).hexdigest()
    text, encoding = decode(raw, display_name)
    return SourceText(text=text, encoding=encoding, sha256=sha256)


def decode(raw: bytes, display_name: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise SourceError(display_name, f"has a {encoding} byte-order mark but does not decode: {exc.reason}") from exc
    if b"\x00" in raw:
        raise SourceError(display_name, "contains NUL bytes: a binary file, not a text report", "export the report as plain text, or move the file out of the corpus folder")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise SourceError(display_name, "is not text in any encoding that could be detected")
    return str(best), best.encoding
