"""Installing Argos packages: from a file, from an index over HTTP, and refusing bad archives."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
import zipfile
from functools import partial
from pathlib import Path

import pytest
from helpers import reportmt

from reportmt.sources import file_sha256
from reportmt.translators.argos import ArgosTranslator
from reportmt.translators.packages import (
    InstallOptions,
    PackageError,
    find_installed,
    install_archive,
    list_installed,
)


def _rezip(source: Path, target: Path, edit) -> Path:
    """Copy an archive entry by entry, letting ``edit(name, data)`` change or drop entries."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            result = edit(info.filename, src.read(info))
            if result is not None:
                name, data = result
                dst.writestr(name, data)
    return target


def test_install_from_file_translates_with_ctranslate2(tmp_path, tiny_archives):
    package = install_archive(tiny_archives["de-en"], tmp_path)
    assert package.pair == "de-en" and package.test_package
    assert package.archive_sha256 == file_sha256(tiny_archives["de-en"])
    assert find_installed(tmp_path, "de", "en") == package
    outputs = ArgosTranslator(package).translate(["Der Ausschuss tagte am Nachmittag.", "Genosse Tien sprach."])
    assert len(outputs) == 2 and all(outputs)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda name, data: None if name.endswith("model.bin") else (name, data), "no CTranslate2 model"),
        (lambda name, data: None if name.endswith("sentencepiece.model") else (name, data), "no tokenizer"),
        (lambda name, data: ("../evil.txt", b"x") if name.endswith("README.md") else (name, data), "outside the package folder"),
        (lambda name, data: (name, b"{not json") if name.endswith("metadata.json") else (name, data), "not valid JSON"),
        (lambda name, data: (name, json.dumps({"from_code": "de"}).encode()) if name.endswith("metadata.json") else (name, data), "no 'to_code'"),
        (lambda name, data: ("other/" + name.split("/", 1)[1], data) if name.endswith("README.md") else (name, data), "one top-level folder"),
    ],
)
def test_bad_archives_install_nothing(tmp_path, tiny_archives, damage, message):
    bad = _rezip(tiny_archives["de-en"], tmp_path / "bad.argosmodel", damage)
    target = tmp_path / "packages"
    with pytest.raises(PackageError, match=message):
        install_archive(bad, target)
    assert list_installed(target) == []
    assert not target.exists() or [p.name for p in target.iterdir()] == []


def test_truncated_archive_and_checksum_mismatch_keep_the_previous_package(tmp_path, tiny_archives):
    target = tmp_path / "packages"
    good = install_archive(tiny_archives["de-en"], target)
    truncated = tmp_path / "truncated.argosmodel"
    truncated.write_bytes(tiny_archives["de-en"].read_bytes()[:50_000])
    with pytest.raises(PackageError, match="zip|damaged|truncated"):
        install_archive(truncated, target)
    with pytest.raises(PackageError, match="sha256"):
        install_archive(tiny_archives["de-en"], target, InstallOptions(expected_sha256="0" * 64))
    with pytest.raises(PackageError, match="translates de-en, not fr-en"):
        install_archive(tiny_archives["de-en"], target, InstallOptions(expected_pair="fr-en"))
    assert list_installed(target) == [good]
    assert ArgosTranslator(good).translate(["Noch da."])[0]


def test_cli_install_errors_exit_nonzero_and_name_the_file(tmp_path):
    not_zip = tmp_path / "model.argosmodel"
    not_zip.write_text("hello")
    result = reportmt("models", "install", str(not_zip), "--models-dir", str(tmp_path / "p"))
    assert result.returncode == 1
    assert str(not_zip) in result.stderr and "not a zip archive" in result.stderr


@pytest.fixture
def package_index(tmp_path, tiny_archives):
    """The Argos index format served over HTTP on loopback, pointing at the tiny packages."""
    root = tmp_path / "www"
    root.mkdir()
    for archive in tiny_archives.values():
        shutil.copy(archive, root / archive.name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    index = [
        {"package_version": "0.0.1", "argos_version": "1.9.0", "from_code": "de", "to_code": "en", "type": "translate",
         "links": [f"{base}/de-en.argosmodel"], "sha256": file_sha256(tiny_archives["de-en"])},
        {"package_version": "0.0.1", "argos_version": "1.9.0", "from_code": "fr", "to_code": "en", "type": "translate",
         "links": [f"{base}/missing.argosmodel", f"{base}/fr-en.argosmodel"]},
        {"package_version": "0.0.1", "from_code": "es", "to_code": "en", "links": [f"{base}/de-en.argosmodel"]},
    ]
    (root / "index.json").write_text(json.dumps(index))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{base}/index.json"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_install_pairs_from_an_index_over_http(tmp_path, package_index):
    target = tmp_path / "packages"
    result = reportmt("models", "install", "de-en", "fr-en", "--index-url", package_index, "--models-dir", str(target))
    assert result.returncode == 0, result.stderr
    assert sorted(p.pair for p in list_installed(target)) == ["de-en", "fr-en"]
    assert [p.name for p in target.iterdir()] == sorted(p.name for p in list_installed(target))  # nothing but packages
    assert list((tmp_path / ".packages.reportmt-staging").iterdir()) == []  # archives are not kept after install


def test_index_package_with_the_wrong_pair_is_refused(tmp_path, package_index):
    result = reportmt("models", "install", "es-en", "--index-url", package_index, "--models-dir", str(tmp_path / "p"))
    assert result.returncode == 1
    assert "translates de-en, not es-en" in result.stderr
    assert list_installed(tmp_path / "p") == []


def test_offline_install_by_pair_fails_clearly(tmp_path):
    result = reportmt("models", "install", "de-en", "--index-url", "http://127.0.0.1:9/index.json", "--models-dir", str(tmp_path))
    assert result.returncode == 1
    assert "cannot read the package index" in result.stderr
