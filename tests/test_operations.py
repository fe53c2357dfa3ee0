"""Operations against a real Prefect server: incremental runs, kills, concurrency (serve and watch: test_served)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, export_records, reportmt, snapshot_files, start_reportmt, unnamed_objects

SEEDS = Path(__file__).resolve().parents[1] / "corpus"


def test_incremental_counts(tmp_path, corpus, models_dir, run_corpus):
    def run_json(corpus: Path, out: Path, models: Path, *, glossary: Path | None = None) -> dict:
        summary = run_corpus(corpus, out, models, glossary=glossary)
        assert summary["exit_code"] in (0, 3)
        return summary

    out = tmp_path / "out"
    first = run_json(corpus, out, models_dir)
    assert (first["new"], first["changed"], first["unchanged"], first["removed"]) == (5, 0, 0, [])
    assert first["sentences_translated"] == 46  # the French report's two sentences of over 100 words make five records

    again = run_json(corpus, out, models_dir)
    assert (again["new"], again["changed"], again["unchanged"], again["removed"]) == (0, 0, 5, [])
    assert again["sentences_translated"] == 0 and again["records_renormalized"] == 0
    assert again["test_models"] == first["test_models"] == ["de-en", "fr-en"]  # a no-op run still serves their output

    german_text = (SEEDS / "003_e4b81f133e3b5870.txt").read_text()
    (corpus / "kopie.txt").write_text("Ein neuer Satz steht am Anfang.\n" + german_text)
    added = run_json(corpus, out, models_dir)
    assert (added["new"], added["unchanged"]) == (1, 5)
    assert added["sentences_translated"] == 1 and added["cache_hits"] == 34  # the other sentences: same model, cached

    german = corpus / "003_e4b81f133e3b5870.txt"
    german.write_text(german.read_text().replace("Am Nachmittag des 19. April", "Am Morgen des 20. April"))
    changed = run_json(corpus, out, models_dir)
    assert (changed["new"], changed["changed"], changed["unchanged"]) == (0, 1, 5)
    assert changed["sentences_translated"] == 1
    records = [r for r in export_records(out) if r["doc_id"] == "003_e4b81f133e3b5870.txt"]
    assert records[0]["src_text"].startswith("Am Morgen des 20. April") and len(records) == 34

    (corpus / "kopie.txt").unlink()
    removed = run_json(corpus, out, models_dir)
    assert removed["removed"] == ["kopie.txt"] and removed["unchanged"] == 5
    assert "kopie.txt" not in {r["doc_id"] for r in export_records(out)}

    glossary = tmp_path / "glossary.yaml"
    from reportmt.glossary.entries import default_glossary_path

    glossary.write_text(default_glossary_path().read_text() + "\n")  # same entries, new version
    renormalized = run_json(corpus, out, models_dir, glossary=glossary)
    assert renormalized["unchanged"] == 5 and renormalized["sentences_translated"] == 0
    assert renormalized["records_renormalized"] == len(export_records(out))


def test_run_publishes_a_summary_artifact(tmp_path, corpus, prefect_api, run_corpus):
    import httpx

    summary = run_corpus(corpus, tmp_path / "out", tmp_path / "no-models")
    assert summary["pending"]
    body = {"artifacts": {"key": {"any_": ["reportmt-run-summary"]}}, "limit": 50, "sort": "CREATED_DESC"}
    artifacts = httpx.post(f"{prefect_api}/artifacts/filter", json=body, timeout=30).json()
    assert artifacts[0]["type"] == "markdown"
    assert "reportmt models install de-en" in artifacts[0]["data"] and "| documents | new |" in artifacts[0]["data"]


def test_serve_and_watch_need_a_prefect_server(tmp_path, corpus):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    for command in ("serve", "watch"):
        result = subprocess.run([sys.executable, "-m", "reportmt", command, "--corpus", str(corpus)], cwd=REPO, env=env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2
        assert "prefect server start" in result.stderr and "PREFECT_API_URL" in result.stderr


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory, tiny_archives, run_corpus) -> dict[str, bytes]:
    """The snapshot files of one uninterrupted run over the seeds: what every interrupted
    or concurrent run must end with."""
    from reportmt.translators.packages import install_archive

    root = tmp_path_factory.mktemp("uninterrupted")
    for archive in tiny_archives.values():
        install_archive(archive, root / "packages")
    assert run_corpus(SEEDS, root / "out", root / "packages")["exit_code"] == 0
    return snapshot_files(root / "out")


@pytest.mark.parametrize("delay", [1.0, 2.5, 4.0])
def test_killed_run_then_rerun_gives_the_uninterrupted_corpus(tmp_path, corpus, models_dir, uninterrupted, delay):
    out = tmp_path / "out"
    victim = start_reportmt("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir))
    time.sleep(delay)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    rerun = reportmt("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir))
    assert rerun.returncode == 0, rerun.stderr
    assert snapshot_files(out) == uninterrupted
    assert reportmt("corpus", "validate", "--normalized", str(out)).returncode == 0
    assert unnamed_objects(out) == []  # the files the killed run wrote are gone
    assert not list((out / "objects" / "incoming").iterdir())


def test_two_runs_at_once_do_not_corrupt_the_corpus(tmp_path, corpus, models_dir, uninterrupted):
    out = tmp_path / "out"
    runs = [start_reportmt("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir), "--json") for _ in range(2)]
    results = [process.communicate(timeout=300) for process in runs]
    assert [process.returncode for process in runs] == [0, 0], results
    assert reportmt("corpus", "validate", "--normalized", str(out)).returncode == 0
    assert snapshot_files(out) == uninterrupted


def test_a_run_waiting_for_the_lock_says_which_run_holds_it(tmp_path, corpus, models_dir):
    from reportmt.run_lock import run_lock

    out = tmp_path / "out"
    out.mkdir()
    log = tmp_path / "run.log"
    with run_lock(out, "the-holder", lambda line: None):
        waiting = start_reportmt("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir), log=log)
        deadline = time.monotonic() + 120
        while "waiting for the run that holds" not in log.read_text():
            assert waiting.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
    assert waiting.wait(timeout=300) == 0, log.read_text()
    line = next(line for line in log.read_text().splitlines() if "waiting for the run that holds" in line)
    assert f"pid {os.getpid()}" in line and "flow run the-holder" in line and "waited 0 s" in line


def test_ctrl_c_exits_130_with_one_line_about_the_corpus(tmp_path, corpus, models_dir):
    # Enough reports that the run is still at work when Ctrl+C comes: the five seeds alone
    # may be done within the moment the signal takes.
    for copy in range(40):
        for seed in sorted(corpus.glob("0*.txt")):
            (corpus / f"copy-{copy:02d}-{seed.name}").write_text(f"{seed.read_text()}\nCopy {copy}.\n")
    out, log = tmp_path / "out", tmp_path / "run.log"
    running = start_reportmt("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir),
                             env={"PREFECT_API_URL": ""}, log=log)
    deadline = time.monotonic() + 120
    while "Beginning flow run" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    running.send_signal(signal.SIGINT)
    assert running.wait(timeout=60) == 130
    said = log.read_text()
    assert f"interrupted: {out} holds the last corpus committed, whole" in " ".join(said.split())
    for noise in ("ERROR", "Traceback", "Aborted!"):
        assert noise not in said, said
