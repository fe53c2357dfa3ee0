"""The one interface every translation engine implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence


class Translator(ABC):
    """Translates sentences from one language into another, in order, one output per input."""

    source_lang: str
    target_lang: str

    @property
    @abstractmethod
    def model(self) -> str:
        """Package name and version, as recorded in every record's provenance."""

    @property
    @abstractmethod
    def signature(self) -> str:
        """Everything that determines the output (model, engine, decoding options)."""

    @abstractmethod
    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translations of ``sentences``, same length and order."""
