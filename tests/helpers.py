"""Helpers for driving the command line the way a user does."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def reportmt(*args: str, env: dict | None = None, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed command line exactly as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "reportmt", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **(env or {})},
        cwd=cwd or REPO,
        timeout=600,
    )


def start_reportmt(*args: str, env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    """A long-running command (serve, watch, run) in the background, its output in one pipe,
    or appended to ``log`` (a command that prints much must not fill a pipe nobody reads)."""
    with open(log, "a") if log else open(os.devnull) as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "reportmt", *args],
            cwd=REPO,
            env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **(env or {})},
            stdout=sink if log else subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=_ctrl_c_as_in_a_terminal,
        )


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT as a shell gives a command: a test worker may have been left ignoring it (an
    ignored signal stays ignored across exec), and Ctrl+C would then do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def snapshot_files(out: Path) -> dict[str, bytes]:
    """Every document of the snapshot in force: ``records/<doc_id>.jsonl`` (its file) and
    ``documents/<doc_id>.json`` (its metadata)."""
    from reportmt import store

    files = {}
    for entry in store.read_snapshot(out).documents:
        files[f"records/{entry['doc_id']}.jsonl"] = store.records_path(out, entry).read_bytes()
        files[f"documents/{entry['doc_id']}.json"] = store.read_metadata_text(out, entry)[0].encode("utf-8")
    return files


def documents_in_force(out: Path) -> list[dict]:
    """The catalog entries of the snapshot in force."""
    from reportmt import store

    return store.read_snapshot(out).documents


def records_file(out: Path, doc_id: str) -> Path:
    from reportmt import store

    return store.records_path(out, store.read_snapshot(out).document(doc_id))


def export_records(out_dir: Path) -> list[dict]:
    result = reportmt("corpus", "export", "--format", "jsonl", "--normalized", str(out_dir))
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def split_furniture(lines: list[str]):
    """Body lines and furniture items of a report's lines, numbered from 1."""
    from reportmt.furniture import PageFurniture

    furniture = PageFurniture()
    body = list(furniture.body_lines(enumerate(lines, start=1)))
    return body, furniture.items


# Debian's chromium as the browser tests drive it (Playwright's own download cannot work here).
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


def type_and_save(page, record_id: str, text: str) -> str:
    """In a browser on a document page: edit a sentence with the keyboard, save it with
    Ctrl+Enter, and return what its row then says."""
    page.focus(f"#r-{record_id}")
    page.keyboard.press("e")
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    page.keyboard.press("Control+Enter")
    status = page.locator(f"#r-{record_id} .status")
    deadline = time.monotonic() + 30  # polled from here: the pages' CSP forbids the eval wait_for_function needs
    while status.inner_text().startswith("Saving") and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return status.inner_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_review(out: Path, *extra: str, port: int | None = None) -> tuple[subprocess.Popen, int]:
    """`reportmt review` on ``out`` in the background, once it answers; with its port. The
    one reviewer is ana, unless ``extra`` names reviewers another way (--users, --reviewer-header)."""
    port = port or free_port()
    identity = [] if {"--users", "--reviewer-header"} & set(extra) else ["--reviewer", "ana"]
    process = subprocess.Popen([sys.executable, "-m", "reportmt", "review", "--normalized", str(out), "--port", str(port),
                                *identity, *extra], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/review.css", timeout=1)
            return process, port
        except httpx.HTTPError:
            assert process.poll() is None and time.monotonic() < deadline, process.stdout.read() if process.poll() is not None else ""
            time.sleep(0.2)


def unnamed_objects(out: Path) -> list[str]:
    """Record files (and metadata, in the catalog or, from schema 4, in files) that no row of
    the catalog names (what a killed run left, or collection missed)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(out / "catalog.sqlite3")) as db:
        named = {sha for row in db.execute("SELECT records_sha256, metadata_sha256 FROM documents") for sha in row}
        metadata = [row[0] for row in db.execute("SELECT sha256 FROM metadata")]
    files = [str(p.relative_to(out)) for kind in ("records", "documents") for p in (out / "objects" / kind).rglob("*")
             if p.is_file() and p.name.split(".")[0] not in named]
    return sorted(files + [f"catalog.sqlite3: metadata {sha}" for sha in metadata if sha not in named])
