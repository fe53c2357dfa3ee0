"""The package folder shared with argostranslate: every install path leaves it usable by
argostranslate's own listing; argostranslate's settings; code names, checksums, shadowed
installs, removal; BPE packages; packages that cannot serve a pair."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from functools import partial
from pathlib import Path

import pytest
from helpers import export_records, reportmt

from reportmt.sources import file_sha256
from reportmt.translators import packages as pk
from reportmt.translators.argos import ArgosTranslator
from reportmt.translators.tiny import build_tiny_package

SAMPLE = Path(__file__).resolve().parents[1] / "corpus"


def argostranslate_listing(folder: Path, home: Path) -> list[dict]:
    """argostranslate's own get_installed_packages() on the folder, as `argospm list` runs it."""
    script = (
        "import json\nfrom argostranslate import package\n"
        "print(json.dumps([{'name': p.package_path.name, 'type': p.type, 'pair': f'{p.from_code}-{p.to_code}',"
        " 'tokenizer': type(getattr(p, 'tokenizer', None)).__name__} for p in package.get_installed_packages()]))"
    )
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(folder), "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class _Handler(http.server.SimpleHTTPRequestHandler):
    stall: threading.Event  # set by the fixture: a request for stall.argosmodel waits on it

    def do_GET(self):
        if self.path.endswith("/stall.argosmodel") or self.path == "/stall.argosmodel":
            data = (Path(self.directory) / "de-en.argosmodel").read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.stall.wait(60)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def index_server(tmp_path, tiny_archives):
    """An Argos index like the real one (no checksums, argospm codes) on loopback; its base
    URL. stall.argosmodel sends half of a package, then waits."""
    root = tmp_path / "www"
    root.mkdir()
    for archive in tiny_archives.values():
        shutil.copy(archive, root / archive.name)
    stall = threading.Event()
    handler = type("Handler", (_Handler,), {"stall": stall})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    entry = {"package_version": "1.9", "argos_version": "1.9.0", "from_name": "German", "to_name": "English"}
    index = [
        {**entry, "code": "translate-de_en", "from_code": "de", "to_code": "en", "type": "translate", "links": [base + "de-en.argosmodel"]},
        {**entry, "from_code": "fr", "to_code": "en", "links": [base + "fr-en.argosmodel"]},  # no code, no type: argospm's defaults
        {**entry, "code": "sbd-de", "from_code": "de", "to_code": "en", "type": "sbd", "links": [base + "fr-en.argosmodel"]},
        {**entry, "code": "translate-de_es", "from_code": "de", "to_code": "es", "links": [base + "stall.argosmodel"]},
    ]
    (root / "index.json").write_text(json.dumps(index))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    stall.set()
    server.shutdown()


def _only_packages(folder: Path) -> list[str]:
    """Everything in the folder must be a complete package: no hidden or staging folders."""
    names = sorted(p.name for p in folder.iterdir() if p.is_dir())
    for name in names:
        assert not name.startswith("."), f"{name} left in the shared package folder"
        assert (folder / name / "metadata.json").is_file()
    return names


