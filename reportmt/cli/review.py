"""`reportmt review`: the review workspace in a browser."""

from __future__ import annotations

import getpass
import secrets
from pathlib import Path

import click

from .common import err, glossary_option, normalized_option, user_errors


@click.command()
@normalized_option
@glossary_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on; any but loopback needs the token.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option("--reviewer", default=None, help="The name saved with every edit [default: your login name].")
@click.option("--token", default=None, help="Access token off loopback [default: a new random one, printed in the URL].")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="A host name browsers may use to reach the workspace (repeatable; * for any) [default: on loopback "
                   "127.0.0.1, localhost and ::1; otherwise any, the token guarding].")
def review(normalized_dir: Path, glossary: str | None, host: str, port: int, reviewer: str | None, token: str | None,
           allow_hosts: tuple[str, ...]) -> None:
    """Serve the review workspace: read the corpus, correct its English, settle its QA flags (blocks)."""
    import uvicorn

    from ..reader import Corpus
    from ..review import index
    from ..review.app import create_app
    from ..review.security import ANY_HOST, LOOPBACK_HOSTS, is_loopback

    with user_errors():
        corpus = Corpus(normalized_dir)  # say now, not at the first page, that there is no corpus
        if index.indexed_snapshot(normalized_dir) != corpus.snapshot.name:  # whole the first time: a while for a large corpus
            err.print(f"Indexing snapshot {corpus.snapshot.name} for search …", highlight=False)
            index.update(corpus)
    if is_loopback(host):
        allowed = (*LOOPBACK_HOSTS, host, *allow_hosts)
    else:
        token = token or secrets.token_urlsafe(24)
        allowed = (host, *allow_hosts) if allow_hosts else (ANY_HOST,)
    app = create_app(normalized_dir, reviewer=reviewer or getpass.getuser(), token=token, glossary=glossary,
                     allowed_hosts=allowed)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"reportmt review of {normalized_dir.resolve()}: http://{shown}:{port}/" + (f"?token={token}" if token else "")
              + "  (Ctrl+C stops)", highlight=False, soft_wrap=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
