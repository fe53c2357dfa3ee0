"""Checked installs and removals. argostranslate opens every folder in the package folder
as a package, so nothing but complete packages is ever left there: downloads and
unpacking happen in a staging folder beside it (same file system, so a finished package
arrives in one rename), and what a killed install left there is cleaned up by the next.
Unlike ``argostranslate.package.install_from_path`` an archive is checked completely
before anything is written, and a package replaces an older one in a single rename, so a
failed install leaves the previous package working."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from filelock import FileLock

from reportmt.languages import language_pair
from reportmt.sources import file_sha256

from ..tokenizers import BPETokenizer, SentencePieceTokenizer, TokenizerError
from .archive import inspect_archive
from .index import PackageIndex, ProgressCallback, download, index_code, index_sha256
from .installed import (
    INSTALL_RECORD,
    TRANSLATE,
    InstalledPackage,
    PackageError,
    list_installed,
    read_installed,
)

_LEGACY_LEFTOVERS = (".downloads", ".install-")  # what reportmt 0.1 staged inside the package folder


@dataclass(frozen=True)
class InstallOptions:
    """What an install checks and who hears about it, the same for every way in."""

    expected_sha256: str | None = None  # the archive's sha256 must be this
    expected_pair: str | None = None  # the package must translate this pair
    warn: Callable[[str], None] | None = None  # hears what the user should know (a version rebuilt with other bytes)
    allow_large: bool = False  # lift the limits on unpacked size and expansion


def _staging_root(directory: Path) -> Path:
    """Beside the package folder when that is on the same file system (the usual case);
    inside it, as a hidden folder removed after every install, when it is a mount point."""
    beside = directory.parent / f".{directory.name}.reportmt-staging"
    try:
        beside.mkdir(exist_ok=True)
        if beside.stat().st_dev == directory.stat().st_dev:
            return beside
        beside.rmdir()
    except OSError:
        pass
    return directory / ".reportmt-staging"


@contextmanager
def staging_area(directory: Path) -> Iterator[Path]:
    """A private folder for one install's download and unpacking. Installs into one package
    folder are serialized by a lock, so whatever another staging folder holds was left by a
    killed install: it is removed first (a package it had moved aside is put back)."""
    directory.mkdir(parents=True, exist_ok=True)
    root = _staging_root(directory)
    root.mkdir(exist_ok=True)
    with FileLock(str(root.with_name(root.name + ".lock"))):
        _clean_leftovers(directory, root)
        area = Path(tempfile.mkdtemp(prefix="install-", dir=root))
        try:
            yield area
        finally:
            shutil.rmtree(area, ignore_errors=True)
            if root.parent == directory:
                shutil.rmtree(root, ignore_errors=True)


def _clean_leftovers(directory: Path, root: Path) -> None:
    for area in root.iterdir():
        for retired in (area / "retired").glob("*"):
            if not (directory / retired.name).exists():
                os.replace(retired, directory / retired.name)  # killed between the two renames of a swap
        shutil.rmtree(area, ignore_errors=True)
    for path in directory.iterdir():
        if path.is_dir() and path.name.startswith(_LEGACY_LEFTOVERS):
            shutil.rmtree(path, ignore_errors=True)


def install_archive(archive: Path, directory: Path, options: InstallOptions = InstallOptions()) -> InstalledPackage:
    """Install a .argosmodel after checking it; the previous install of it stays until the swap."""
    with staging_area(directory) as area:
        return _install(archive, directory, area, options)


def install_from_index(entry: dict, directory: Path, options: InstallOptions = InstallOptions(),
                       on_progress: ProgressCallback | None = None) -> InstalledPackage:
    """Download a package named in the index into the staging folder and install it; the
    index's checksum and pair are checked unless ``options`` names its own."""
    with staging_area(directory) as area:
        archive = download(entry, area, on_progress)
        pair = language_pair(str(entry.get("from_code")), str(entry.get("to_code")))
        checked = replace(options, expected_sha256=options.expected_sha256 or index_sha256(entry),
                          expected_pair=options.expected_pair or pair)
        return _install(archive, directory, area, checked)


