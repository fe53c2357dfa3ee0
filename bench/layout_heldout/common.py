"""Text normalisation and word tokens shared by make_set.py and score.py (stdlib only)."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = {ord(c): '"' for c in "„“”«»‟″"}
_QUOTES.update({ord(c): "'" for c in "‚‘’‛′`´"})
_DASHES = {ord(c): "-" for c in "‐‑‒–—―−"}
_WORD = re.compile(r"[^\W\d_]+|\d+")


def norm(text: str) -> str:
    """Compatibility forms folded (ligatures, no-break spaces, superscripts), quotes and
    dashes unified, soft hyphens out, whitespace runs one space."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = text.translate(_QUOTES).translate(_DASHES)
    return " ".join(text.split())


def wtoks(text: str, fold: bool = True) -> list[str]:
    """Word tokens (runs of letters, runs of digits), case-folded unless ``fold`` is False."""
    text = norm(text)
    return _WORD.findall(text.casefold() if fold else text)
