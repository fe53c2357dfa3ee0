"""Page furniture: lines that belong to the web page, not to the report's body.

Source markers and URLs, comment counters, embedded media, photo captions and credits,
bylines. They are moved into the document's metadata (nothing is lost) and never
translated or counted as body text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

_COMMENT_WORDS = r"(?:Comments?|Kommentare?|Commentaires?|Comentarios?|Bình luận)"
_COMMENT_LINE = re.compile(rf"^{_COMMENT_WORDS}\s*\(\d+\)$", re.IGNORECASE)
_COMMENT_GLUED = re.compile(rf"\s*{_COMMENT_WORDS}\s*\(\d+\)$", re.IGNORECASE)
_SOURCE_LINE = re.compile(r"^(?:Source|Sources|Quelle|Quellen|Fuente|Nguồn)\s*(?::\s*(?P<url>\S+))?$", re.IGNORECASE)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_MEDIA_LINE = re.compile(
    r"^(?P<kind>Video|Audio|Clip|Photo|Foto|Bild|Image|Ảnh)\s*:\s*(?P<ref>\S+\.(?:mp4|m4v|webm|mov|avi|mp3|m4a|ogg|wav|jpe?g|png|gif)\S*)$",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(
    r"^(?P<caption>.+?)\s+[-–—]\s+(?P<credit>(?:Photo|Photos|Foto|Fotos|Bild|Ảnh)\s*:\s*.+)$",
    re.IGNORECASE,
)
_TERMINAL_PUNCTUATION = ".!?:;…\"'”»)"
_BYLINE_JOINERS = {"-", "–", "—", "&", "and", "und", "et", "và", ","}


@dataclass(frozen=True)
class FurnitureItem:
    kind: str  # source, link, comment_counter, media, caption, photo_credit, byline; page_header, page_footer, page_number, contents
    text: str
    line: int  # 1-based line of a text file, or block of another format; the page of a PDF's page furniture (0: every page)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class BodyLine:
    text: str
    line: int


class PageFurniture:
    """Separates body lines from furniture as the lines stream past; ``items`` collects the
    furniture found so far. One body line is held back: the last one may be a byline."""

    def __init__(self, *, closing_byline: bool = True) -> None:
        """``closing_byline``: a short last line of names is a byline (text saved from a web
        page); not for documents whose blocks say what they are (a table's last cell)."""
        self.items: list[FurnitureItem] = []
        self.closing_byline = closing_byline

    def body_lines(self, lines: Iterable[tuple[int, str]]) -> Iterator[BodyLine]:
        """``lines``: (line number, text). Yields the body lines in order."""
        held: BodyLine | None = None
        for number, raw_line in lines:
            line = raw_line.strip()
            if not line:
                continue
            found = _classify(line, number)
            if found:
                self.items.extend(found)
                continue
            glued = _COMMENT_GLUED.search(line)
            if glued:
                self.items.append(FurnitureItem("comment_counter", glued.group(0).strip(), number))
                line = line[: glued.start()].rstrip()
            if held:
                yield held
            held = BodyLine(line, number)
        if held and self.closing_byline and _looks_like_byline(held.text):
            self.items.append(FurnitureItem("byline", held.text, held.line))
        elif held:
            yield held
        self.items.sort(key=lambda item: item.line)


def _classify(line: str, number: int) -> list[FurnitureItem] | None:
    if _COMMENT_LINE.match(line):
        return [FurnitureItem("comment_counter", line, number)]
    if _SOURCE_LINE.match(line):
        return [FurnitureItem("source", line, number)]
    if _URL_LINE.match(line):
        return [FurnitureItem("link", line, number)]
    if _MEDIA_LINE.match(line):
        return [FurnitureItem("media", line, number)]
    credit = _PHOTO_CREDIT.match(line)
    if credit:
        return [
            FurnitureItem("caption", credit.group("caption").strip(), number),
            FurnitureItem("photo_credit", credit.group("credit").strip(), number),
        ]
    if _looks_like_bare_caption(line):
        return [FurnitureItem("caption", line, number)]
    return None


def _looks_like_bare_caption(line: str) -> bool:
    """A one-word line under a photo, such as "Konferenzteilnehmer."; no body paragraph is one word."""
    words = line.split()
    return len(words) == 1 and line.endswith(".") and line[:1].isupper() and not any(c.isdigit() for c in line)


def _looks_like_byline(line: str) -> bool:
    """A short closing line of names or initials: "Dao Quyen", "QH", "Kieu An - Truong Giang"."""
    if len(line) > 60 or line[-1] in _TERMINAL_PUNCTUATION:
        return False
    words = [w for w in line.replace(",", " , ").split() if w not in _BYLINE_JOINERS]
    return 0 < len(words) <= 6 and all(w[0].isupper() for w in words)


def source_url(furniture: list[FurnitureItem]) -> str | None:
    """The report's web address, from its first source or link line that names one."""
    for item in furniture:
        url = source_text(item) if item.kind == "source" else item.text if item.kind == "link" else None
        if url and link_target(url):
            return link_target(url)
    return None


def source_text(item: FurnitureItem | dict) -> str:
    """What a source line says after its label ("Source: X" -> "X"; a bare "Quelle" -> "")."""
    text = item.text if isinstance(item, FurnitureItem) else item["text"]
    match = _SOURCE_LINE.match(text)
    return (match.group("url") or "") if match else text


def link_target(text: str) -> str | None:
    """``text`` as an address a page may link to: http and https only ("www." taken as
    https). A `javascript:` or `data:` address, or anything else, stays plain text."""
    candidate = f"https://{text}" if text.lower().startswith("www.") else text
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    return candidate if parts.scheme.lower() in ("http", "https") and parts.netloc else None