def _install(archive: Path, directory: Path, area: Path, options: InstallOptions) -> InstalledPackage:
    sha256 = file_sha256(archive) if archive.is_file() else None
    if options.expected_sha256 and sha256 != options.expected_sha256.lower().removeprefix("sha256:"):
        raise PackageError(f"{archive}: sha256 is {sha256}, expected {options.expected_sha256}")
    contents = inspect_archive(archive, allow_large=options.allow_large)
    pair = language_pair(contents.metadata["from_code"], contents.metadata["to_code"])
    if options.expected_pair and pair != options.expected_pair:
        raise PackageError(f"{archive}: package translates {pair}, not {options.expected_pair}")
    unpacked_root = area / "unpacked"
    with zipfile.ZipFile(archive) as zf:
        for member in contents.members:
            zf.extract(member, unpacked_root)
    unpacked = unpacked_root / contents.folder
    _check_unpacked(unpacked, archive, contents.metadata)
    (unpacked / INSTALL_RECORD).write_text(
        json.dumps({"archive_sha256": sha256, "archive_name": archive.name}, indent=2) + "\n"
    )
    target = directory / contents.folder
    if target.exists() and options.warn:
        _warn_if_rebuilt(read_installed(target), str(contents.metadata.get("package_version", "")), sha256, options.warn)
    retired = area / "retired" / contents.folder
    if target.exists():
        retired.parent.mkdir()
        os.replace(target, retired)
    try:
        os.replace(unpacked, target)
    except OSError:
        if retired.exists():
            os.replace(retired, target)
        raise
    return read_installed(target)


def _warn_if_rebuilt(previous: InstalledPackage, version: str, sha256: str | None, warn: Callable[[str], None]) -> None:
    if previous.version == version and previous.archive_sha256 and previous.archive_sha256 != sha256:
        warn(
            f"{previous.name} {version} was installed before from an archive with sha256 {previous.archive_sha256}; "
            f"this one has sha256 {sha256}: the same version with other bytes, so check where it came from"
        )


def _check_unpacked(folder: Path, archive: Path, metadata: dict) -> None:
    try:
        if (folder / "sentencepiece.model").is_file():
            SentencePieceTokenizer(folder / "sentencepiece.model")
        else:
            BPETokenizer(folder / "bpe.model", metadata["from_code"], metadata["to_code"])
    except TokenizerError as exc:
        raise PackageError(f"{archive}: {exc}") from exc
    model = folder / "model"
    if not (model / "config.json").is_file() and not any(model.glob("*vocabulary*")):
        raise PackageError(f"{archive}: model/ has no CTranslate2 config or vocabulary")


def remove(directory: Path, target: str) -> list[InstalledPackage]:
    """Remove a package by folder name, or every translate package of a pair (``de-en``); each folder
    leaves in one rename into the staging folder, so no half-deleted package is ever seen."""
    installed = list_installed(directory)
    chosen = [p for p in installed if p.name == target or (p.pair == target and p.package_type == TRANSLATE)]
    if not chosen:
        known = ", ".join(sorted({p.name for p in installed} | {p.pair for p in installed})) or "none"
        raise PackageError(f"no installed package or pair '{target}' in {directory} (installed: {known})")
    with staging_area(directory) as area:
        for package in chosen:
            os.replace(package.path, area / package.name)
    return chosen


def is_archive_target(target: str) -> bool:
    """A local .argosmodel file rather than a pair or an argospm code."""
    return Path(target).suffix == ".argosmodel" or Path(target).is_file()


def install_target(target: str, directory: Path, index: PackageIndex, options: InstallOptions = InstallOptions(),
                   on_download: Callable[[dict], ProgressCallback] | None = None) -> InstalledPackage:
    """Install a local .argosmodel, or the index's package for a pair (``de-en``) or an
    argospm code (``translate-de_en``). ``on_download`` hears the index entry before its
    download and returns the progress callback for it."""
    if is_archive_target(target):
        return install_archive(Path(target), directory, options)
    entry = index.select(target)
    if options.warn and not (options.expected_sha256 or index_sha256(entry)):
        options.warn(f"{index.url} gives no checksum for {index_code(entry)}: the archive is not verified "
                     "(pass --sha256 to check it against a known value)")
    return install_from_index(entry, directory, options, on_download(entry) if on_download else None)
