"""A served corpus in production's shape: a real Prefect server with its services,
`reportmt serve` and `reportmt watch` as processes, a schedule that fires by itself,
bursts of files, SIGKILL of either process and their restarts."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from helpers import export_records, reportmt, snapshot_files, start_reportmt

SEEDS = Path(__file__).resolve().parents[1] / "corpus"
NEVER = "0 3 1 1 *"  # a cron schedule that does not fire during a test


@pytest.fixture
def served(prefect_api, tmp_path):
    """Starts serve and watch processes (their output in tmp_path/NAME.log); stops them at
    the end and deletes the deployment, so that the next test's serve starts clean."""
    from prefect.client.orchestration import get_client

    from reportmt.events import deployment_full_name

    processes: list[subprocess.Popen] = []

    def start(name: str, *args: str) -> subprocess.Popen:
        process = start_reportmt(*args, log=tmp_path / f"{name}.log")
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    with get_client(sync_client=True) as client:
        client.delete_deployment(client.read_deployment_by_name(deployment_full_name(tmp_path / "out")).id)


def _sync_runs(out: Path, states=None, *, due: bool = False):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType

    from reportmt.flows.coalesce import runs_in_states, sync_deployment

    with get_client(sync_client=True) as client:
        deployment = sync_deployment(client, out)
        return [] if deployment is None else runs_in_states(client, deployment.id, states or list(StateType), due=due)


def _wait_for(condition, seconds: float, what: str, every: float = 0.5):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, f"{what} within {seconds:.0f} s"
        time.sleep(every)
    return result


def _documents(out: Path) -> set[str]:
    from reportmt import store

    try:
        return {d["doc_id"] for d in store.read_snapshot(out).documents}
    except store.CorpusError:
        return set()


def _drop(corpus: Path, first: int, count: int) -> list[str]:
    """``count`` new reports, each made whole under a hidden name and renamed into place."""
    seeds = sorted(SEEDS.iterdir())
    names = []
    for number in range(first, first + count):
        seed = seeds[number % len(seeds)]
        staging = corpus / f".incoming-{number}"
        staging.write_text(f"Bericht Nummer {number} ist heute erschienen.\n" + seed.read_text())
        staging.rename(corpus / f"report-{number:03d}.txt")
        names.append(f"report-{number:03d}.txt")
    return names


def _same_as_a_quiet_run(out: Path, corpus: Path, tmp_path: Path, models_dir: Path) -> None:
    """The served corpus equals one run over the same folder with the same translation cache
    (CTranslate2's output can depend on the batch; the cache fixes what each sentence got)."""
    quiet = tmp_path / "quiet"
    shutil.copytree(out / "cache", quiet / "cache")
    result = reportmt("run", "--corpus", str(corpus), "--out", str(quiet), "--models-dir", str(models_dir), "--json")
    assert result.returncode == 0, result.stderr
    assert snapshot_files(quiet) == snapshot_files(out)


def test_a_scheduled_run_happens_by_itself(tmp_path, corpus, models_dir, served):
    from reportmt.events import deployment_full_name

    out = tmp_path / "out"
    served("serve", "serve", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir), "--interval", "5")
    from prefect.client.schemas.objects import StateType

    completed = _wait_for(lambda: [r for r in _sync_runs(out, [StateType.COMPLETED]) if r.auto_scheduled], 180,
                          "no scheduled run completed")
    assert completed[0].created_by is None or completed[0].created_by.type != "AUTOMATION"
    assert _documents(out) == {p.name for p in SEEDS.iterdir()}
    assert reportmt("corpus", "validate", "--normalized", str(out)).returncode == 0
    doctor = reportmt("doctor", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir))
    assert f"ok schedule: {deployment_full_name(out)}: next scheduled run at" in doctor.stdout + doctor.stderr
    for command in (["deployment", "ls"], ["flow-run", "ls"]):  # Prefect's own CLI works with the locked set
        listed = subprocess.run([sys.executable, "-m", "prefect", *command], capture_output=True, text=True,
                                timeout=120, env={**os.environ, "COLUMNS": "250"})
        assert listed.returncode == 0 and "reportmt-corpus-run" in listed.stdout, listed.stdout + listed.stderr


def test_a_dropped_file_triggers_a_run(tmp_path, corpus, models_dir, served):
    out = tmp_path / "out"
    served("serve", "serve", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir), "--cron", NEVER)
    served("watch", "watch", "--corpus", str(corpus), "--out", str(out), "--settle", "1")
    # watch starts by reporting the five reports no run has seen
    _wait_for(lambda: len(_documents(out)) == 5, 120, "the reports present at start did not reach the corpus")
    target = corpus / "neu eingetroffen.txt"
    with target.open("w") as handle:  # written in two parts: reported only once complete
        text = "Un nouveau rapport est arrivé ce matin.\n" + (SEEDS / "004_4ce2d8bf8c0a0672.txt").read_text()
        handle.write(text[:500])
        handle.flush()
        time.sleep(0.5)
        handle.write(text[500:])
    _wait_for(lambda: "neu eingetroffen.txt" in _documents(out), 120, "the dropped file did not reach the corpus")
    records = [r for r in export_records(out) if r["doc_id"] == "neu eingetroffen.txt"]
    assert records[-1]["src_text"].endswith("au niveau local.")
    assert "asked for a run" in (tmp_path / "watch.log").read_text()


