"""Argos Translate model packages, one concern a module: where they live (``settings``),
the installed ones (``installed``), what an archive must be (``archive``), checked and
staged installs (``install``), and the package index (``index``). The names below are the
package's API."""

from .archive import ArchiveContents, inspect_archive
from .index import (
    PackageIndex,
    ProgressCallback,
    download,
    fetch_index,
    index_code,
    index_sha256,
    select_from_index,
)
from .install import (
    InstallOptions,
    install_archive,
    install_from_index,
    install_target,
    is_archive_target,
    remove,
    staging_area,
)
from .installed import (
    INSTALL_RECORD,
    TRANSLATE,
    InstalledPackage,
    PackageError,
    argostranslate_choice,
    find_installed,
    install_command,
    list_installed,
    serving,
    unavailable_reason,
)
from .settings import DEFAULT_INDEX_BASE, argos_setting, index_url, packages_dir

__all__ = [
    "ArchiveContents", "inspect_archive", "PackageIndex", "ProgressCallback", "download", "fetch_index", "index_code",
    "index_sha256", "select_from_index", "InstallOptions", "install_archive", "install_from_index", "install_target",
    "is_archive_target", "remove", "staging_area", "INSTALL_RECORD", "TRANSLATE", "InstalledPackage", "PackageError",
    "argostranslate_choice", "find_installed", "install_command", "list_installed", "serving", "unavailable_reason",
    "DEFAULT_INDEX_BASE", "argos_setting", "index_url", "packages_dir",
]
