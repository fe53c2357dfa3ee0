"""An Argos package index (argospm's index.json): reading it, choosing a package, downloading it."""

from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from .installed import TRANSLATE, PackageError, version_key

_USER_AGENT = "reportmt (argos package client)"
_CHUNK = 1 << 16

ProgressCallback = Callable[[int, int | None], None]


class PackageIndex:
    """An Argos package index, read once, when a target first needs it."""

    def __init__(self, url: str):
        self.url = url
        self._entries: list[dict] | None = None

    def select(self, target: str) -> dict:
        if self._entries is None:
            self._entries = fetch_index(self.url)
        return select_from_index(self._entries, target)


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
    return max(matching, key=lambda e: version_key(str(e.get("package_version", ""))))


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
        name = PurePosixPath(urllib.parse.urlparse(url).path).name or "package.argosmodel"
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
