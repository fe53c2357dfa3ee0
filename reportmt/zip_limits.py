"""How far a zip file may unpack: model archives and Word or OpenDocument files are zips,
and a zip bomb (a small file that unpacks to gigabytes) must be refused before it is read."""

from __future__ import annotations

import zipfile
from pathlib import Path

# Weights barely compress and XML about ten times: far more than this is a zip bomb.
MAX_UNPACKED_BYTES = 8 * 1024**3
MAX_EXPANSION = 20
EXPANSION_CHECKED_FROM = 50 * 1024**2  # small files of text may compress more


def unpacking_problem(archive: Path, members: tuple[zipfile.ZipInfo, ...]) -> str | None:
    """Why the archive must not be unpacked (too large, or expanding like a zip bomb), or None."""
    unpacked = sum(m.file_size for m in members)
    packed = max(1, archive.stat().st_size)
    if unpacked > MAX_UNPACKED_BYTES:
        return f"unpacks to {unpacked / 1024**3:.1f} GiB, over the limit of {MAX_UNPACKED_BYTES / 1024**3:.0f} GiB"
    if unpacked >= EXPANSION_CHECKED_FROM and unpacked / packed > MAX_EXPANSION:
        return (f"its {packed / 1024**2:.1f} MiB unpack to {unpacked / 1024**2:.0f} MiB ({unpacked / packed:.0f} times): "
                "refused as a likely zip bomb")
    return None
