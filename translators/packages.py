"""Argos Translate model packages: the index, downloads, checked installs, the installed list.

Packages live where argostranslate keeps them (``ARGOS_PACKAGES_DIR``, else
``$XDG_DATA_HOME/argos-translate/packages``), one folder per package, so the two tools
share installs. Unlike ``argostranslate.package.install_from_path`` an archive is checked
completely before anything is written, and a package replaces an older one in a single
rename, so a failed install leaves the previous package working.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from packaging.version import InvalidVersion, Version

from reportmt.sources import file_sha256

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INSTALL_RECORD = ".reportmt-install.json"
_USER_AGENT = "reportmt (argos package client)"
_CHUNK = 1 << 16

ProgressCallback = Callable[[int, int | None], None]


class PackageError(Exception):
    """An archive, index or download that cannot be installed; the message says why."""


@dataclass(frozen=True)
class InstalledPackage:
    path: Path
    name: str
    from_code: str
    to_code: str
    version: str
    archive_sha256: str | None
    target_prefix: str
    test_package: bool

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    @property
    def model(self) -> str:
        return f"{self.name}@{self.version}"


def packages_dir(explicit: str | Path | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"]).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def install_command(pair: str) -> str:
    return f"reportmt models install {pair}"


def _version_key(version: str) -> tuple:
    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def list_installed(directory: Path) -> list[InstalledPackage]:
    if not directory.is_dir():
        return []
    packages = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or not (path / "metadata.json").is_file():
            continue
        try:
            packages.append(_read_installed(path))
        except PackageError:
            continue  # a folder argostranslate may use but we cannot (no pair, bad JSON)
    return packages


def find_installed(directory: Path, from_code: str, to_code: str) -> InstalledPackage | None:
    matching = [p for p in list_installed(directory) if (p.from_code, p.to_code) == (from_code, to_code)]
    return max(matching, key=lambda p: _version_key(p.version), default=None)


def _read_installed(path: Path) -> InstalledPackage:
    metadata = _parse_metadata((path / "metadata.json").read_bytes(), str(path / "metadata.json"))
    record_path = path / INSTALL_RECORD
    record = json.loads(record_path.read_text()) if record_path.is_file() else {}
    return InstalledPackage(
        path=path,
        name=path.name,
        from_code=metadata["from_code"],
        to_code=metadata["to_code"],
        version=str(metadata.get("package_version", "")),
        archive_sha256=record.get("archive_sha256"),
        target_prefix=metadata.get("target_prefix", "") or "",
        test_package=bool(metadata.get("reportmt_test_package", False)),
    )


def _parse_metadata(raw: bytes, where: str) -> dict:
    try:
        metadata = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PackageError(f"{where}: metadata.json is not valid JSON ({exc})") from exc
    if not isinstance(metadata, dict):
        raise PackageError(f"{where}: metadata.json must be a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise PackageError(f"{where}: metadata.json has no '{key}', so the language pair is unknown")
    return metadata


@dataclass(frozen=True)
class ArchiveContents:
    folder: str
    metadata: dict
    members: tuple[zipfile.ZipInfo, ...]


def inspect_archive(archive: Path) -> ArchiveContents:
    """Everything that must hold before a byte of the archive is extracted."""
    if not archive.is_file():
        raise PackageError(f"{archive}: no such file")
    if not zipfile.is_zipfile(archive):
        raise PackageError(f"{archive}: not a zip archive (a .argosmodel is a zip of one folder)")
    try:
        with zipfile.ZipFile(archive) as zf:
            members = tuple(zf.infolist())
            bad = zf.testzip()
            if bad is not None:
                raise PackageError(f"{archive}: archive is damaged (CRC error in {bad})")
            folders = set()
            for member in members:
                parts = PurePosixPath(member.filename).parts
                if member.filename.startswith("/") or ".." in parts or not parts or ":" in parts[0]:
                    raise PackageError(f"{archive}: entry '{member.filename}' would be written outside the package folder")
                folders.add(parts[0])
            if len(folders) != 1:
                raise PackageError(f"{archive}: expected one top-level folder, found {sorted(folders) or 'none'}")
            folder = folders.pop()
            names = {m.filename.rstrip("/") for m in members}
            for required, what in (
                (f"{folder}/metadata.json", "metadata.json"),
                (f"{folder}/model/model.bin", "CTranslate2 model (model/model.bin)"),
                (f"{folder}/sentencepiece.model", "SentencePiece model (sentencepiece.model)"),
            ):
                if required not in names:
                    raise PackageError(f"{archive}: package has no {what}")
            metadata = _parse_metadata(zf.read(f"{folder}/metadata.json"), str(archive))
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise PackageError(f"{archive}: archive is damaged or truncated ({exc})") from exc
    return ArchiveContents(folder=folder, metadata=metadata, members=members)


def install_archive(
    archive: Path,
    directory: Path,
    *,
    expected_sha256: str | None = None,
    expected_pair: str | None = None,
) -> InstalledPackage:
    """Install a .argosmodel after checking it; the previous install of it stays until the swap."""
    sha256 = file_sha256(archive) if archive.is_file() else None
    if expected_sha256 and sha256 != expected_sha256.lower().removeprefix("sha256:"):
        raise PackageError(f"{archive}: sha256 is {sha256}, expected {expected_sha256}")
    contents = inspect_archive(archive)
    pair = f"{contents.metadata['from_code']}-{contents.metadata['to_code']}"
    if expected_pair and pair != expected_pair:
        raise PackageError(f"{archive}: package translates {pair}, not {expected_pair}")
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=directory))
    try:
        with zipfile.ZipFile(archive) as zf:
            for member in contents.members:
                zf.extract(member, staging)
        unpacked = staging / contents.folder
        _check_unpacked(unpacked, archive)
        (unpacked / INSTALL_RECORD).write_text(
            json.dumps({"archive_sha256": sha256, "archive_name": archive.name}, indent=2) + "\n"
        )
        target = directory / contents.folder
        retired = staging / "previous"
        if target.exists():
            os.replace(target, retired)
        try:
            os.replace(unpacked, target)
        except OSError:
            if retired.exists():
                os.replace(retired, target)
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return _read_installed(target)


def _check_unpacked(folder: Path, archive: Path) -> None:
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    except (RuntimeError, OSError) as exc:
        raise PackageError(f"{archive}: sentencepiece.model does not load ({exc})") from exc
    model = folder / "model"
    if not (model / "config.json").is_file() and not any(model.glob("*vocabulary*")):
        raise PackageError(f"{archive}: model/ has no CTranslate2 config or vocabulary")


def fetch_index(url: str = DEFAULT_INDEX_URL) -> list[dict]:
    try:
        request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
        with urllib.request.urlopen(request, timeout=60) as response:
            data = json.loads(response.read())
    except (OSError, ValueError) as exc:
        raise PackageError(f"cannot read the package index {url}: {exc}") from exc
    if not isinstance(data, list):
        raise PackageError(f"package index {url} is not a list of packages")
    return [entry for entry in data if isinstance(entry, dict)]


def select_from_index(index: list[dict], pair: str) -> dict:
    from_code, _, to_code = pair.partition("-")
    matching = [
        e
        for e in index
        if e.get("from_code") == from_code and e.get("to_code") == to_code and e.get("type", "translate") == "translate"
    ]
    if not matching:
        raise PackageError(f"the package index has no {pair} package")
    return max(matching, key=lambda e: _version_key(str(e.get("package_version", ""))))


def index_sha256(entry: dict) -> str | None:
    value = entry.get("sha256") or entry.get("checksum")
    return str(value).removeprefix("sha256:") if value else None


def download(entry: dict, directory: Path, on_progress: ProgressCallback | None = None) -> Path:
    """Download a package named in the index; tries each link until one works."""
    links = entry.get("links") or []
    if not links:
        raise PackageError(f"index entry {entry.get('from_code')}-{entry.get('to_code')} has no download link")
    downloads = directory / ".downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    errors = []
    for url in links:
        name = PurePosixPath(urllib.request.urlparse(url).path).name or "package.argosmodel"
        target = downloads / name
        partial = target.with_suffix(target.suffix + ".part")
        try:
            request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
            with urllib.request.urlopen(request, timeout=60) as response, partial.open("wb") as out:
                total = int(response.headers.get("Content-Length") or 0) or None
                done = 0
                while block := response.read(_CHUNK):
                    out.write(block)
                    done += len(block)
                    if on_progress:
                        on_progress(done, total)
            if total is not None and done != total:
                raise PackageError(f"download of {url} stopped at {done} of {total} bytes")
            os.replace(partial, target)
            return target
        except (OSError, PackageError) as exc:
            partial.unlink(missing_ok=True)
            errors.append(f"{url}: {exc}")
    raise PackageError("download failed: " + "; ".join(errors))
