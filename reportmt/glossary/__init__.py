"""Glossary: the canonical English name of every body, title and recurring phrase."""

from .entries import Glossary, GlossaryEntry, GlossaryError, default_glossary_path, load_glossary
from .matcher import TermMatch, TermMatcher
from .normalize import NormalizedText, Normalizer

__all__ = [
    "Glossary",
    "GlossaryEntry",
    "GlossaryError",
    "NormalizedText",
    "Normalizer",
    "TermMatch",
    "TermMatcher",
    "default_glossary_path",
    "load_glossary",
]
