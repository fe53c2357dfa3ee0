"""A tiny Argos-format package built offline, to exercise install and inference code anywhere.

Its SentencePiece model is trained on corpus text and its CTranslate2 transformer has
random weights: it runs exactly like a real package and its output is meaningless.
Nothing it produces may be presented as a translation; its metadata says so and reportmt
flags every record it produces.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sentencepiece
from ctranslate2.specs import TransformerSpec
from ctranslate2.specs.model_spec import OPTIONAL, visit_spec

from reportmt.atomic import atomic_file
from reportmt.languages import NAMES as LANGUAGE_NAMES

WARNING = (
    "TEST PACKAGE: random weights. Its output is meaningless and must never be used or "
    "shown as a translation. It exists to exercise reportmt's install and inference code."
)
_ZIP_TIMESTAMP = (2020, 1, 1, 0, 0, 0)
TOKENIZERS = ("sentencepiece", "bpe")


@dataclass(frozen=True)
class TinyModelShape:
    label: str = "tiny"
    layers: int = 2
    d_model: int = 64
    ffn: int = 128
    heads: int = 4
    vocab_size: int = 1000
    # Pad the SentencePiece model with unused symbols up to vocab_size when the training
    # text is too small for that many pieces, so the output layer has its full size.
    pad_vocabulary: bool = False
    # Logit bias on </s>. Random logits have unit variance, so with this bias beam search
    # ends a sentence after roughly 5 to 20 tokens instead of running to the length limit.
    eos_bias: float = 1.5


# Transformer-base (Vaswani et al.), the size of the official Argos packages.
BASE_SHAPE = TinyModelShape(
    label="base", layers=6, d_model=512, ffn=2048, heads=8, vocab_size=32000, pad_vocabulary=True, eos_bias=2.8
)


def build_tiny_package(
    pair: str,
    training_text: Iterable[str],
    out_file: Path,
    *,
    shape: TinyModelShape = TinyModelShape(),
    seed: int = 0,
    tokenizer: str = "sentencepiece",
) -> Path:
    """``tokenizer``: sentencepiece (``sentencepiece.model``, as the official packages) or
    bpe (Moses tokenization and subword-nmt codes in ``bpe.model``, as converted OPUS-MT
    packages)."""
    from_code, _, to_code = pair.partition("-")
    if tokenizer not in TOKENIZERS:
        raise ValueError(f"unknown tokenizer '{tokenizer}': use {' or '.join(TOKENIZERS)}")
    if from_code not in LANGUAGE_NAMES or to_code not in LANGUAGE_NAMES or from_code == to_code:
        raise ValueError(f"unsupported pair '{pair}': use de-en or fr-en")
    lines = [line.strip() for line in training_text if line.strip()]
    if not lines:
        raise ValueError("no training text: the tokenizer needs corpus text")
    label = shape.label if tokenizer == "sentencepiece" else f"{shape.label}-{tokenizer}"
    name = f"reportmt-{label}-test-{from_code}_{to_code}"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / name
        root.mkdir()
        if tokenizer == "bpe":
            vocabulary = _learn_bpe(lines, root / "bpe.model", from_code, shape.vocab_size)
        else:
            vocabulary = _train_sentencepiece(lines, root / "sentencepiece.model", shape.vocab_size, shape.pad_vocabulary)
        _save_random_transformer(vocabulary, root / "model", shape, seed)
        metadata = {
            "package_version": "0.0.1",
            "argos_version": "1.9.0",
            "from_code": from_code,
            "from_name": LANGUAGE_NAMES[from_code],
            "to_code": to_code,
            "to_name": LANGUAGE_NAMES[to_code],
            "type": "translate",
            "links": [],
            "reportmt_test_package": True,
            "description": WARNING,
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
        (root / "README.md").write_text(f"# {name}\n\n{WARNING}\n")
        _write_zip(root, out_file)
    return out_file


def _learn_bpe(lines: list[str], codes_file: Path, from_code: str, vocab_size: int) -> list[str]:
    """BPE codes learned on Moses-tokenized text; the vocabulary is every piece the codes
    make of that text, after CTranslate2's special tokens."""
    from sacremoses import MosesPunctNormalizer, MosesTokenizer
    from subword_nmt.apply_bpe import BPE
    from subword_nmt.learn_bpe import learn_bpe

    tokenize, normalize = MosesTokenizer(from_code).tokenize, MosesPunctNormalizer(from_code).normalize
    tokenized = [" ".join(tokenize(normalize(line))) for line in lines]
    codes = io.StringIO()
    with contextlib.redirect_stderr(io.StringIO()):  # subword-nmt draws a progress bar
        learn_bpe(io.StringIO("\n".join(tokenized) + "\n"), codes, num_symbols=vocab_size // 2)
    codes_file.write_text(codes.getvalue(), encoding="utf-8")
    bpe = BPE(io.StringIO(codes.getvalue()))
    pieces = {piece for line in tokenized for piece in bpe.segment_tokens(line.split())}
    return ["<unk>", "<s>", "</s>", *sorted(pieces)]


def _train_sentencepiece(lines: list[str], model_file: Path, vocab_size: int, pad: bool) -> list[str]:
    model = _sentencepiece_bytes(lines, vocab_size, hard_limit=False)
    natural = sentencepiece.SentencePieceProcessor(model_proto=model).get_piece_size()
    if pad and natural < vocab_size:
        fillers = [f"<unused{i:05d}>" for i in range(vocab_size - natural)]
        model = _sentencepiece_bytes(lines, vocab_size, hard_limit=True, user_defined_symbols=fillers)
    model_file.write_bytes(model)
    processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _sentencepiece_bytes(lines: list[str], vocab_size: int, *, hard_limit: bool, **extra) -> bytes:
    buffer = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        vocab_size=vocab_size,
        hard_vocab_limit=hard_limit,  # a small corpus may support fewer pieces
        character_coverage=1.0,
        model_type="unigram",
        num_threads=1,  # deterministic piece inventory
        minloglevel=2,
        **extra,
    )
    return buffer.getvalue()


