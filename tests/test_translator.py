"""The CTranslate2 engine on an installed package: batching, long inputs, no torch."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import REPO

from reportmt.translators.argos import ArgosTranslator, DecodingOptions
from reportmt.translators.packages import find_installed


def _echoing(translator: ArgosTranslator) -> ArgosTranslator:
    """The translator with its planning intact and CTranslate2 replaced by echoing each
    input's tokens, so that where each output lands can be checked exactly."""
    translator.translate_batch = lambda tokens: [" ".join(unit) for unit in tokens]
    return translator


def test_one_output_per_input_in_order(models_dir):
    package = find_installed(models_dir, "de", "en")
    sentences = [f"Der Ausschuss tagte am {day}. April in der Provinz." for day in range(1, 41)] + [""]
    sentences[7] = "Kurz."  # lengths differ: batches are sorted by length, outputs must come back in input order
    translator = ArgosTranslator(package)
    outputs = translator.translate(sentences)
    assert len(outputs) == len(sentences) and all(outputs[:-1]) and outputs[-1] == ""
    assert outputs == translator.translate(sentences)  # deterministic

    echo = _echoing(ArgosTranslator(package, DecodingOptions(max_batch_tokens=64, intra_threads=1)))
    assert len(echo.plan(sentences).batches) > 5
    assert echo.translate(sentences) == [" ".join(echo._tokenizer.encode(s)) for s in sentences]


def test_long_input_is_translated_in_pieces(models_dir):
    package = find_installed(models_dir, "de", "en")
    long_sentence = " ".join(["Die Delegierten berieten über Korruptionsbekämpfung"] * 30)
    translator = ArgosTranslator(package, DecodingOptions(max_input_tokens=16, intra_threads=1))
    tokens = translator._tokenizer.encode(long_sentence)
    plan = translator.plan([long_sentence])
    assert plan.owners == (0,) * -(-len(tokens) // 16) and all(len(unit) <= 16 for unit in plan.units)
    assert translator.translate([long_sentence])[0]
    assert _echoing(translator).translate([long_sentence]) == [" ".join(tokens)]  # every piece, in order: nothing lost
    assert "maxin:16" in translator.signature


def test_translation_never_imports_torch(models_dir, tmp_path):
    """Modules named torch and stanza that fail on import stand first on the path: a run
    that imported either (as argostranslate.translate does) would fail here."""
    for name in ("torch", "stanza"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(f"raise ImportError('{name} was imported')\n")
    code = (
        "from pathlib import Path\n"
        "from reportmt.translators.packages import find_installed\n"
        "from reportmt.translators.argos import ArgosTranslator\n"
        "import reportmt.flows.corpus_run, reportmt.cli\n"
        f"t = ArgosTranslator(find_installed(Path({str(models_dir)!r}), 'de', 'en'))\n"
        "print(t.translate(['Guten Tag.']))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    guard = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True, text=True, env=env)
    assert "torch was imported" in guard.stderr  # the guard is in force


def test_underscores_follow_argostranslate_unless_the_source_has_them(models_dir):
    """argostranslate turns every "_" of the output into a space; a file name in the source
    (bericht_2024.pdf) must survive, so reportmt does that only when the source has none."""
    translator = ArgosTranslator(find_installed(models_dir, "de", "en"))
    tokenizer = translator._tokenizer
    file_name = tokenizer.encode("Siehe bericht_2024.pdf")
    assert translator._detokenize(file_name, file_name) == "Siehe bericht_2024.pdf"
    plain = tokenizer.encode("Siehe den Bericht")
    assert translator._detokenize(tokenizer.encode("the_report"), plain) == "the report"


def test_the_device_is_chosen_where_the_model_loads_and_named_in_the_signature(models_dir):
    import ctranslate2
    import pytest

    from reportmt.translators.argos import resolve_device
    from reportmt.translators.base import EngineError

    package = find_installed(models_dir, "de", "en")
    if ctranslate2.get_cuda_device_count() == 0:
        assert resolve_device("auto") == ("cpu", "int8")
        with pytest.raises(EngineError, match="no CUDA device"):
            resolve_device("cuda")
        on_cpu = ArgosTranslator(package, DecodingOptions(device="cpu"))
        assert ArgosTranslator(package).signature == on_cpu.signature  # auto is the CPU here: the cache still serves
        assert "|compute:int8|" in on_cpu.signature and "device" not in on_cpu.signature
        refused = subprocess.run([sys.executable, "-m", "reportmt", "run", "--device", "cuda", "--corpus", str(REPO / "corpus"),
                                  "--out", str(models_dir.parent / "unused")], capture_output=True, text=True, cwd=REPO)
        assert refused.returncode == 2 and "sees no CUDA device" in refused.stderr
    else:
        assert resolve_device("auto") == ("cuda", "int8_float16")
        on_gpu = ArgosTranslator(package, DecodingOptions(device="cuda"))
        assert on_gpu.signature.endswith("|device:cuda") and on_gpu.translate(["Der Ausschuss tagte."])[0]
    doctor = subprocess.run([sys.executable, "-m", "reportmt", "doctor", "--models-dir", str(models_dir)], capture_output=True,
                            text=True, cwd=REPO)
    assert "device: CTranslate2 runs on" in doctor.stdout + doctor.stderr