class InFlight(threading.Thread):
    """Counts, twice a second, the runs of the deployment that are due and not finished."""

    def __init__(self, out: Path):
        super().__init__(daemon=True)
        self.out, self.peak, self.stop = out, 0, threading.Event()

    def run(self) -> None:
        from prefect.client.schemas.objects import StateType

        while not self.stop.wait(0.5):
            self.peak = max(self.peak, len(_sync_runs(self.out, [StateType.SCHEDULED, StateType.PENDING, StateType.RUNNING],
                                                      due=True)))


def test_bursts_and_kills_leave_a_complete_corpus_and_no_stuck_run(tmp_path, corpus, models_dir, served):
    from prefect.client.schemas.objects import StateType

    out = tmp_path / "out"
    serve_args = ("serve", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir), "--cron", NEVER)
    watch_args = ("watch", "--corpus", str(corpus), "--out", str(out), "--settle", "1")
    serving = served("serve", *serve_args)
    watching = served("watch", *watch_args)
    _wait_for(lambda: len(_documents(out)) == 5, 120, "the reports present at start did not reach the corpus")
    in_flight = InFlight(out)
    in_flight.start()

    expected = set(_documents(out)) | set(_drop(corpus, 0, 20))
    _wait_for(lambda: _sync_runs(out, [StateType.RUNNING]), 60, "no run started for the first burst", every=0.1)
    children = psutil.Process(serving.pid).children(recursive=True)
    serving.send_signal(signal.SIGKILL)  # in the middle of a run
    serving.wait()
    taken = {run.id for run in _sync_runs(out, [StateType.PENDING, StateType.RUNNING])}  # what the killed serve held
    _wait_for(lambda: not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children), 15,
              "the killed serve's flow-run processes are still running")
    serving = served("serve", *serve_args)
    # Crashed by the run itself ("`reportmt serve` ... stopped during the run"), by Prefect's
    # engine when its supervisor ended it first, or else by the restarted serve: never left Running.
    # (A run that finished in the instant before the kill is Completed, and not in ``taken``.)
    _wait_for(lambda: taken <= {r.id for r in _sync_runs(out, [StateType.CRASHED])}, 60,
              "a run of the killed serve was not marked Crashed")

    expected |= set(_drop(corpus, 20, 20))
    time.sleep(2)
    watching.send_signal(signal.SIGKILL)
    watching.wait()
    expected |= set(_drop(corpus, 40, 20))  # while nothing watches: found when watch starts again
    served("watch", *watch_args)

    _wait_for(lambda: _documents(out) == expected, 240, "not every file reached the corpus")
    _wait_for(lambda: not _sync_runs(out, [StateType.SCHEDULED, StateType.PENDING, StateType.RUNNING], due=True), 90,
              "runs are left waiting or running")
    in_flight.stop.set()
    in_flight.join()
    assert in_flight.peak <= 2, f"{in_flight.peak} runs in flight at once"
    for log in ("serve.log", "watch.log"):
        assert "Traceback" not in (tmp_path / log).read_text(), log
    assert reportmt("corpus", "validate", "--normalized", str(out)).returncode == 0
    _same_as_a_quiet_run(out, corpus, tmp_path, models_dir)
    serving.send_signal(signal.SIGTERM)  # how a service manager stops it
    assert serving.wait(timeout=30) == 0


def _clean(log: Path) -> None:
    text = log.read_text()
    for bad in ("Traceback", "ERROR", "Error:"):
        assert bad not in text, f"{log.name}: {bad}\n{text[-3000:]}"


