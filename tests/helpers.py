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
