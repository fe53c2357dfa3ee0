"""The review workspace behind a real reverse proxy (Debian's nginx) that signs reviewers in
with HTTP basic authentication and names them in X-Forwarded-User: the workspace takes
the proxy's name, never one a browser sends."""

from __future__ import annotations

import re
import shutil
import subprocess
import time

import httpx
import pytest
from helpers import free_port, serve_review
from test_review import GERMAN, _first

from reportmt.edits import read_edits

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")

CONFIG = """
daemon off;
master_process off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            auth_basic "reportmt review";
            auth_basic_user_file {folder}/htpasswd;
            proxy_pass http://127.0.0.1:{workspace_port};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-User $remote_user;
        }}
    }}
}}
"""


@pytest.fixture
def proxied(out, tmp_path):
    """`reportmt review --reviewer-header X-Forwarded-User` on loopback, and nginx in front
    of it signing in ana and ben; the proxy's address."""
    workspace, workspace_port = serve_review(out, "--reviewer-header", "X-Forwarded-User")
    folder, port = tmp_path / "nginx", free_port()
    folder.mkdir()
    (folder / "htpasswd").write_text("ana:{PLAIN}ana-secret\nben:{PLAIN}ben-secret\n")
    (folder / "nginx.conf").write_text(CONFIG.format(folder=folder, port=port, workspace_port=workspace_port))
    nginx = subprocess.Popen([NGINX, "-c", str(folder / "nginx.conf"), "-p", str(folder)], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(address, timeout=1)
                break
            except httpx.HTTPError:
                assert nginx.poll() is None and time.monotonic() < deadline, (folder / "error.log").read_text()
                time.sleep(0.1)
        yield address
    finally:
        for process in (nginx, workspace):
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.skipif(NGINX is None, reason="Debian's nginx is not installed (.ci/run installs it)")
def test_behind_a_real_proxy_the_signed_in_user_is_the_reviewer_and_a_forged_name_is_not(out, proxied):
    assert httpx.get(proxied).status_code == 401  # nobody reaches the workspace unsigned
    assert httpx.get(proxied, auth=("ben", "guess")).status_code == 401

    ana = httpx.Client(base_url=proxied, auth=("ana", "ana-secret"))
    page = ana.get(f"/documents/{GERMAN}", headers={"x-forwarded-user": "ben"})  # a browser's own header is replaced
    assert page.status_code == 200 and "Reviewing as <strong>ana</strong>" in page.text

    record = _first(out)
    form_key = re.search(r'name="form_key" value="([^"]+)"', page.text).group(1)
    form = {"form_key": form_key, "doc_id": record["doc_id"], "en_text": "Ana's English, through the proxy.",
            "expected": record["en_text"], "action": "save"}
    saved = ana.post(f"/records/{record['record_id']}", data=form,
                     headers={"origin": proxied, "accept": "application/json", "x-forwarded-user": "ben"})
    assert saved.status_code == 200 and saved.json()["reviewer"] == "ana"
    foreign = ana.post(f"/records/{record['record_id']}", data={**form, "expected": form["en_text"], "en_text": "x"},
                       headers={"origin": "http://evil.example", "accept": "application/json"})
    assert foreign.status_code == 403  # the proxy passes the page's origin; another site's is refused behind it too
    assert [(edit.reviewer, edit.en_after) for edit in read_edits(out)] == [("ana", "Ana's English, through the proxy.")]
