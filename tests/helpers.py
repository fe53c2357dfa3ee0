"""Helpers for driving the command line the way a user does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
        )


def snapshot_files(out: Path) -> dict[str, bytes]:
    """Every file of the snapshot in force, by its path in the snapshot."""
    manifest = json.loads((out / "manifest.json").read_text())
    snapshot = out / manifest["snapshot"]
    return {str(p.relative_to(snapshot)): p.read_bytes() for p in sorted(snapshot.rglob("*")) if p.is_file()}


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
