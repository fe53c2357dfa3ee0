"""A report's format from its first bytes: a `.txt` holding HTML is read as HTML, and a
PDF named `.dat` as a PDF; TIFF, PNG and JPEG files are page images (scans). Old binary
Word files and RTF are named, not read."""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from ..sources import SourceError
from ..zip_limits import unpacking_problem

TEXT, PDF, DOCX, ODT, HTML, IMAGE = "text", "pdf", "docx", "odt", "html", "image"
SNIFF_BYTES = 8192
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_IMAGES = (b"II*\x00", b"MM\x00*", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # TIFF (both byte orders), PNG, JPEG
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc (Word 97-2003)
_HTML_START = re.compile(rb"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_HTML_INSIDE = re.compile(rb"<(?:head|body)[\s>]", re.IGNORECASE)
CONVERT_TO_DOCX = "convert it, for example `soffice --headless --convert-to docx FILE`, and put the .docx in its place"


def detect_format(path: Path, doc_id: str) -> str:
    """text, pdf, docx, odt, html or image; a format that cannot be read raises SourceError."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(_IMAGES):
        return IMAGE
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path, doc_id)
    if head.startswith(_OLE):
        raise SourceError(doc_id, "is an old binary Word document (.doc), which is not read", CONVERT_TO_DOCX)
    if head.lstrip().startswith(b"{\\rtf"):
        raise SourceError(doc_id, "is an RTF document, which is not read", CONVERT_TO_DOCX)
    return HTML if _looks_like_html(head) else TEXT


def _zip_format(path: Path, doc_id: str) -> str:
    """DOCX or ODT, checked against the limits model archives have before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            problem = unpacking_problem(path, tuple(archive.infolist()))
            if problem:
                raise SourceError(doc_id, f"is a zip file that {problem}", "remove it; a report does not unpack to that much")
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "mimetype" in names and archive.read("mimetype").strip() == _ODT_MIMETYPE:
                return ODT
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(doc_id, f"is a damaged or truncated zip file ({exc})", "replace it with a complete copy") from exc
    raise SourceError(doc_id, "is a zip file but no Word (DOCX) or OpenDocument text (ODT) document",
                      "unpack it and put the reports it holds into the corpus folder")


def _looks_like_html(head: bytes) -> bool:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom):].decode(encoding, "ignore").encode("utf-8")
    head = head.removeprefix(codecs.BOM_UTF8)
    return bool(_HTML_START.match(head)) or (head.lstrip().startswith(b"<") and bool(_HTML_INSIDE.search(head)))
