"""The installed packages: one folder each in the package folder, which reportmt serves
each language pair, and which argostranslate would."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from reportmt.errors import ReportmtError
from reportmt.languages import language_pair

from ..tokenizers import TOKENIZER_FILES

INSTALL_RECORD = ".reportmt-install.json"
TRANSLATE = "translate"  # the package type that serves a language pair (the default when absent)


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


def install_command(pair: str) -> str:
    return f"reportmt models install {pair}"


def version_key(version: str) -> tuple:
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
            packages.append(read_installed(path))
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
        if current is None or (version_key(package.version), package.name) > (version_key(current.version), current.name):
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


def read_installed(path: Path) -> InstalledPackage:
    metadata = parse_metadata((path / "metadata.json").read_bytes(), str(path / "metadata.json"))
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
        problem=missing_parts({p.name for p in path.iterdir()}, (path / "model").is_dir() and (path / "model" / "model.bin").is_file()),
    )


def missing_parts(names: set[str], has_model: bool) -> str | None:
    if not has_model:
        return "it has no CTranslate2 model (model/model.bin)"
    if not names.intersection(TOKENIZER_FILES):
        return f"it has no tokenizer ({' or '.join(TOKENIZER_FILES)})"
    return None


def parse_metadata(raw: bytes, where: str) -> dict:
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
