"""The README and the guides: short enough to read, and every relative link leads somewhere."""

from __future__ import annotations

import re

from helpers import REPO

DOCUMENTS = [REPO / "README.md", REPO / "bench" / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_every_relative_link_resolves():
    broken = []
    for document in DOCUMENTS:
        for target in LINK.findall(document.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue  # a web address, or a place on the same page
            if not (document.parent / target.split("#", 1)[0]).exists():
                broken.append(f"{document.relative_to(REPO)}: {target}")
    assert broken == []


def test_the_readme_stays_a_readme():
    assert len((REPO / "README.md").read_text(encoding="utf-8").splitlines()) <= 300
