"""The one interface every translation engine implements, and the batches it is given.

The flow plans batches once (``plan``), may send them to other processes or machines, and
has each translated exactly as planned (``translate_batch``): CTranslate2's output for a
sentence can depend on the other sentences of its batch, so the plan, not the runner,
decides what is translated together. A second engine (CTranslate2 on another device, a
remote service) implements these members and plugs into the flow unchanged.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from reportmt.errors import ReportmtError
from reportmt.languages import language_pair


@dataclass(frozen=True)
class BatchPlan:
    """The exact batches a list of sentences is translated in.

    CTranslate2's output for a sentence can depend on the other sentences in its batch, so
    the batches are fixed here, once, and every runner (one process, threads, or Dask
    workers taking whole batches) translates the same batches: the same output everywhere.
    """

    owners: tuple[int, ...]  # for each unit (a sentence, or a piece of a long one), its sentence
    batches: tuple[tuple[int, ...], ...]  # unit indices, shortest units first
    units: tuple[tuple[str, ...], ...]  # SentencePiece tokens of each unit
    sentence_count: int

    def batch_tokens(self, batch: tuple[int, ...]) -> list[list[str]]:
        return [list(self.units[unit]) for unit in batch]

    def shards(self, count: int) -> list[list[tuple[int, ...]]]:
        """Consecutive batches grouped into at most ``count`` shards of similar token totals."""
        if not self.batches:
            return []
        total = sum(len(self.units[u]) for batch in self.batches for u in batch)
        target = total / max(1, min(count, len(self.batches)))
        shards: list[list[tuple[int, ...]]] = [[]]
        filled = 0
        for batch in self.batches:
            size = sum(len(self.units[u]) for u in batch)
            if shards[-1] and filled + size / 2 > target * len(shards):
                shards.append([])
            shards[-1].append(batch)
            filled += size
        return shards

    def assemble(self, outputs: dict[int, str]) -> list[str]:
        """Sentences from unit outputs (``outputs``: unit index -> text), pieces joined in order."""
        parts: list[list[str]] = [[] for _ in range(self.sentence_count)]
        for unit, owner in enumerate(self.owners):
            if outputs[unit]:
                parts[owner].append(outputs[unit])
        return [" ".join(p) for p in parts]


class Translator(ABC):
    """Translates sentences from ``source_lang`` into ``target_lang``, one output per input.

    Instances are sent to task runners (Dask workers), so they must pickle cheaply: a model
    is loaded where it is used, once per process."""

    source_lang: str
    target_lang: str

    @property
    def pair(self) -> str:
        return language_pair(self.source_lang, self.target_lang)

    @property
    @abstractmethod
    def model(self) -> str:
        """Package name and version, as recorded in every record's provenance."""

    @property
    @abstractmethod
    def signature(self) -> str:
        """Everything that determines the output (model, engine, decoding options): the
        translation cache's key, so a change of any of them translates again."""

    @property
    def meaningless(self) -> bool:
        """True for a test engine whose output must never be shown as a translation."""
        return False

    def load(self) -> None:  # noqa: B027 - a hook with nothing to do by default, not abstract
        """Make the engine ready in this process; raises EngineError if it cannot run."""

    @abstractmethod
    def plan(self, sentences: Sequence[str]) -> BatchPlan:
        """The inputs of ``sentences`` in the batches they are to be translated in."""

    @abstractmethod
    def translate_batch(self, tokens: list[list[str]]) -> list[str]:
        """One planned batch, exactly as given: one text per input."""

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translations of ``sentences``, same length and order, in this process."""
        plan = self.plan(sentences)
        outputs: dict[int, str] = {}
        for batch in plan.batches:
            outputs.update(zip(batch, self.translate_batch(plan.batch_tokens(batch))))
        return plan.assemble(outputs)


class EngineError(ReportmtError):
    """An engine that cannot translate on this machine (its tokenizer or model does not load)."""