def test_every_install_path_leaves_a_folder_argostranslate_can_list(tmp_path, tiny_archives, index_server):
    folder = tmp_path / "packages"
    env = {"ARGOS_PACKAGE_INDEX": index_server}

    by_index = reportmt("models", "install", "translate-de_en", "--models-dir", str(folder), env=env)
    assert by_index.returncode == 0, by_index.stderr
    assert "gives no checksum" in by_index.stderr and "sha256" in by_index.stdout
    assert [p["name"] for p in argostranslate_listing(folder, tmp_path)] == _only_packages(folder) == ["reportmt-tiny-test-de_en"]

    by_file = reportmt("models", "install", str(tiny_archives["fr-en"]), "--models-dir", str(folder))
    assert by_file.returncode == 0, by_file.stderr
    assert len(argostranslate_listing(folder, tmp_path)) == len(_only_packages(folder)) == 2

    broken = tmp_path / "broken.argosmodel"
    with zipfile.ZipFile(tiny_archives["de-en"]) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith("sentencepiece.model"):
                dst.writestr(info, src.read(info))
    failed = reportmt("models", "install", str(broken), "--models-dir", str(folder))
    assert failed.returncode == 1 and "no tokenizer" in failed.stderr
    assert len(argostranslate_listing(folder, tmp_path)) == len(_only_packages(folder)) == 2

    # Killed in the middle of a download: nothing of it is in the shared folder.
    staging = folder.parent / f".{folder.name}.reportmt-staging"
    killed = subprocess.Popen([sys.executable, "-m", "reportmt", "models", "install", "de-es", "--models-dir", str(folder)],
                              env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(staging.glob("*/*.part")):
        assert time.monotonic() < deadline and killed.poll() is None, "the download never started"
        time.sleep(0.05)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert len(argostranslate_listing(folder, tmp_path)) == len(_only_packages(folder)) == 2
    assert list(staging.iterdir()), "the killed download's staging folder is the test's premise"

    # The next install removes what the killed one left.
    again = reportmt("models", "install", "de-en", "--models-dir", str(folder), env=env)
    assert again.returncode == 0, again.stderr
    assert list(staging.iterdir()) == []
    assert len(argostranslate_listing(folder, tmp_path)) == 2


def test_an_install_killed_between_its_two_renames_gets_the_old_package_back(tmp_path, tiny_archives):
    folder = tmp_path / "packages"
    old = pk.install_archive(tiny_archives["de-en"], folder)
    # What a kill between "old package aside" and "new package in" leaves behind.
    area = folder.parent / f".{folder.name}.reportmt-staging" / "install-killed"
    (area / "retired").mkdir(parents=True)
    os.replace(old.path, area / "retired" / old.name)
    pk.install_archive(tiny_archives["fr-en"], folder)
    assert sorted(p.pair for p in pk.list_installed(folder)) == ["de-en", "fr-en"]
    assert not area.exists()


def test_argostranslate_settings_file_names_the_package_folder(tmp_path, tiny_archives):
    config = tmp_path / "config" / "argos-translate"
    config.mkdir(parents=True)
    folder = tmp_path / "from-settings"
    (config / "settings.json").write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(folder)}))
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "ARGOS_PACKAGES_DIR": ""}
    result = reportmt("models", "install", str(tiny_archives["de-en"]), env=env)
    assert result.returncode == 0, result.stderr
    assert str(folder) in result.stdout
    assert [p.pair for p in pk.list_installed(folder)] == ["de-en"]


def test_checksums_for_index_installs(tmp_path, tiny_archives, index_server):
    folder = tmp_path / "packages"
    env = {"ARGOS_PACKAGE_INDEX": index_server}
    wrong = reportmt("models", "install", "de-en", "--sha256", "0" * 64, "--models-dir", str(folder), env=env)
    assert wrong.returncode == 1 and "expected " + "0" * 64 in wrong.stderr
    assert not folder.exists() or _only_packages(folder) == []
    right = file_sha256(tiny_archives["de-en"])
    ok = reportmt("models", "install", "de-en", "--sha256", right, "--models-dir", str(folder), env=env)
    assert ok.returncode == 0, ok.stderr
    assert f"sha256 {right}" in ok.stdout and "gives no checksum" not in ok.stderr


def test_index_entries_by_pair_or_argospm_code():
    entry = {"package_version": "1.0", "from_code": "de", "to_code": "en", "links": ["x"]}
    index = [{**entry, "type": "sbd", "package_version": "9.0"}, {**entry, "package_version": "1.9"}, entry,
             {**entry, "from_code": "fr", "code": "translate-fr_en"}]
    assert pk.select_from_index(index, "de-en")["package_version"] == "1.9"  # newest translate package, never sbd
    assert pk.select_from_index(index, "translate-de_en")["package_version"] == "1.9"
    assert pk.select_from_index(index, "translate-fr_en")["from_code"] == "fr"
    with pytest.raises(pk.PackageError, match="no es-en package"):
        pk.select_from_index(index, "es-en")
    assert pk.index_url(None).endswith("/argospm-index/main/index.json")
    assert pk.index_url("http://h/i.json") == "http://h/i.json"


