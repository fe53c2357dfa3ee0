"""Shared fixtures: a copy of the sample corpus, tiny Argos packages, a Prefect API on loopback."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = REPO / "corpus"
SLOT_WAIT = "PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the five seed reports."""
    target = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, target)
    return target


@pytest.fixture(scope="session")
def tiny_archives(tmp_path_factory) -> dict[str, Path]:
    """The tiny test packages, built once per session from the sample corpus."""
    from reportmt.translators.tiny import build_tiny_package

    folder = tmp_path_factory.mktemp("archives")
    lines = [line for path in sorted(SAMPLE_CORPUS.iterdir()) for line in path.read_text().splitlines()]
    return {pair: build_tiny_package(pair, lines, folder / f"{pair}.argosmodel") for pair in ("de-en", "fr-en")}


@pytest.fixture
def models_dir(tmp_path: Path, tiny_archives) -> Path:
    """A package folder with the tiny de-en and fr-en packages installed."""
    from reportmt.translators.packages import install_archive

    folder = tmp_path / "packages"
    for archive in tiny_archives.values():
        install_archive(archive, folder)
    return folder


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory) -> str:
    """One real Prefect server on 127.0.0.1 for the session, with its services (schedules, triggers)."""
    from reportmt.flows.prefect_server import local_prefect_server

    home = tmp_path_factory.mktemp("prefect-home")
    previous = {k: os.environ.get(k) for k in ("PREFECT_HOME", "PREFECT_API_URL", SLOT_WAIT)}
    os.environ["PREFECT_HOME"] = str(home)
    os.environ[SLOT_WAIT] = "5"  # as docs/operations.md advises for a served corpus: a waiting run starts soon after the last
    with local_prefect_server(home / "server.log", services=True) as api_url:
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def run_corpus(prefect_api):
    """The corpus flow run in this process against the session's Prefect API, as
    `reportmt run` runs it; returns the run summary as `run --json` prints it."""
    from reportmt.flows.run_once import run_once
    from reportmt.run_options import Decoding, RunOptions

    def run(corpus: Path, out: Path, models_dir: Path, *, glossary: Path | None = None, propagate: bool = True,
            verify: bool = False, changes_only: bool = False, **decoding) -> dict:
        summary = run_once(RunOptions(corpus_dir=str(corpus), out_dir=str(out), models_dir=str(models_dir),
                                      glossary=str(glossary) if glossary else None, decoding=Decoding(**decoding),
                                      propagate=propagate, verify=verify, changes_only=changes_only))
        return summary.as_dict()

    return run


# A report whose text is markup: shown as text everywhere, never run.
XSS = "Der Ausschuss <script>alert('x')</script><img src=x onerror=alert(2)> tagte am Montag in der Provinz lange."


@pytest.fixture(scope="module")
def workspace_corpus(tmp_path_factory, tiny_archives, run_corpus) -> dict:
    """The seeds and a report whose text is markup, run with the tiny packages."""
    from reportmt.translators.packages import install_archive

    root = tmp_path_factory.mktemp("review")
    for archive in tiny_archives.values():
        install_archive(archive, root / "packages")
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    (root / "corpus" / "markup.txt").write_text(XSS + "\n", encoding="utf-8")
    assert run_corpus(root / "corpus", root / "normalized", root / "packages")["exit_code"] == 0
    return {"root": root, "out": root / "normalized"}


@pytest.fixture
def out(workspace_corpus, tmp_path) -> Path:
    """A private copy of the corpus: edits made by a test stay in it."""
    copy = tmp_path / "normalized"
    shutil.copytree(workspace_corpus["out"], copy)
    return copy
