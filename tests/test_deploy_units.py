"""The systemd unit files in deploy/systemd: valid for systemd, and complete for a service
that must start in any order, restart after a crash and find its models."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import REPO

UNITS = REPO / "deploy" / "systemd"
SERVICES = ("prefect-server", "reportmt-serve", "reportmt-watch", "reportmt-review")
INSTALLED_VENV = "/srv/reportmt/.venv"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in systemd
    parser.read(UNITS / f"{name}.service")
    return parser


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs Debian's systemd (.ci/run installs it)")
def test_systemd_accepts_every_unit(tmp_path):
    """`systemd-analyze verify` on the units, their ExecStart pointed at this checkout's
    virtual environment (systemd checks that the programs exist)."""
    venv = Path(REPO / ".venv").resolve()
    for name in SERVICES:
        text = (UNITS / f"{name}.service").read_text().replace(INSTALLED_VENV, str(venv))
        (tmp_path / f"{name}.service").write_text(text)
    verified = subprocess.run(["systemd-analyze", "verify", "--man=no", *(f"{n}.service" for n in SERVICES)],
                              cwd=tmp_path, capture_output=True, text=True)
    assert verified.returncode == 0 and not verified.stderr.strip(), verified.stderr


def test_every_service_has_its_user_folder_environment_restart_and_order():
    environment = (UNITS / "reportmt.env").read_text()
    for key in ("PREFECT_API_URL=", "ARGOS_PACKAGES_DIR=", "PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS=",
                "PREFECT_SERVER_ANALYTICS_ENABLED=false"):
        assert key in environment, key
    for name in SERVICES:
        unit = _unit(name)
        service = unit["Service"]
        assert service["User"] and service["WorkingDirectory"], name
        assert service["EnvironmentFile"] == "/etc/reportmt/reportmt.env", name
        assert service["Restart"] == "always" and int(service["RestartSec"]) >= 1, name
        if name != "prefect-server":
            assert "prefect-server.service" in unit["Unit"]["After"], name
            assert unit["Unit"]["StartLimitIntervalSec"] == "0", name  # retried for as long as the server is away
    assert "--grace" in _unit("reportmt-serve")["Service"]["ExecStart"]
    assert int(_unit("reportmt-serve")["Service"]["TimeoutStopSec"]) > 120  # longer than the grace period