# The run finishing within the grace period is the slow half (`pytest -m slow`); cancelling it runs by default.
@pytest.mark.parametrize("grace", [0, pytest.param(120, marks=pytest.mark.slow)])
def test_sigterm_during_a_run_ends_it_frees_the_slot_and_exits_0(tmp_path, corpus, models_dir, served, grace):
    """With a grace period the run in progress finishes; without, it is cancelled."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType

    from reportmt.flows.coalesce import sync_deployment

    out = tmp_path / "out"
    _drop(corpus, 0, 40)  # a run long enough to be stopped in the middle
    serve_args = ("serve", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir))
    serving = served("serve", *serve_args, "--interval", "2", "--grace", str(grace))
    _wait_for(lambda: _sync_runs(out, [StateType.RUNNING]), 120, "no scheduled run started", every=0.2)
    serving.send_signal(signal.SIGTERM)
    assert serving.wait(timeout=180) == 0
    _clean(tmp_path / "serve.log")
    assert not _sync_runs(out, [StateType.RUNNING, StateType.PENDING, StateType.CANCELLING])
    ended = [run for run in _sync_runs(out, [StateType.COMPLETED] if grace else [StateType.CANCELLED, StateType.CRASHED])
             if not run.state.message or "superseded" not in run.state.message]
    assert len(ended) == 1 and len(_documents(out)) == (45 if grace else 0)
    with get_client(sync_client=True) as client:
        assert sync_deployment(client, out).paused

    served("serve2", *serve_args, "--cron", NEVER)  # takes runs again: the slot is free
    served("watch", "watch", "--corpus", str(corpus), "--out", str(out), "--settle", "1")
    _drop(corpus, 40, 1)
    _wait_for(lambda: "report-040.txt" in _documents(out), 180, "a file dropped after the restart did not reach the corpus")


def _prefect_server(port: int, home: Path, log: Path) -> subprocess.Popen:
    from reportmt.flows.prefect_server import api_is_healthy

    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    with log.open("a") as sink:
        server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port",
                                   str(port), "--no-ui"], stdout=sink, stderr=subprocess.STDOUT, env=env)
    _wait_for(lambda: api_is_healthy(f"http://127.0.0.1:{port}/api"), 120, "the Prefect server did not start")
    return server


@pytest.mark.slow  # about a minute: `pytest -m slow`
def test_serve_and_watch_start_before_the_server_and_outlive_its_restart(tmp_path, corpus, models_dir):
    from reportmt.flows.prefect_server import free_port

    port = free_port()
    api = {"PREFECT_API_URL": f"http://127.0.0.1:{port}/api", "PREFECT_HOME": str(tmp_path / "home")}
    out = tmp_path / "out"
    serve = start_reportmt("serve", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir),
                           "--cron", NEVER, env=api, log=tmp_path / "serve.log")
    watch = start_reportmt("watch", "--corpus", str(corpus), "--out", str(out), "--settle", "1", env=api,
                           log=tmp_path / "watch.log")
    server = None
    try:
        time.sleep(8)
        assert serve.poll() is None and watch.poll() is None
        for log in ("serve.log", "watch.log"):
            assert (tmp_path / log).read_text().count("waiting for the Prefect API") == 1
        server = _prefect_server(port, tmp_path / "home", tmp_path / "server.log")
        _wait_for(lambda: len(_documents(out)) == 5, 180, "the reports did not reach the corpus")
        server.kill()  # the server dies and comes back: serve and watch carry on
        server.wait()
        time.sleep(5)
        server = _prefect_server(port, tmp_path / "home", tmp_path / "server.log")
        _drop(corpus, 0, 3)
        _wait_for(lambda: len(_documents(out)) == 8, 180, "files dropped after the restart did not reach the corpus")
        serve.send_signal(signal.SIGTERM)
        watch.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=60) == 0 and watch.wait(timeout=30) == 0
    finally:
        for process in (serve, watch, server):
            if process is not None and process.poll() is None:
                process.kill()
    for log in ("serve.log", "watch.log"):
        _clean(tmp_path / log)


def test_a_burst_of_review_saves_makes_one_or_two_runs(tmp_path, corpus, models_dir, served):
    from prefect.client.schemas.objects import StateType

    from reportmt.edits import EDITED, EditStore
    from reportmt.flows.announce import announce_save

    out = tmp_path / "out"
    assert reportmt("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir)).returncode == 0
    served("serve", "serve", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir),
           "--cron", NEVER)
    _wait_for(lambda: _deployment_exists(out), 60, "serve did not register")
    in_flight = InFlight(out)
    in_flight.start()
    records = export_records(out)
    store = EditStore(out)
    saves = 0
    for round_ in range(3):  # 3 saves of each of the 46 records: 138 saves in about 15 s
        for record in records:
            store.save(record, en_after=f"Edited in round {round_}: {record['record_id']}.", status=EDITED,
                       reviewer="ana", expected=store.current_english(record))
            announce_save(out)
            saves += 1
            time.sleep(0.1)
    store.close()
    assert saves >= 100
    _wait_for(lambda: all(r["en_text"] == f"Edited in round 2: {r['record_id']}." for r in export_records(out)),
              180, "the saved edits did not reach the corpus")
    _wait_for(lambda: not _sync_runs(out, [StateType.SCHEDULED, StateType.PENDING, StateType.RUNNING], due=True), 90,
              "runs are left waiting or running")
    in_flight.stop.set()
    in_flight.join()
    assert in_flight.peak <= 2, f"{in_flight.peak} runs in flight at once"
    ran = _sync_runs(out, [StateType.COMPLETED, StateType.FAILED, StateType.CRASHED])
    assert len(ran) <= saves // 8, f"{saves} saves made {len(ran)} runs: they were not folded"


def _deployment_exists(out: Path) -> bool:
    from prefect.client.orchestration import get_client

    from reportmt.flows.coalesce import sync_deployment

    with get_client(sync_client=True) as client:
        return sync_deployment(client, out) is not None
