"""`reportmt models`: install, list, remove and build Argos packages."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..summary import EXIT_USAGE
from .common import ReportmtGroup, corpus_option, err, fail, models_dir_option, out, user_errors, warn
from .render import download_bar, print_packages


@click.group(cls=ReportmtGroup)
def models() -> None:
    """Install, list, remove and build Argos translation packages."""


@models.command("install")
@click.argument("targets", nargs=-1, required=True)
@models_dir_option
@click.option("--sha256", "expected_sha256", help="Expected sha256 of the archive (one target only).")
@click.option("--index-url", default=None,
              help="Argos package index (index.json) [default: $ARGOS_PACKAGE_INDEX + index.json, else the official argospm index].")
@click.option("--allow-large", is_flag=True,
              help="Install an archive over the limits (8 GiB unpacked, or expanding over 20 times), if you trust it.")
@click.option("--skip-installed", is_flag=True,
              help="Leave out a pair (de-en) that an installed package already serves: nothing is downloaded for it.")
def install(targets: tuple[str, ...], models_dir: Path | None, expected_sha256: str | None, index_url: str | None,
            allow_large: bool, skip_installed: bool) -> None:
    """Install packages: a pair such as de-en or an argospm code such as translate-de_en
    (downloaded from the index), or a local .argosmodel file."""
    from ..translators import packages as pk

    if expected_sha256 and len(targets) > 1:
        fail("--sha256 checks one archive: give one target", EXIT_USAGE)
    directory = pk.packages_dir(models_dir)
    index = pk.PackageIndex(pk.index_url(index_url))
    if skip_installed:
        served = pk.serving(pk.list_installed(directory))
        for target in [t for t in targets if t in served]:
            out.print(f"{target} is served by {served[target].model} (sha256 {served[target].archive_sha256}): "
                      "left as it is", highlight=False, soft_wrap=True)
        targets = tuple(t for t in targets if t not in served)
    for target in targets:
        with user_errors(prefix="nothing was installed: "):
            bars = []

            def on_download(entry: dict):
                bar, callback = download_bar(f"{pk.index_code(entry)} {entry.get('package_version', '')}")
                bar.start()
                bars.append(bar)
                return callback

            try:
                options = pk.InstallOptions(expected_sha256=expected_sha256, warn=warn, allow_large=allow_large)
                installed = pk.install_target(target, directory, index, options, on_download)
            finally:
                for bar in bars:
                    bar.stop()
        out.print(f"installed {installed.pair}: {installed.model} (sha256 {installed.archive_sha256}) in {installed.path}",
                  highlight=False, soft_wrap=True)
        if installed.test_package:
            warn("this is a TEST package with random weights; its output is meaningless.")


@models.command("list")
@models_dir_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per package on stdout.")
def list_packages(models_dir: Path | None, as_json: bool) -> None:
    """Installed packages: pair, version, archive sha256, and which one serves each pair."""
    from ..translators import packages as pk

    directory = pk.packages_dir(models_dir)
    installed = pk.list_installed(directory)
    used = pk.serving(installed)
    argos_used = pk.argostranslate_choice(directory, installed)
    if as_json:
        for package in installed:
            click.echo(json.dumps({
                "pair": package.pair, "package": package.name, "version": package.version, "path": str(package.path),
                "sha256": package.archive_sha256, "type": package.package_type, "status": _status(package, used),
                "serves": used.get(package.pair) == package, "argostranslate_uses": argos_used.get(package.pair) == package,
                "test_package": package.test_package,
            }))
        return
    if not installed:
        err.print(f"no packages in {directory}; install one with `reportmt models install de-en`", highlight=False)
        return
    print_packages(str(directory), [(p.pair, p.name, p.version, p.archive_sha256 or "unknown", _status(p, used)) for p in installed])
    for pair, package in sorted(argos_used.items()):
        ours = used.get(pair)
        if ours is not None and ours.name != package.name:
            warn(f"for {pair} argostranslate uses {package.name} (the first it finds) and reportmt uses {ours.name}; "
                 "remove the one you do not want with `reportmt models remove PACKAGE`")


@models.command("remove")
@click.argument("target")
@models_dir_option
def remove(target: str, models_dir: Path | None) -> None:
    """Remove an installed package by folder name, or every package of a pair (de-en)."""
    from ..translators import packages as pk

    removed = pk.remove(pk.packages_dir(models_dir), target)
    for package in removed:
        out.print(f"removed {package.pair}: {package.model} ({package.path})", highlight=False, soft_wrap=True)


@models.command("make-tiny")
@click.argument("pair")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .argosmodel file to write.")
@corpus_option()
@click.option("--tokenizer", type=click.Choice(["sentencepiece", "bpe"]), default="sentencepiece", show_default=True,
              help="sentencepiece.model, or Moses + subword-nmt bpe.model (as converted OPUS-MT packages).")
def make_tiny(pair: str, out_file: Path, corpus_dir: Path, tokenizer: str) -> None:
    """Build a tiny Argos-format TEST package offline (random weights: meaningless output)."""
    from ..documents import discover_sources
    from ..translators.tiny import WARNING, build_tiny_package

    lines = (line for path in discover_sources(corpus_dir) for line in path.read_text(errors="replace").splitlines())
    try:
        build_tiny_package(pair, lines, out_file, tokenizer=tokenizer)
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    out.print(f"wrote {out_file}", highlight=False)
    warn(WARNING)


def _status(package, serving_packages: dict) -> str:
    """What a package is to its pair, as `models list` words it."""
    from ..translators.packages import TRANSLATE

    if package.package_type != TRANSLATE:
        return f"not a translation package (type {package.package_type})"
    if package.problem:
        return f"unusable: {package.problem}"
    serving_package = serving_packages[package.pair]
    text = f"serves {package.pair}" if serving_package.name == package.name else f"shadowed by {serving_package.name}"
    return text + ("; TEST: meaningless output" if package.test_package else "")