def test_same_version_with_other_bytes_warns(tmp_path, tiny_archives):
    folder = tmp_path / "packages"
    pk.install_archive(tiny_archives["de-en"], folder)
    rebuilt = build_tiny_package("de-en", SAMPLE.joinpath("003_e4b81f133e3b5870.txt").read_text().splitlines(),
                                 tmp_path / "rebuilt.argosmodel", seed=7)
    result = reportmt("models", "install", str(rebuilt), "--models-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert "the same version with other bytes" in result.stderr


def _copy_package(package: pk.InstalledPackage, folder: Path, name: str, **metadata) -> Path:
    target = folder / name
    shutil.copytree(package.path, target)
    data = json.loads((target / "metadata.json").read_text())
    (target / "metadata.json").write_text(json.dumps({**data, **metadata}))
    return target


def test_two_installs_of_a_pair_one_serves_and_list_says_which(tmp_path, tiny_archives):
    folder = tmp_path / "packages"
    installed = pk.install_archive(tiny_archives["de-en"], folder)
    _copy_package(installed, folder, "de_en", package_version="0.0.0")  # an old install under an old folder name
    _copy_package(installed, folder, "sbd-de", type="sbd")  # argostranslate's sentence-boundary package
    listing = reportmt("models", "list", "--json", "--models-dir", str(folder))
    assert listing.returncode == 0, listing.stderr
    rows = {row["package"]: row for row in map(json.loads, listing.stdout.splitlines())}
    assert rows["reportmt-tiny-test-de_en"]["serves"] and rows["reportmt-tiny-test-de_en"]["status"] == "serves de-en; TEST: meaningless output"
    assert rows["de_en"]["status"].startswith("shadowed by reportmt-tiny-test-de_en;") and not rows["de_en"]["serves"]
    assert rows["sbd-de"]["status"] == "not a translation package (type sbd)"
    assert pk.find_installed(folder, "de", "en").name == "reportmt-tiny-test-de_en"

    # argostranslate takes the first translate package it lists; list says so, and warns when it differs.
    argos = [p for p in argostranslate_listing(folder, tmp_path) if p["type"] == "translate" and p["pair"] == "de-en"]
    assert [name for name, row in rows.items() if row["argostranslate_uses"]] == [argos[0]["name"]]
    table = reportmt("models", "list", "--models-dir", str(folder))
    assert ("argostranslate uses" in table.stderr) == (argos[0]["name"] != "reportmt-tiny-test-de_en")

    removed = reportmt("models", "remove", "de_en", "--models-dir", str(folder))
    assert removed.returncode == 0 and "removed de-en" in removed.stdout
    assert sorted(_only_packages(folder)) == ["reportmt-tiny-test-de_en", "sbd-de"]
    assert reportmt("models", "remove", "de-en", "--models-dir", str(folder)).returncode == 0
    assert _only_packages(folder) == ["sbd-de"]
    missing = reportmt("models", "remove", "fr-en", "--models-dir", str(folder))
    assert missing.returncode == 1 and "no installed package or pair 'fr-en'" in missing.stderr


def test_a_package_of_another_type_is_refused_at_install(tmp_path, tiny_archives):
    sbd = tmp_path / "sbd.argosmodel"
    with zipfile.ZipFile(tiny_archives["de-en"]) as src, zipfile.ZipFile(sbd, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("metadata.json"):
                data = json.dumps({**json.loads(data), "type": "sbd"}).encode()
            dst.writestr(info, data)
    with pytest.raises(pk.PackageError, match="'sbd' package, not a translation package"):
        pk.install_archive(sbd, tmp_path / "packages")


@pytest.fixture(scope="module")
def bpe_archive(tmp_path_factory) -> Path:
    lines = [line for path in sorted(SAMPLE.iterdir()) for line in path.read_text().splitlines()]
    return build_tiny_package("de-en", lines, tmp_path_factory.mktemp("bpe") / "de-en-bpe.argosmodel", tokenizer="bpe")


def test_bpe_tokenizer_matches_argostranslate(tmp_path, bpe_archive):
    package = pk.install_archive(bpe_archive, tmp_path / "packages")
    assert (package.path / "bpe.model").is_file() and not (package.path / "sentencepiece.model").exists()
    sentences = ["Der Ständige Ausschuss tagte am 21. November & beschloss „neue“ Regeln.", "Genosse Tien sprach (kurz)."]
    script = (
        "import json, sys\nfrom pathlib import Path\nfrom argostranslate.tokenizer import BPETokenizer\n"
        "t = BPETokenizer(Path(sys.argv[1]), 'de', 'en')\n"
        "sentences = json.loads(sys.argv[2])\n"
        "encoded = [t.encode(s) for s in sentences]\n"
        "print(json.dumps({'encoded': encoded, 'decoded': [t.decode(e) for e in encoded]}))"
    )
    argos = subprocess.run([sys.executable, "-c", script, str(package.path / "bpe.model"), json.dumps(sentences)],
                           capture_output=True, text=True, env={**os.environ, "HOME": str(tmp_path)}, timeout=120)
    assert argos.returncode == 0, argos.stderr
    expected = json.loads(argos.stdout)
    from reportmt.translators.tokenizers import BPETokenizer

    ours = BPETokenizer(package.path / "bpe.model", "de", "en")
    assert [ours.encode(s) for s in sentences] == expected["encoded"]
    assert [ours.decode(e) for e in expected["encoded"]] == expected["decoded"]
    assert len(ArgosTranslator(package).translate(sentences)) == 2


def test_a_bpe_package_runs_the_whole_pipeline(tmp_path, corpus, tiny_archives, bpe_archive, run_corpus):
    folder = tmp_path / "packages"
    for archive in (bpe_archive, tiny_archives["fr-en"]):
        pk.install_archive(archive, folder)
    out = tmp_path / "normalized"
    assert run_corpus(corpus, out, folder)["exit_code"] == 0
    german = [r for r in export_records(out) if r["src_lang"] == "de"]
    assert german and all(r["mt_text"] is not None and "test_model_output" in r["qa"] for r in german)
    assert {r["model"] for r in german} == {"reportmt-tiny-bpe-test-de_en@0.0.1"}


def test_an_unusable_package_makes_only_its_pair_pending(tmp_path, corpus, models_dir, run_corpus):
    german = pk.find_installed(models_dir, "de", "en")
    (german.path / "sentencepiece.model").unlink()  # as argostranslate could install it: no tokenizer
    out = tmp_path / "normalized"
    summary = run_corpus(corpus, out, models_dir)
    assert summary["exit_code"] == 3
    assert [p["pair"] for p in summary["pending"]] == ["de-en"]
    assert f"the de-en package {german.name} cannot be used: it has no tokenizer" in summary["pending"][0]["reason"]
    assert sorted(d["language"] for d in summary["documents"]) == ["en", "en", "en", "fr"]
    failures = json.loads((out / "failures.json").read_text())
    assert failures[0]["kind"] == "pending" and "no tokenizer" in failures[0]["reason"]

    doctor = reportmt("doctor", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir))
    assert doctor.returncode == 1
    assert f"reportmt models remove {german.name}" in doctor.stdout


def test_a_model_that_does_not_load_makes_only_its_pair_pending(tmp_path, corpus, models_dir, run_corpus):
    french = pk.find_installed(models_dir, "fr", "en")
    (french.path / "model" / "model.bin").write_bytes(b"not a model")
    out = tmp_path / "normalized"
    summary = run_corpus(corpus, out, models_dir)
    assert summary["exit_code"] == 3
    assert [p["pair"] for p in summary["pending"]] == ["fr-en"]
    assert "does not load" in summary["pending"][0]["reason"]
    assert sorted(d["language"] for d in summary["documents"]) == ["de", "en", "en", "en"]
