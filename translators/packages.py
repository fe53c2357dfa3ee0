"""Argos Translate model packages: the index, downloads, checked installs, the installed list.

Packages live where argostranslate keeps them, one folder per package, so the two tools
share installs; the folder and the index are found the way argostranslate finds them
(``ARGOS_PACKAGES_DIR`` and ``ARGOS_PACKAGE_INDEX``, from the environment or from
argostranslate's ``settings.json``). argostranslate opens every folder in the package
folder as a package, so nothing but complete packages is ever left there: downloads and
unpacking happen in a staging folder beside it (same file system, so a finished package
arrives in one rename), and what a killed install left there is cleaned up by the next.
Unlike ``argostranslate.package.install_from_path`` an archive is checked completely
before anything is written, and a package replaces an older one in a single rename, so a
failed install leaves the previous package working.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from filelock import FileLock
from packaging.version import InvalidVersion, Version

from reportmt.errors import ReportmtError
from reportmt.languages import language_pair
from reportmt.sources import file_sha256

from .tokenizers import TOKENIZER_FILES, BPETokenizer, SentencePieceTokenizer, TokenizerError

DEFAULT_INDEX_BASE = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
INSTALL_RECORD = ".reportmt-install.json"
TRANSLATE = "translate"  # the package type that serves a language pair (the default when absent)
_USER_AGENT = "reportmt (argos package client)"
_CHUNK = 1 << 16
_LEGACY_LEFTOVERS = (".downloads", ".install-")  # what reportmt 0.1 staged inside the package folder

ProgressCallback = Callable[[int, int | None], None]


class PackageError(ReportmtError):
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
    package_type: str = TRANSLATE
    problem: str | None = None  # why it cannot translate (no tokenizer, no model); None if it can

    @property
    def pair(self) -> str:
        return language_pair(self.from_code, self.to_code)

    @property
    def model(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def can_translate(self) -> bool:
        return self.package_type == TRANSLATE and self.problem is None


def argos_setting(key: str) -> str | None:
    """A setting as argostranslate reads it: the environment first, then its settings.json."""
    if os.environ.get(key):
        return os.environ[key]
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    try:
        settings = json.loads((config_home / "argos-translate" / "settings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = settings.get(key) if isinstance(settings, dict) else None
    return str(value) if value else None


def packages_dir(explicit: str | Path | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    configured = argos_setting("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def index_url(explicit: str | None = None) -> str:
    """The index.json to read: ``explicit``, else ``ARGOS_PACKAGE_INDEX`` (a base URL, as
    argostranslate uses it), else the official argospm index."""
    if explicit:
        return explicit
    base = argos_setting("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX_BASE
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


def install_command(pair: str) -> str:
    return f"reportmt models install {pair}"


def _version_key(version: str) -> tuple:
    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def list_installed(directory: Path) -> list[InstalledPackage]:
    """Every package folder, usable or not, in name order."""
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


def serving(packages: list[InstalledPackage]) -> dict[str, InstalledPackage]:
    """For each pair, the package reportmt uses: of the translate packages that can
    translate it, the highest version (then the last name)."""
    chosen: dict[str, InstalledPackage] = {}
    for package in packages:
        if not package.can_translate:
            continue
        current = chosen.get(package.pair)
        if current is None or (_version_key(package.version), package.name) > (_version_key(current.version), current.name):
            chosen[package.pair] = package
    return chosen


def argostranslate_choice(directory: Path, packages: list[InstalledPackage]) -> dict[str, InstalledPackage]:
    """For each pair, the package argostranslate uses: the first translate package of the
    pair in the order the file system lists the folder (usable or not)."""
    by_name = {p.name: p for p in packages if p.package_type == TRANSLATE}
    chosen: dict[str, InstalledPackage] = {}
    for name in os.listdir(directory) if directory.is_dir() else []:
        if name in by_name:
            chosen.setdefault(by_name[name].pair, by_name[name])
    return chosen


def find_installed(directory: Path, from_code: str, to_code: str) -> InstalledPackage | None:
    return serving(list_installed(directory)).get(language_pair(from_code, to_code))


def unavailable_reason(directory: Path, from_code: str, to_code: str) -> str:
    """Why no package serves the pair, for a pending document."""
    pair = language_pair(from_code, to_code)
    broken = [p for p in list_installed(directory) if p.pair == pair and p.package_type == TRANSLATE]
    if not broken:
        return f"no {pair} package is installed in {directory}"
    return "; ".join(f"the {pair} package {p.name} cannot be used: {p.problem}" for p in broken)


def _read_installed(path: Path) -> InstalledPackage:
    metadata = _parse_metadata((path / "metadata.json").read_bytes(), str(path / "metadata.json"))
    record_path = path / INSTALL_RECORD
    try:
        record = json.loads(record_path.read_text()) if record_path.is_file() else {}
    except ValueError:
        record = {}
    return InstalledPackage(
        path=path,
        name=path.name,
        from_code=metadata["from_code"],
        to_code=metadata["to_code"],
        version=str(metadata.get("package_version", "")),
        archive_sha256=record.get("archive_sha256"),
        target_prefix=metadata.get("target_prefix", "") or "",
        test_package=bool(metadata.get("reportmt_test_package", False)),
        package_type=str(metadata.get("type") or TRANSLATE),
        problem=_missing_parts({p.name for p in path.iterdir()}, (path / "model").is_dir() and (path / "model" / "model.bin").is_file()),
    )


def _missing_parts(names: set[str], has_model: bool) -> str | None:
    if not has_model:
        return "it has no CTranslate2 model (model/model.bin)"
    if not names.intersection(TOKENIZER_FILES):
        return f"it has no tokenizer ({' or '.join(TOKENIZER_FILES)})"
    return None


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


# A model archive barely compresses (weights are dense): far more than this is a zip bomb.
MAX_UNPACKED_BYTES = 8 * 1024**3
MAX_EXPANSION = 20
EXPANSION_CHECKED_FROM = 50 * 1024**2  # small archives of text may compress more


def inspect_archive(archive: Path, *, allow_large: bool = False) -> ArchiveContents:
    """Everything that must hold before a byte of the archive is extracted. ``allow_large``
    lifts the limits on the unpacked size and on how much the archive expands."""
    if not archive.is_file():
        raise PackageError(f"{archive}: no such file")
    if not zipfile.is_zipfile(archive):
        raise PackageError(f"{archive}: not a zip archive (a .argosmodel is a zip of one folder)")
    try:
        with zipfile.ZipFile(archive) as zf:
            members = tuple(zf.infolist())
            if not allow_large:
                _check_expansion(archive, members)  # before testzip, which would unpack every member
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
            if folder.startswith("."):
                raise PackageError(f"{archive}: the package folder '{folder}' is hidden, and argostranslate would not tell it from staging")
            names = {m.filename.rstrip("/") for m in members}
            if f"{folder}/metadata.json" not in names:
                raise PackageError(f"{archive}: package has no metadata.json")
            metadata = _parse_metadata(zf.read(f"{folder}/metadata.json"), str(archive))
            package_type = metadata.get("type") or TRANSLATE
            if package_type != TRANSLATE:
                raise PackageError(f"{archive}: a '{package_type}' package, not a translation package (type '{TRANSLATE}')")
            inside = {name.removeprefix(f"{folder}/") for name in names}
            problem = _missing_parts(inside, "model/model.bin" in inside)
            if problem:
                raise PackageError(f"{archive}: {problem.replace('it has', 'package has')}")
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise PackageError(f"{archive}: archive is damaged or truncated ({exc})") from exc
    return ArchiveContents(folder=folder, metadata=metadata, members=members)


def _check_expansion(archive: Path, members: tuple[zipfile.ZipInfo, ...]) -> None:
    unpacked = sum(m.file_size for m in members)
    packed = max(1, archive.stat().st_size)
    if unpacked > MAX_UNPACKED_BYTES:
        raise PackageError(f"{archive}: unpacks to {unpacked / 1024**3:.1f} GiB, over the limit of "
                           f"{MAX_UNPACKED_BYTES / 1024**3:.0f} GiB; if the package is genuinely that large, install it with --allow-large")
    if unpacked >= EXPANSION_CHECKED_FROM and unpacked / packed > MAX_EXPANSION:
        raise PackageError(f"{archive}: its {packed / 1024**2:.1f} MiB unpack to {unpacked / 1024**2:.0f} MiB "
                           f"({unpacked / packed:.0f} times; model archives expand about twice at most): refused as a "
                           "likely zip bomb; if you trust it, install it with --allow-large")


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


def install_archive(
    archive: Path,
    directory: Path,
    *,
    expected_sha256: str | None = None,
    expected_pair: str | None = None,
    warn: Callable[[str], None] | None = None,
    allow_large: bool = False,
) -> InstalledPackage:
    """Install a .argosmodel after checking it; the previous install of it stays until the swap.
    ``warn`` hears what the user should know (a version reinstalled with other bytes)."""
    with staging_area(directory) as area:
        return _install(archive, directory, area, expected_sha256, expected_pair, warn, allow_large)


def install_from_index(
    entry: dict,
    directory: Path,
    *,
    expected_sha256: str | None = None,
    on_progress: ProgressCallback | None = None,
    warn: Callable[[str], None] | None = None,
    allow_large: bool = False,
) -> InstalledPackage:
    """Download a package named in the index into the staging folder and install it."""
    with staging_area(directory) as area:
        archive = download(entry, area, on_progress)
        pair = language_pair(str(entry.get("from_code")), str(entry.get("to_code")))
        return _install(archive, directory, area, expected_sha256 or index_sha256(entry), pair, warn, allow_large)


def _install(
    archive: Path,
    directory: Path,
    area: Path,
    expected_sha256: str | None,
    expected_pair: str | None,
    warn: Callable[[str], None] | None,
    allow_large: bool,
) -> InstalledPackage:
    sha256 = file_sha256(archive) if archive.is_file() else None
    if expected_sha256 and sha256 != expected_sha256.lower().removeprefix("sha256:"):
        raise PackageError(f"{archive}: sha256 is {sha256}, expected {expected_sha256}")
    contents = inspect_archive(archive, allow_large=allow_large)
    pair = language_pair(contents.metadata["from_code"], contents.metadata["to_code"])
    if expected_pair and pair != expected_pair:
        raise PackageError(f"{archive}: package translates {pair}, not {expected_pair}")
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
    if target.exists() and warn:
        _warn_if_rebuilt(_read_installed(target), str(contents.metadata.get("package_version", "")), sha256, warn)
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
    return _read_installed(target)


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


class PackageIndex:
    """An Argos package index, read once, when a target first needs it."""

    def __init__(self, url: str):
        self.url = url
        self._entries: list[dict] | None = None

    def select(self, target: str) -> dict:
        if self._entries is None:
            self._entries = fetch_index(self.url)
        return select_from_index(self._entries, target)


def is_archive_target(target: str) -> bool:
    """A local .argosmodel file rather than a pair or an argospm code."""
    return Path(target).suffix == ".argosmodel" or Path(target).is_file()


def install_target(
    target: str,
    directory: Path,
    index: PackageIndex,
    *,
    expected_sha256: str | None = None,
    on_download: Callable[[dict], ProgressCallback] | None = None,
    warn: Callable[[str], None] | None = None,
    allow_large: bool = False,
) -> InstalledPackage:
    """Install a local .argosmodel, or the index's package for a pair (``de-en``) or an
    argospm code (``translate-de_en``). ``on_download`` hears the index entry before its
    download and returns the progress callback for it; ``allow_large`` lifts the limits on
    unpacked size and expansion."""
    if is_archive_target(target):
        return install_archive(Path(target), directory, expected_sha256=expected_sha256, warn=warn, allow_large=allow_large)
    entry = index.select(target)
    if warn and not (expected_sha256 or index_sha256(entry)):
        warn(f"{index.url} gives no checksum for {index_code(entry)}: the archive is not verified "
             "(pass --sha256 to check it against a known value)")
    return install_from_index(entry, directory, expected_sha256=expected_sha256, warn=warn, allow_large=allow_large,
                              on_progress=on_download(entry) if on_download else None)


def status(package: InstalledPackage, serving_packages: dict[str, InstalledPackage]) -> str:
    """What a package is to its pair, for `models list`."""
    if package.package_type != TRANSLATE:
        return f"not a translation package (type {package.package_type})"
    if package.problem:
        return f"unusable: {package.problem}"
    serving_package = serving_packages[package.pair]
    text = f"serves {package.pair}" if serving_package.name == package.name else f"shadowed by {serving_package.name}"
    return text + ("; TEST: meaningless output" if package.test_package else "")


def fetch_index(url: str) -> list[dict]:
    try:
        request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
        with urllib.request.urlopen(request, timeout=60) as response:
            data = json.loads(response.read())
    except (OSError, ValueError) as exc:
        raise PackageError(f"cannot read the package index {url}: {exc}") from exc
    if not isinstance(data, list):
        raise PackageError(f"package index {url} is not a list of packages")
    return [entry for entry in data if isinstance(entry, dict)]


def index_code(entry: dict) -> str:
    """The name argospm gives an index entry: ``translate-de_en``."""
    return str(entry.get("code") or f"{entry.get('type') or TRANSLATE}-{entry.get('from_code')}_{entry.get('to_code')}")


def select_from_index(index: list[dict], target: str) -> dict:
    """The newest translate package for a pair (``de-en``) or an argospm code (``translate-de_en``)."""
    from_code, _, to_code = target.partition("-")
    matching = [
        e
        for e in index
        if (e.get("type") or TRANSLATE) == TRANSLATE
        and (index_code(e) == target or (e.get("from_code"), e.get("to_code")) == (from_code, to_code))
    ]
    if not matching:
        raise PackageError(f"the package index has no {target} package")
    return max(matching, key=lambda e: _version_key(str(e.get("package_version", ""))))


def index_sha256(entry: dict) -> str | None:
    """The official index gives no checksum; other indexes may (``sha256`` or ``checksum``)."""
    value = entry.get("sha256") or entry.get("checksum")
    return str(value).removeprefix("sha256:") if value else None


def download(entry: dict, area: Path, on_progress: ProgressCallback | None = None) -> Path:
    """Download a package named in the index into ``area``; tries each link until one works."""
    links = entry.get("links") or []
    if not links:
        raise PackageError(f"index entry {index_code(entry)} has no download link")
    errors = []
    for url in links:
        name = PurePosixPath(urllib.request.urlparse(url).path).name or "package.argosmodel"
        target = area / name
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
