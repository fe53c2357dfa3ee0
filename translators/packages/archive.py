"""Everything that must hold of a .argosmodel before a byte of it is extracted: one
top-level folder, no path out of it, metadata, a model and a tokenizer, no damage, and no
zip bomb."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from reportmt.zip_limits import unpacking_problem

from .installed import TRANSLATE, PackageError, missing_parts, parse_metadata


@dataclass(frozen=True)
class ArchiveContents:
    folder: str
    metadata: dict
    members: tuple[zipfile.ZipInfo, ...]


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
            metadata = parse_metadata(zf.read(f"{folder}/metadata.json"), str(archive))
            package_type = metadata.get("type") or TRANSLATE
            if package_type != TRANSLATE:
                raise PackageError(f"{archive}: a '{package_type}' package, not a translation package (type '{TRANSLATE}')")
            inside = {name.removeprefix(f"{folder}/") for name in names}
            problem = missing_parts(inside, "model/model.bin" in inside)
            if problem:
                raise PackageError(f"{archive}: {problem.replace('it has', 'package has')}")
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise PackageError(f"{archive}: archive is damaged or truncated ({exc})") from exc
    return ArchiveContents(folder=folder, metadata=metadata, members=members)


def _check_expansion(archive: Path, members: tuple[zipfile.ZipInfo, ...]) -> None:
    problem = unpacking_problem(archive, members)
    if problem:
        raise PackageError(f"{archive}: {problem}; if you trust it and it is genuinely that large, install it with --allow-large")
