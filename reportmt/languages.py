"""The languages reportmt reads and the one it writes, defined once."""

from __future__ import annotations

TRANSLATED = ("de", "fr")  # reports in these languages are translated
TARGET = "en"  # ... into this one; reports in it are normalized as they are
SUPPORTED = (*TRANSLATED, TARGET)  # a report in any other language is refused
NAMES = {"de": "German", "fr": "French", "en": "English"}


def language_pair(source: str, target: str = TARGET) -> str:
    """``de-en``: how pairs are named in packages, summaries and commands."""
    return f"{source}-{target}"
