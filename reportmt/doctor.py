"""`reportmt doctor`: is this machine ready to run, and if not, what to fix."""

from __future__ import annotations

import os
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .documents import TRANSLATED_LANGUAGES, discover_sources
from .glossary import GlossaryError, Normalizer, load_glossary
from .sources import SourceError

OK, WARNING, ERROR = "ok", "warning", "error"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""


def run_checks(corpus_dir: Path, out_dir: Path, glossary: str | None, models_dir: Path) -> list[Check]:
    return [
        *_check_glossary(glossary),
        *_check_models(models_dir),
        _check_corpus(corpus_dir),
        _check_output(out_dir),
        _check_prefect(),
    ]


def _check_glossary(glossary: str | None) -> list[Check]:
    try:
        loaded = load_glossary(glossary)
    except GlossaryError as exc:
        return [Check("glossary", ERROR, problem, "edit the glossary; `reportmt glossary check` lists every problem")
                for problem in exc.problems]
    Normalizer(loaded).matcher("de")  # compiles the automata
    return [Check("glossary", OK, f"{loaded.path}: {len(loaded.entries)} entries, {loaded.version}")]


def _check_models(models_dir: Path) -> list[Check]:
    import ctranslate2
    import sentencepiece

    from translators.packages import find_installed, install_command, list_installed

    checks = []
    for package in list_installed(models_dir):
        try:
            sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
            ctranslate2.Translator(str(package.path / "model"), device="cpu", compute_type="int8", intra_threads=1)
        except (RuntimeError, OSError, ValueError) as exc:
            checks.append(Check(f"model {package.pair}", ERROR, f"{package.path} does not load: {exc}",
                                f"reinstall it: {install_command(package.pair)}"))
            continue
        if package.test_package:
            checks.append(Check(f"model {package.pair}", WARNING, f"{package.model} is a TEST package: its output is meaningless",
                                f"install a real package: {install_command(package.pair)}"))
        else:
            checks.append(Check(f"model {package.pair}", OK, f"{package.model} loads ({package.path})"))
    for lang in TRANSLATED_LANGUAGES:
        if find_installed(models_dir, lang, "en") is None:
            pair = f"{lang}-en"
            checks.append(Check(f"model {pair}", WARNING, f"not installed in {models_dir}: {lang} reports will be pending",
                                install_command(pair)))
    return checks


def _check_corpus(corpus_dir: Path) -> Check:
    try:
        count = len(discover_sources(corpus_dir))
    except SourceError as exc:
        return Check("corpus", ERROR, str(exc), exc.action)
    if count == 0:
        return Check("corpus", WARNING, f"{corpus_dir} holds no reports", "copy reports into it")
    return Check("corpus", OK, f"{corpus_dir}: {count} files")


def _check_output(out_dir: Path) -> Check:
    probe_dir = out_dir if out_dir.exists() else next((p for p in out_dir.parents if p.exists()), Path("."))
    try:
        with tempfile.NamedTemporaryFile(dir=probe_dir, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Check("output", ERROR, f"{probe_dir} is not writable: {exc.strerror or exc}",
                     "choose another --out or fix the folder's permissions")
    return Check("output", OK, f"{out_dir} is writable")


def _check_prefect() -> Check:
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        return Check("prefect", OK, "PREFECT_API_URL is not set: `reportmt run` starts a temporary local API")
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=5) as response:
            healthy = response.status == 200
    except OSError as exc:
        return Check("prefect", ERROR, f"{api_url} does not answer: {exc}",
                     "start the server (`prefect server start`) or unset PREFECT_API_URL")
    return Check("prefect", OK if healthy else ERROR, f"{api_url} is {'healthy' if healthy else 'unhealthy'}")
