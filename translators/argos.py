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
from pathlib import Path
from typing import Any

import ctranslate2

from reportmt.languages import language_pair

from .base import BatchPlan, EngineError, Translator
from .packages import InstalledPackage
from .tokenizers import TokenizerError, load_tokenizer


@dataclass(frozen=True)
class DecodingOptions:
    beam_size: int = 4  # argostranslate's default
    # auto: CUDA where the process that loads the model sees a GPU (a Dask worker decides for itself)
    device: str = "auto"
    compute_type: str = "default"  # default: int8 on CPU, int8_float16 on CUDA
    inter_threads: int = 1
    intra_threads: int = 0  # 0: CTranslate2 uses every core
    max_batch_tokens: int = 4096
    # Longer inputs are cut into pieces of this many tokens and translated piece by piece,
    # so that no text is lost to the model's position limit.
    max_input_tokens: int = 250
    length_penalty: float = 0.2  # argostranslate's default

    @classmethod
    def for_machine(cls, **overrides: Any) -> DecodingOptions:
        """Defaults that fit this machine (one translator using every core), then overrides."""
        settings: dict[str, Any] = {"intra_threads": os.cpu_count() or 1}
        settings.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**settings)


def resolve_device(device: str, compute_type: str = "default") -> tuple[str, str]:
    """The device and compute type CTranslate2 runs with in this process."""
    gpus = ctranslate2.get_cuda_device_count()
    if device == "cuda" and gpus == 0:
        raise EngineError("--device cuda: CTranslate2 sees no CUDA device here (see `reportmt doctor`)")
    resolved = "cuda" if device == "cuda" or (device == "auto" and gpus > 0) else "cpu"
    if compute_type == "default":
        compute_type = "int8_float16" if resolved == "cuda" else "int8"
    return resolved, compute_type


@lru_cache(maxsize=8)
def _load(model_dir: str, device: str, compute_type: str, inter_threads: int, intra_threads: int
          ) -> ctranslate2.Translator:
    """One CTranslate2 model per process and settings, shared by every task that needs it."""
    device, compute_type = resolve_device(device, compute_type)
    try:
        return ctranslate2.Translator(
            model_dir,
            device=device,
            compute_type=compute_type,
            inter_threads=inter_threads,
            intra_threads=intra_threads,
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise EngineError(f"the CTranslate2 model in {model_dir} does not load: {exc}") from exc


class ArgosTranslator(Translator):
    """An installed Argos package on CTranslate2; the model is loaded on first translation,
    once per process, so planning batches needs only the SentencePiece model."""

    def __init__(self, package: InstalledPackage, options: DecodingOptions | None = None):
        self.package = package
        self.options = options or DecodingOptions.for_machine()
        self.source_lang = package.from_code
        self.target_lang = package.to_code
        try:
            self._tokenizer = load_tokenizer(package.path, package.from_code, package.to_code)
        except TokenizerError as exc:
            raise EngineError(f"{package.name}: {exc}") from exc

    @property
    def model(self) -> str:
        return self.package.model

    @property
    def signature(self) -> str:
        """What determines the output; thread counts do not, so they are left out. The device
        and compute type are those of this process (a Dask worker with a GPU of its own may
        differ from the flow's)."""
        sha = (self.package.archive_sha256 or "unknown")[:12]
        device, compute_type = resolve_device(self.options.device, self.options.compute_type)
        return (
            f"{self.model}|sha256:{sha}|ctranslate2:{ctranslate2.__version__}"
            f"|beam:{self.options.beam_size}|compute:{compute_type}|lp:{self.options.length_penalty}"
            f"|maxin:{self.options.max_input_tokens}" + ("|device:cuda" if device == "cuda" else "")
        )

    @property
    def meaningless(self) -> bool:
        return self.package.test_package

    def __reduce__(self) -> tuple[type[ArgosTranslator], tuple[InstalledPackage, DecodingOptions]]:
        """Pickled as its package and options: a worker loads tokenizer and model itself."""
        return ArgosTranslator, (self.package, self.options)

    def plan(self, sentences: Sequence[str]) -> BatchPlan:
        """Tokenize, cut inputs longer than max_input_tokens into pieces (no text is lost),
        sort by length and pack batches up to max_batch_tokens."""
        units: list[tuple[str, ...]] = []
        owners: list[int] = []
        limit = self.options.max_input_tokens
        for index, sentence in enumerate(sentences):
            tokens = self._tokenizer.encode(sentence)
            for start in range(0, len(tokens), limit):
                units.append(tuple(tokens[start : start + limit]))
                owners.append(index)
        order = sorted(range(len(units)), key=lambda u: (len(units[u]), u))
        batches: list[tuple[int, ...]] = []
        current: list[int] = []
        for unit in order:
            # Budget as CTranslate2 counts it for batch_type="tokens": padded length x size.
            if current and len(units[unit]) * (len(current) + 1) > self.options.max_batch_tokens:
                batches.append(tuple(current))
                current = []
            current.append(unit)
        if current:
            batches.append(tuple(current))
        return BatchPlan(tuple(owners), tuple(batches), tuple(units), len(sentences))

    def translate_batch(self, tokens: list[list[str]]) -> list[str]:
        """One batch exactly as given, detokenized."""
        engine = self._engine()
        prefix = [[self.package.target_prefix]] * len(tokens) if self.package.target_prefix else None
        results = engine.translate_batch(
            tokens,
            target_prefix=prefix,
            max_batch_size=0,  # the batch is already planned: no re-batching
            beam_size=self.options.beam_size,
            length_penalty=self.options.length_penalty,
            replace_unknowns=True,
        )
        return [self._detokenize(result.hypotheses[0], source) for result, source in zip(results, tokens)]

    def load(self) -> None:
        """Load the model (once per process and settings)."""
        self._engine()

    def _engine(self) -> ctranslate2.Translator:
        options = self.options
        return _load(str(self.package.path / "model"), options.device, options.compute_type, options.inter_threads,
                     options.intra_threads)

    def _detokenize(self, tokens: list[str], source: list[str]) -> str:
        text = self._tokenizer.decode(tokens)
        prefix = self.package.target_prefix
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :]
        # argostranslate turns every "_" of the output into a space (some models write it
        # for one); an underscore the source has is content (bericht_2024.pdf) and stays.
        if "_" in text and not any("_" in token for token in source):
            text = text.replace("_", " ")
        return text.strip()


def installed_engines(
    directory: Path, languages: tuple[str, ...], target: str, options: DecodingOptions
) -> tuple[dict[str, ArgosTranslator], dict[str, str]]:
    """For each source language, the translator of the package that serves its pair, or
    the reason there is none (not installed, or installed but unusable)."""
    from .packages import list_installed, serving, unavailable_reason

    chosen = serving(list_installed(directory))
    engines: dict[str, ArgosTranslator] = {}
    unavailable: dict[str, str] = {}
    for lang in languages:
        package = chosen.get(language_pair(lang, target))
        if package is None:
            unavailable[lang] = unavailable_reason(directory, lang, target)
            continue
        try:
            engines[lang] = ArgosTranslator(package, options)
        except EngineError as exc:
            unavailable[lang] = f"the {package.pair} package {package.name} cannot be used: {exc}"
    return engines, unavailable
