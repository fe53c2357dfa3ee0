"""Where packages live and which index is read: found the way argostranslate finds them
(``ARGOS_PACKAGES_DIR`` and ``ARGOS_PACKAGE_INDEX``, from the environment or from
argostranslate's ``settings.json``), so the two tools share installs."""

from __future__ import annotations

import json
import os
from pathlib import Path

DEFAULT_INDEX_BASE = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"


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
