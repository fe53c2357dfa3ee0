"""Argos packages run directly on CTranslate2 and SentencePiece (no torch, no stanza).

argostranslate's own ``translate`` module imports torch through stanza and splits text
with a model it downloads; reportmt segments itself and hands every sentence of a run
to CTranslate2 at once, in token-budget batches sorted by length.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import ctranslate2
import sentencepiece

from .base import Translator
from .packages import InstalledPackage


@dataclass(frozen=True)
class DecodingOptions:
    beam_size: int = 4  # argostranslate's default
    compute_type: str = "int8"
    inter_threads: int = 1
    intra_threads: int = 0  # 0: CTranslate2 uses every core
    max_batch_tokens: int = 4096
    # Longer inputs are cut into pieces of this many tokens and translated piece by piece,
    # so that no text is lost to the model's position limit.
    max_input_tokens: int = 250
    length_penalty: float = 0.2  # argostranslate's default

    @classmethod
    def for_machine(cls, **overrides) -> DecodingOptions:
        """Defaults that fit this machine (one translator using every core), then overrides."""
        settings = {"intra_threads": os.cpu_count() or 1}
        settings.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**settings)


def engine_signature(package: InstalledPackage, options: DecodingOptions) -> str:
    """What determines the output; thread counts do not, so they are left out."""
    sha = (package.archive_sha256 or "unknown")[:12]
    return (
        f"{package.model}|sha256:{sha}|ctranslate2:{ctranslate2.__version__}"
        f"|beam:{options.beam_size}|compute:{options.compute_type}|lp:{options.length_penalty}"
        f"|maxin:{options.max_input_tokens}"
    )


@lru_cache(maxsize=8)
def _load(model_dir: str, compute_type: str, inter_threads: int, intra_threads: int):
    """One CTranslate2 model per process and settings, shared by every task that needs it."""
    return ctranslate2.Translator(
        model_dir,
        device="cpu",
        compute_type=compute_type,
        inter_threads=inter_threads,
        intra_threads=intra_threads,
    )


@lru_cache(maxsize=8)
def _load_tokenizer(model_file: str) -> sentencepiece.SentencePieceProcessor:
    return sentencepiece.SentencePieceProcessor(model_file=model_file)


class ArgosTranslator(Translator):
    def __init__(self, package: InstalledPackage, options: DecodingOptions | None = None):
        self.package = package
        self.options = options or DecodingOptions.for_machine()
        self.source_lang = package.from_code
        self.target_lang = package.to_code
        self._engine = _load(
            str(package.path / "model"),
            self.options.compute_type,
            self.options.inter_threads,
            self.options.intra_threads,
        )
        self._tokenizer = _load_tokenizer(str(package.path / "sentencepiece.model"))

    @property
    def model(self) -> str:
        return self.package.model

    @property
    def signature(self) -> str:
        return engine_signature(self.package, self.options)

    def translate(self, sentences: Sequence[str]) -> list[str]:
        pieces: list[list[str]] = []
        owner: list[int] = []
        for index, sentence in enumerate(sentences):
            tokens = self._tokenizer.encode(sentence, out_type=str)
            limit = self.options.max_input_tokens
            for start in range(0, len(tokens), limit):
                pieces.append(tokens[start : start + limit])
                owner.append(index)
        outputs: list[list[str]] = [[] for _ in sentences]
        if pieces:
            prefix = [[self.package.target_prefix]] * len(pieces) if self.package.target_prefix else None
            results = self._engine.translate_batch(
                pieces,
                target_prefix=prefix,
                max_batch_size=self.options.max_batch_tokens,
                batch_type="tokens",
                beam_size=self.options.beam_size,
                length_penalty=self.options.length_penalty,
                replace_unknowns=True,
            )
            for index, result in zip(owner, results):
                outputs[index].append(self._detokenize(result.hypotheses[0]))
        return [" ".join(part for part in parts if part) for parts in outputs]

    def _detokenize(self, tokens: list[str]) -> str:
        text = self._tokenizer.decode(tokens)
        prefix = self.package.target_prefix
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :]
        return text.strip()
