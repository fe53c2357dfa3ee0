"""`reportmt doctor`: is this machine ready to run, and if not, what to fix. Beside the
command line because it looks at every layer: the core's glossary and corpus, the
translators' packages, and the flows' Prefect API and deployment."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import reportmt

from ..documents import discover_sources
from ..formats.ocr import OcrUnavailable, find_engine
from ..glossary import GlossaryError, Normalizer, load_glossary
from ..languages import TRANSLATED, language_pair
from ..sources import SourceError

OK, WARNING, ERROR = "ok", "warning", "error"
# The lock of a repository checkout (editable install); an installed wheel has none, and its
# versions are held to the requirements in its metadata instead.
LOCK_FILE = Path(reportmt.__file__).resolve().parents[1] / "requirements.lock"
LOCK_CHECKED = ("prefect", "sqlalchemy")


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
        _check_device(),
        _check_ocr(),
        _check_corpus(corpus_dir),
        _check_output(out_dir),
        *_check_versions(),
        *_check_prefect(out_dir),
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
    from ..translators.argos import ArgosTranslator, DecodingOptions, EngineError
    from ..translators.packages import (
        argostranslate_choice,
        install_command,
        list_installed,
        serving,
    )

    checks = []
    installed = list_installed(models_dir)
    used = serving(installed)
    for package in installed:
        name = f"model {package.pair}"
        if package.package_type != "translate":
            checks.append(Check(name, OK, f"{package.name} is a '{package.package_type}' package; it translates nothing"))
            continue
        replace = (f"remove it (`reportmt models remove {package.name}`) and install a working package: "
                   f"{install_command(package.pair)}")
        if package.problem:
            checks.append(Check(name, ERROR, f"{package.path} cannot translate: {package.problem}", replace))
            continue
        try:
            ArgosTranslator(package, DecodingOptions(intra_threads=1)).load()
        except EngineError as exc:
            checks.append(Check(name, ERROR, f"{package.path} does not load: {exc}", replace))
            continue
        if used[package.pair].name != package.name:
            checks.append(Check(name, OK, f"{package.model} loads; shadowed by {used[package.pair].model}"))
        elif package.test_package:
            checks.append(Check(name, WARNING, f"{package.model} is a TEST package: its output is meaningless",
                                f"install a real package: {install_command(package.pair)}"))
        else:
            checks.append(Check(name, OK, f"{package.model} loads ({package.path})"))
    for pair, package in sorted(argostranslate_choice(models_dir, installed).items()):
        if pair in used and used[pair].name != package.name:
            checks.append(Check(f"model {pair}", WARNING,
                                f"argostranslate uses {package.name} for {pair}, reportmt uses {used[pair].name}",
                                f"remove the one you do not want: reportmt models remove {package.name}"))
    for lang in TRANSLATED:
        pair = language_pair(lang)
        if pair not in used:
            checks.append(Check(f"model {pair}", WARNING, f"no usable {pair} package in {models_dir}: {lang} reports will be pending",
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


def _check_device() -> Check:
    """Where `run --device auto` translates on this machine."""
    import ctranslate2

    from ..translators.argos import resolve_device

    gpus = ctranslate2.get_cuda_device_count()
    device, compute_type = resolve_device("auto")
    if device == "cuda":
        return Check("device", OK, f"CTranslate2 runs on CUDA ({gpus} GPU{'s' if gpus > 1 else ''}, compute type {compute_type})")
    return Check("device", OK, f"CTranslate2 runs on the CPU ({os.cpu_count()} cores, compute type {compute_type}); "
                               "it sees no CUDA device")


def _check_ocr() -> Check:
    """Whether scans (page images, image-only PDF pages) can be read here, and in which languages."""
    engine = find_engine()
    if isinstance(engine, OcrUnavailable):
        return Check("ocr", WARNING, f"scans cannot be read: {engine.reason}", engine.action)
    return Check("ocr", OK, f"scans are read by Tesseract {engine.version} in {', '.join(engine.languages)} "
                            f"(language data in {engine.tessdata})")


def locked_versions(lock_file: Path | None = None) -> dict[str, str]:
    """Package name -> version pinned in requirements.lock (`uv pip compile` output)."""
    pins: dict[str, str] = {}
    for line in (lock_file or LOCK_FILE).read_text(encoding="utf-8").splitlines():
        requirement = line.split("#", 1)[0].strip()
        if requirement:
            parsed = Requirement(requirement)
            if parsed.marker is None or parsed.marker.evaluate():  # pinned for this platform and Python
                pins[canonicalize_name(parsed.name)] = next(iter(parsed.specifier)).version
    return pins


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _check_versions() -> list[Check]:
    """The packages whose versions broke production before (the scheduler and SQLAlchemy):
    as the lock pins them in a checkout, as reportmt requires them elsewhere."""
    return _check_locked_versions() if LOCK_FILE.is_file() else _check_required_versions()


def _check_locked_versions() -> list[Check]:
    pins = locked_versions()
    checks = []
    for name in LOCK_CHECKED:
        installed = _installed(name)
        if installed != pins.get(name):
            checks.append(Check("versions", WARNING, f"{name} {installed} is installed; the tests passed with {pins.get(name)} "
                                                     f"({LOCK_FILE.name})",
                                "reinstall from the lock: `make install`, or pip install --constraint requirements.lock -e ."))
    return checks or [Check("versions", OK, ", ".join(f"{n} {pins[n]}" for n in LOCK_CHECKED) + f", as in {LOCK_FILE.name}")]


def required_versions() -> dict[str, Requirement]:
    """Package name -> what the installed reportmt requires of it (its distribution's metadata)."""
    requirements = (Requirement(line) for line in metadata.requires("reportmt") or [])
    return {canonicalize_name(r.name): r for r in requirements if r.marker is None}  # extras carry markers


def _check_required_versions() -> list[Check]:
    required = required_versions()
    checks = []
    for name in LOCK_CHECKED:
        installed, requirement = _installed(name), required[name]
        if installed not in requirement.specifier:
            checks.append(Check("versions", WARNING, f"{name} {installed} is installed; reportmt requires {requirement}",
                                f"pip install '{requirement}'"))
    return checks or [Check("versions", OK, ", ".join(f"{n} {_installed(n)}" for n in LOCK_CHECKED)
                                            + ", as reportmt requires (no requirements.lock: not a checkout)")]


def _check_prefect(out_dir: Path) -> list[Check]:
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        return [Check("prefect", OK, "PREFECT_API_URL is not set: `reportmt run` starts a temporary local API")]
    from ..flows.prefect_server import api_is_healthy

    if not api_is_healthy(api_url, timeout=5):
        return [Check("prefect", ERROR, f"{api_url} does not answer as a healthy Prefect API",
                      "start the server (`prefect server start`) or unset PREFECT_API_URL")]
    return [Check("prefect", OK, f"{api_url} is healthy"), _check_schedule(out_dir)]


def _check_schedule(out_dir: Path) -> Check:
    """Does the server make scheduled runs for the output folder's sync deployment?"""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType

    from ..flows.coalesce import runs_in_states, sync_deployment
    from ..events import deployment_full_name

    name = deployment_full_name(out_dir)
    with get_client(sync_client=True) as client:
        deployment = sync_deployment(client, out_dir)
        if deployment is None:
            return Check("schedule", OK, f"no deployment writes {out_dir} (it would be {name})",
                         "for scheduled and triggered runs: reportmt serve")
        scheduled = runs_in_states(client, deployment.id, [StateType.SCHEDULED], due=False)
    upcoming = sorted(run.expected_start_time for run in scheduled if run.expected_start_time)
    if not upcoming:
        return Check("schedule", ERROR, f"the server has no scheduled run of {name}: its scheduler "
                                        "service is not making runs",
                     "read the server's log for the scheduler service; with SQLAlchemy 2.1 it fails on every loop: "
                     "install from requirements.lock and restart the server")
    return Check("schedule", OK, f"{name}: next scheduled run at {upcoming[0].isoformat(timespec='seconds')}")
