"""`make run` as a newcomer meets it on an offline machine: it leaves an installed package as
it is, fetches nothing, translates what it can, and its last lines say what was done and what
to do next, not make's error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import REPO

GERMAN = "Der Gemeinderat hat am Montag den Haushalt für das Jahr 2025 beschlossen. Die Sitzung war öffentlich.\n"
ENGLISH = "The council approved the budget for 2025 on Monday. The meeting was public.\n"


def make_run(folder: Path, home: Path) -> subprocess.CompletedProcess:
    """The Makefile's run target in ``folder``, with this test run's environment as its venv
    (-o: the install step is taken as done) and an index no network can answer."""
    venv = Path(sys.prefix)
    env = {**os.environ, "HOME": str(home), "ARGOS_PACKAGES_DIR": "", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "ARGOS_PACKAGE_INDEX": f"file://{folder}/no-index/"}
    env.pop("ARGOS_PACKAGES_DIR")
    return subprocess.run(["make", "--no-print-directory", "-f", str(REPO / "Makefile"), "-o", f"{venv}/bin/.installed",
                           f"VENV={venv}", "run"], cwd=folder, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=600)  # in the order a terminal shows


FRENCH = "Le conseil municipal a adopté le budget lundi. La séance était publique.\n"


def test_offline_make_run_keeps_an_installed_pair_and_ends_with_what_to_do_next(tmp_path, tiny_archives):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in (("haushalt.txt", GERMAN), ("budget.txt", ENGLISH), ("conseil.txt", FRENCH)):
        (corpus / name).write_text(text, encoding="utf-8")
    home = tmp_path / "home"
    models = home / ".local" / "share" / "argos-translate" / "packages"
    subprocess.run([sys.executable, "-m", "reportmt", "models", "install", "--models-dir", str(models),
                    str(tiny_archives["de-en"])], check=True, capture_output=True)

    done = make_run(tmp_path, home)
    said = done.stdout.strip().splitlines()
    assert done.returncode == 0, said[-15:]
    assert "de-en is served by" in done.stdout and "left as it is" in done.stdout  # nothing fetched for it
    assert "cannot read the package index" in done.stdout and "offline?" in done.stdout  # fr-en was asked for
    assert not any(line.startswith("make: ***") for line in said)
    assert any(line.startswith("Next: copy a de-en or fr-en .argosmodel") for line in said[-5:])
    assert said[-1].startswith("then run make run again") and "make demo" in said[-1]
    assert (tmp_path / "normalized").is_dir()  # the English and German reports were written
