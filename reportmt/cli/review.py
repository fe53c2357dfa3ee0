"""`reportmt review`: the review workspace in a browser; `reportmt reviewers`: who may use it."""

from __future__ import annotations

import getpass
import secrets
from pathlib import Path

import click

from .common import ReportmtGroup, err, fail, glossary_option, normalized_option

USERS_FILE = "reviewers.json"
users_option = click.option("--users", "users_file", type=click.Path(path_type=Path), default=None,
                            help="A reviewers file (`reportmt reviewers add`): each reviewer signs in with a token of "
                                 "their own, and every edit and comment records their name.")
reviewers_file_option = click.option("--users", "users_file", type=click.Path(path_type=Path), default=Path(USERS_FILE),
                                     show_default=True, help="The reviewers file.")


@click.command()
@normalized_option
@glossary_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on; any but loopback needs a token.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="Port to serve on.")
@click.option("--reviewer", default=None, help="With one reviewer: the name saved with every edit [default: your login name].")
@click.option("--token", default=None, help="With one reviewer: the access token off loopback [default: a new random one, "
                                            "printed in the URL].")
@users_option
@click.option("--reviewer-header", default=None, metavar="HEADER",
              help="Take the reviewer's name from this header, set by a trusted reverse proxy that signs reviewers in "
                   "(e.g. X-Forwarded-User). Only on loopback, where nothing but the proxy reaches the workspace.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="A host name browsers may use to reach the workspace (repeatable; * for any, only where tokens "
                   "guard) [default: on loopback 127.0.0.1, localhost and ::1; otherwise any, the token guarding].")
def review(normalized_dir: Path, glossary: str | None, host: str, port: int, reviewer: str | None, token: str | None,
           users_file: Path | None, reviewer_header: str | None, allow_hosts: tuple[str, ...]) -> None:
    """Serve the review workspace: read the corpus, correct its English, settle its QA flags (blocks)."""
    import uvicorn

    from ..flows.announce import announce_save
    from ..reader import Corpus
    from .. import search_index
    from ..review.app import create_app
    from ..review.identities import OneReviewer, ProxyHeader, ReviewerTokens
    from ..review.security import ANY_HOST, LOOPBACK_HOSTS, is_loopback

    if sum(option is not None for option in ((reviewer or token), users_file, reviewer_header)) > 1:
        fail("--reviewer/--token, --users and --reviewer-header are three ways to name reviewers: choose one", 2)
    if reviewer_header and not is_loopback(host):
        fail(f"--reviewer-header trusts whoever can reach {host}: serve on loopback behind the proxy", 2,
             "start it with --host 127.0.0.1 and point the proxy at that port")
    corpus = Corpus(normalized_dir)  # say now, not at the first page, that there is no corpus
    if search_index.indexed_snapshot(normalized_dir) != corpus.snapshot.name:  # whole the first time: a while for a large corpus
        err.print(f"Indexing snapshot {corpus.snapshot.name} for search …", highlight=False)
        search_index.update(corpus)
    if users_file:
        identities, url_token = ReviewerTokens(users_file), "YOUR-TOKEN"
    elif reviewer_header:
        identities, url_token = ProxyHeader(reviewer_header), None
    else:
        token = None if is_loopback(host) else token or secrets.token_urlsafe(24)
        identities, url_token = OneReviewer(reviewer or getpass.getuser(), token), token
    if ANY_HOST in allow_hosts and (reviewer_header or url_token is None):
        fail("--allow-host '*' turns off the check that stops a web page from reaching the workspace under a name "
             "of its own (DNS rebinding), and nothing else guards this workspace: no token", 2,
             "name each host browsers use instead: --allow-host review.example.org")
    if is_loopback(host):
        allowed = (*LOOPBACK_HOSTS, host, *allow_hosts)
    else:
        allowed = (host, *allow_hosts) if allow_hosts else (ANY_HOST,)
    app = create_app(normalized_dir, identities, glossary=glossary, allowed_hosts=allowed, on_save=announce_save)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"reportmt review of {normalized_dir.resolve()}: http://{shown}:{port}/" + (f"?token={url_token}" if url_token else "")
              + ("  (each reviewer with their own token)" if users_file else "") + "  (Ctrl+C stops)",
              highlight=False, soft_wrap=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@click.group(cls=ReportmtGroup)
def reviewers() -> None:
    """Reviewers of `reportmt review --users FILE`, each with a token of their own (stored hashed)."""


@reviewers.command("add")
@click.argument("name")
@reviewers_file_option
def add(name: str, users_file: Path) -> None:
    """Give NAME a new token (replacing any they had) and print it once: only its hash is kept."""
    from ..review.identities import add_reviewer

    token = add_reviewer(users_file, name)
    click.echo(token)
    err.print(f"{name} added to {users_file}. Give them their token; they open the workspace's URL with ?token=<it>. "
              "It is not shown again: `reportmt reviewers add` again makes a new one.", highlight=False, soft_wrap=True)


@reviewers.command("list")
@reviewers_file_option
def list_reviewers(users_file: Path) -> None:
    """The reviewers' names."""
    from ..review.identities import read_users

    for name in sorted(read_users(users_file)):
        click.echo(name)


@reviewers.command("remove")
@click.argument("name")
@reviewers_file_option
def remove(name: str, users_file: Path) -> None:
    """Take NAME's token away (from the next request of a workspace already running)."""
    from ..review.identities import remove_reviewer

    remove_reviewer(users_file, name)
    err.print(f"{name} removed: their token no longer opens the workspace.", highlight=False)
