"""The layers point one way (docs/architecture.md draws them). Every module of the installed
package is parsed, and every import counts, those inside functions too: an import hidden in
a function ties the layers as surely as one at the top."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
# Where each installed package's files are (pyproject.toml's package-dir).
SOURCES = {"reportmt": REPOSITORY / "reportmt", "reportmt.flows": REPOSITORY / "flows",
           "reportmt.translators": REPOSITORY / "translators"}

PREFECT = ("prefect", "prefect_dask")
# Bottom to top; a layer may import the layers below it and none beside or above it.
LAYERS = {
    "core": (),  # the rest of reportmt, and the translators
    "flows": ("reportmt.flows",),
    "web app": ("reportmt.review",),
    "cli": ("reportmt.cli", "reportmt.__main__"),
}
FORBIDDEN = {
    "core": ("reportmt.flows", "reportmt.review", "reportmt.cli", "reportmt.__main__", *PREFECT),
    "flows": ("reportmt.review", "reportmt.cli", "reportmt.__main__"),
    "web app": ("reportmt.flows", "reportmt.cli", "reportmt.__main__", *PREFECT),
    "cli": (),
}


def _modules() -> Iterator[tuple[str, Path]]:
    for package, root in SOURCES.items():
        for path in sorted(root.rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join([package, *parts]), path


def _layer(module: str) -> str:
    for layer, prefixes in LAYERS.items():
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return layer
    return "core"


def _imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every module `path` imports (relative imports made absolute) and the line, anywhere in it."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # `from . import presence` imports the module reportmt.review.presence
            yield from ((f"{base}.{alias.name}", node.lineno) for alias in node.names)


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


MODULES = list(_modules())


def test_every_layer_has_modules():
    found = {_layer(module) for module, _ in MODULES}
    assert found == set(LAYERS)


@pytest.mark.parametrize("layer", list(LAYERS))
def test_a_layer_imports_nothing_beside_or_above_it(layer):
    crossings = [f"{path.relative_to(REPOSITORY)}:{line} imports {name}"
                 for module, path in MODULES if _layer(module) == layer
                 for name, line in _imports(module, path)
                 if any(_within(name, forbidden) for forbidden in FORBIDDEN[layer])]
    assert not crossings, f"the {layer} layer reaches out of its place:\n" + "\n".join(crossings)


def test_imports_inside_functions_and_relative_ones_are_seen(tmp_path):
    path = tmp_path / "workspace.py"
    path.write_text("import os\n\ndef announce():\n    from ..flows.announce import announcer_for\n"
                    "    from . import presence\n", encoding="utf-8")
    assert list(_imports("reportmt.review.workspace", path)) == [
        ("os", 1), ("reportmt.flows.announce.announcer_for", 4), ("reportmt.review.presence", 5)]