def _save_random_transformer(vocabulary: list[str], out_dir: Path, shape: TinyModelShape, seed: int) -> None:
    spec = TransformerSpec.from_config((shape.layers, shape.layers), shape.heads)
    rng = np.random.default_rng(seed)
    d, ffn, vocab = shape.d_model, shape.ffn, len(vocabulary)
    # Shapes by variable name in CTranslate2's transformer spec (fused QKV in self-attention,
    # fused KV in cross-attention).
    rows_by_linear = {
        "self_attention/linear_0": 3 * d,
        "attention/linear_0": d,
        "attention/linear_1": 2 * d,
        "ffn/linear_0": ffn,
    }

    def fill(layer, name: str, value) -> None:
        if value is not None and not (isinstance(value, str) and value == OPTIONAL):
            return
        attribute = name.rsplit("/", 1)[-1]
        if isinstance(value, str):  # optional variable: only the output bias is wanted
            if name == "decoder/projection/bias":
                bias = np.zeros(vocab, dtype=np.float32)
                bias[vocabulary.index("</s>")] = shape.eos_bias
                setattr(layer, attribute, bias)
            return
        if attribute in ("gamma", "beta"):
            array = np.ones(d) if attribute == "gamma" else np.zeros(d)
        elif "embeddings" in name:
            # One matrix for source and target embeddings (a shared vocabulary, as in Argos
            # packages); CTranslate2 stores identical variables once. Tying the output layer
            # too would make a random model repeat its last token forever.
            setattr(layer, attribute, shared_embeddings)
            return
        elif name.startswith("decoder/projection"):
            array = rng.normal(0, 1 / np.sqrt(d), (vocab, d))
        else:
            scope = name.rsplit("/", 1)[0]
            rows = next((r for key, r in rows_by_linear.items() if scope.endswith(key)), d)
            cols = ffn if scope.endswith("ffn/linear_1") else d
            array = rng.normal(0, 1 / np.sqrt(cols), (rows, cols))
        setattr(layer, attribute, array.astype(np.float32))

    shared_embeddings = rng.normal(0, 1 / np.sqrt(d), (vocab, d)).astype(np.float32)
    visit_spec(spec, fill)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization="int8")
    out_dir.mkdir()
    spec.save(str(out_dir))


def _write_zip(root: Path, out_file: Path) -> None:
    """Deterministic zip (sorted entries, fixed timestamps), written whole or not at all."""
    with atomic_file(out_file) as handle, zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.parent.rglob("*")):
            arcname = path.relative_to(root.parent).as_posix()
            info = zipfile.ZipInfo(arcname + ("/" if path.is_dir() else ""), _ZIP_TIMESTAMP)
            if path.is_dir():
                info.external_attr = 0o40755 << 16
                zf.writestr(info, b"")
            else:
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
