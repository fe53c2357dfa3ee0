"""The two tokenizers an Argos package can carry, as argostranslate reads them.

``sentencepiece.model``: SentencePiece pieces (the official Argos packages).
``bpe.model``: Moses tokenization then subword-nmt BPE codes (converted OPUS-MT models);
decoding joins ``@@`` continuations and detokenizes with Moses, as argostranslate's
``BPETokenizer`` does.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import lru_cache
from pathlib import Path

from reportmt.errors import ReportmtError

SENTENCEPIECE_FILE = "sentencepiece.model"
BPE_FILE = "bpe.model"
TOKENIZER_FILES = (SENTENCEPIECE_FILE, BPE_FILE)  # argostranslate's order of preference


class TokenizerError(ReportmtError):
    """A package's tokenizer is missing or does not load."""


class Tokenizer(ABC):
    @abstractmethod
    def encode(self, text: str) -> list[str]:
        """The tokens the model reads."""

    @abstractmethod
    def decode(self, tokens: list[str]) -> str:
        """Text from the tokens the model wrote."""


class SentencePieceTokenizer(Tokenizer):
    def __init__(self, model_file: Path):
        import sentencepiece

        try:
            self._processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
        except (RuntimeError, OSError) as exc:
            raise TokenizerError(f"{model_file.name} does not load ({exc})") from exc

    def encode(self, text: str) -> list[str]:
        return self._processor.encode(text, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        return self._processor.decode(tokens)


class BPETokenizer(Tokenizer):
    def __init__(self, codes_file: Path, from_code: str, to_code: str):
        from sacremoses import MosesDetokenizer, MosesPunctNormalizer, MosesTokenizer
        from subword_nmt.apply_bpe import BPE

        try:
            with codes_file.open(encoding="utf-8") as codes:
                self._bpe = BPE(codes)
        except (OSError, UnicodeDecodeError, ValueError, IndexError) as exc:
            raise TokenizerError(f"{codes_file.name} is not a BPE codes file ({exc})") from exc
        self._normalizer = MosesPunctNormalizer(from_code)
        self._tokenizer = MosesTokenizer(from_code)
        self._detokenizer = MosesDetokenizer(to_code)

    def encode(self, text: str) -> list[str]:
        words = self._tokenizer.tokenize(self._normalizer.normalize(text))
        return self._bpe.segment_tokens(words) if words else []

    def decode(self, tokens: list[str]) -> str:
        return self._detokenizer.detokenize(" ".join(tokens).replace("@@ ", "").split(" "))


@lru_cache(maxsize=16)
def load_tokenizer(package_dir: Path, from_code: str, to_code: str) -> Tokenizer:
    """The package's tokenizer, loaded once per process."""
    if (package_dir / SENTENCEPIECE_FILE).is_file():
        return SentencePieceTokenizer(package_dir / SENTENCEPIECE_FILE)
    if (package_dir / BPE_FILE).is_file():
        return BPETokenizer(package_dir / BPE_FILE, from_code, to_code)
    raise TokenizerError(f"no tokenizer: neither {SENTENCEPIECE_FILE} nor {BPE_FILE}")
