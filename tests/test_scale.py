"""The corpus flow on a Dask LocalCluster with two worker processes, through prefect-dask."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, reportmt, snapshot_files

from bench.workload import german_documents

SEEDS = REPO / "corpus"


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local, Client(local) as client:
        yield local, client


@pytest.fixture(scope="module")
def workload(tmp_path_factory) -> Path:
    """800 German sentences cut from the seeds: enough shards to keep two workers busy."""
    corpus = tmp_path_factory.mktemp("workload") / "corpus"
    german_documents(SEEDS, corpus, 800)
    return corpus


# Beam 8 makes shards slow enough for the killed-worker test to catch one running.
DECODING = {"intra_threads": 1, "beam_size": 8}


@pytest.fixture(scope="module")
def packages(tmp_path_factory, tiny_archives) -> Path:
    from reportmt.translators.packages import install_archive

    folder = tmp_path_factory.mktemp("scale-packages")
    for archive in tiny_archives.values():
        install_archive(archive, folder)
    return folder


@pytest.fixture(scope="module")
def local_run(tmp_path_factory, workload, packages, run_corpus) -> tuple[dict, dict[str, bytes]]:
    """The workload run in one process: the summary and the snapshot files Dask must match."""
    out = tmp_path_factory.mktemp("local") / "out"
    summary = run_corpus(workload, out, packages, **DECODING)
    assert summary["exit_code"] == 0
    return summary, snapshot_files(out)


def _options(workload: Path, packages: Path) -> list[str]:
    return ["--corpus", str(workload), "--models-dir", str(packages), "--intra-threads", "1", "--beam-size", "8"]


def test_dask_run_matches_the_local_run(tmp_path, workload, packages, local_run, cluster):
    local, _ = cluster
    spread = reportmt("run", "--out", str(tmp_path / "dask"), "--runner", "dask", "--address", local.scheduler_address,
                      *_options(workload, packages), "--json")
    assert spread.returncode == 0, spread.stderr
    assert json.loads(spread.stdout)["sentences_translated"] == local_run[0]["sentences_translated"] > 500
    assert snapshot_files(tmp_path / "dask") == local_run[1]


@pytest.mark.slow  # `pytest -m slow`
def test_a_worker_killed_in_a_shard_does_not_change_the_corpus(tmp_path, workload, packages, local_run, cluster):
    local, client = cluster
    common = _options(workload, packages)
    pids = client.run(os.getpid)
    run = subprocess.Popen(
        [sys.executable, "-m", "reportmt", "run", "--out", str(tmp_path / "dask"), "--runner", "dask",
         "--address", local.scheduler_address, *common],
        cwd=REPO, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and time.monotonic() < deadline and run.poll() is None:
        for worker, keys in client.processing().items():
            if any("translate" in str(key) for key in keys) and worker in pids:
                os.kill(pids[worker], signal.SIGKILL)
                killed = worker
                break
        time.sleep(0.02)
    stdout, stderr = run.communicate(timeout=600)
    assert killed is not None, "no translate shard was seen running"
    assert run.returncode == 0, stderr
    assert snapshot_files(tmp_path / "dask") == local_run[1]
