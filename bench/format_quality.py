"""How well each format's reader gives the body as the author wrote it, on test documents
made by real tools from the sample corpus's reports (German, French and English).

Each report becomes a Word file (python-docx: a running header and footer, a heading, its
paragraphs, a soft hyphen in every long word so that lines break inside words), which
LibreOffice prints to PDF and saves as ODT; and a web page, read as HTML (with navigation,
a cookie banner, comments and a footer around the article) and printed to PDF by Chromium
(with its date, title, address and page numbers on every page). For each format:

- body word recall: the share of the body's words found in the blocks (as a multiset);
- words not in the body: layout furniture or boilerplate that leaked into the blocks;
- hyphen joins (PDF): the line ends at a hyphen, and how many were joined as the author
  wrote the word ("Verwaltungs-" "reform", "anti-" "corruption", "Korruptions- und").
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]  # the repository, whose corpus/ holds the sample reports
HEADER, FOOTER = "Provinzbericht 2024 – Landesamt für Verwaltung", "Vertraulich – nur für den Dienstgebrauch"
SOFT_HYPHEN = "\u00ad"
LONG_WORD = 12  # letters: such a word gets a soft hyphen in its middle
_TRAILING = ".,;:!?)"
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass
class Report:
    name: str
    title: str
    paragraphs: list[str]  # as the author wrote them

    @property
    def words(self) -> Counter:
        return Counter(_WORD.findall(" ".join([self.title, *self.paragraphs])))


@dataclass
class Score:
    body_words: int = 0
    found_words: int = 0
    foreign_words: int = 0  # in the blocks but not in the body: furniture or boilerplate leaked
    paragraphs: int = 0
    paragraphs_whole: int = 0  # read as one block, word for word
    hyphen_line_ends: int = 0
    hyphen_joins_right: int = 0
    wrong_joins: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found_words / self.body_words if self.body_words else 1.0

    def row(self) -> str:
        text = (f"recall {self.recall:.4f} of {self.body_words} words; {self.foreign_words} words not in the body; "
                f"{self.paragraphs_whole}/{self.paragraphs} paragraphs whole")
        if self.hyphen_line_ends:
            text += f"; hyphen joins {self.hyphen_joins_right}/{self.hyphen_line_ends} right"
        return text


def reports(repo: Path) -> list[Report]:
    """The sample corpus's reports, each with a title (the set the PDF reader was tuned on)."""
    found = []
    for number, path in enumerate(sorted((repo / "corpus").glob("*.txt")), start=1):
        paragraphs = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        found.append(Report(path.stem, f"Bericht {number}", paragraphs))
    return found


def held_out_reports(repo: Path) -> list[Report]:
    """Reports never used in tuning: the segmentation test cases (short paragraphs full of
    abbreviations, numbers and dates), one report per language."""
    found = []
    for path in sorted((repo / "tests" / "data" / "segmentation").glob("*.txt")):
        cases = path.read_text(encoding="utf-8").split("\n\n")
        paragraphs = [" ".join(case.split("\n")).strip() for case in cases if not case.startswith("#") and case.strip()]
        found.append(Report(f"cases-{path.stem}", f"Fälle {path.stem}", paragraphs))
    return found


def with_soft_hyphens(text: str) -> str:
    """A soft hyphen in the middle of every long word: where a line may break inside it."""
    return re.sub(rf"\b([^\W\d_]{{{LONG_WORD // 2}}})([^\W\d_]{{{LONG_WORD - LONG_WORD // 2},}})\b",
                  lambda m: m[1] + SOFT_HYPHEN + m[2], text)


def make_documents(report: Report, folder: Path) -> dict[str, Path]:
    """The report as DOCX, LibreOffice's PDF and ODT, a web page, and Chromium's PDF of it
    (those needing a missing tool are left out)."""
    import docx

    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = HEADER
    document.sections[0].footer.paragraphs[0].text = FOOTER
    document.add_heading(report.title, level=1)
    for paragraph in report.paragraphs:
        document.add_paragraph(with_soft_hyphens(paragraph))
    made["docx"] = folder / f"{report.name}.docx"
    document.save(made["docx"])
    if shutil.which("soffice"):
        for fmt in ("pdf", "odt"):
            made[f"{fmt} (LibreOffice)" if fmt == "pdf" else fmt] = libreoffice_convert(made["docx"], fmt, folder)
    article = "".join(f"<p>{_escaped(with_soft_hyphens(p))}</p>\n" for p in report.paragraphs)
    made["html"] = folder / f"{report.name}.html"
    made["html"].write_text(_web_page(report.title, article), encoding="utf-8")
    if chromium := shutil.which("chromium"):
        printable = folder / f"{report.name}-print.html"
        printable.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{report.title}</title>"
                             f"<style>body {{ font: 11pt serif; margin: 0 12em 0 0; }}</style></head>"
                             f"<body><h1>{report.title}</h1>\n{article}</body></html>", encoding="utf-8")
        made["pdf (Chromium)"] = folder / f"{report.name}-chromium.pdf"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={made['pdf (Chromium)']}",
                        printable.as_uri()], check=True, capture_output=True, timeout=120)
    return made


def libreoffice_convert(source: Path, fmt: str, folder: Path) -> Path:
    """``source`` converted by LibreOffice into ``folder``. Each process has a LibreOffice
    profile of its own: two conversions sharing one fail."""
    profile = Path(tempfile.gettempdir()) / f"reportmt-libreoffice-{os.getpid()}"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=900)
    return folder / f"{source.stem}.{fmt}"


def score(report: Report, fmt: str, path: Path, into: Score) -> None:
    """Read ``path`` as ``fmt`` and add how it did to ``into``."""
    from reportmt.formats import line_joins, reader

    joins: list[tuple[str, str, str]] = []
    plain_join = line_joins.join

    def watched_join(left: str, right: str, *known) -> str:  # the bench looks at every join the reader makes
        joined = plain_join(left, right, *known)
        joins.append((left, right, joined))
        return joined

    line_joins.join = watched_join
    try:
        blocks = [block.text for block in reader(fmt.split(" ")[0])(path, path.name).blocks]
    finally:
        line_joins.join = plain_join
    body, read = report.words, Counter(_WORD.findall(" ".join(blocks)))
    into.body_words += sum(body.values())
    into.found_words += sum((body & read).values())
    into.foreign_words += sum((read - body).values())
    into.paragraphs += len(report.paragraphs)
    into.paragraphs_whole += sum((Counter(report.paragraphs) & Counter(blocks)).values())
    original = " ".join(report.paragraphs)
    for left, right, joined in joins:
        if left.endswith(("-", "\x00")) and left[-2:-1].isalpha():
            into.hyphen_line_ends += 1
            end, start = left.split(" ")[-1].rstrip("\x00"), right.split(" ")[0].rstrip(_TRAILING)
            wrote = _as_written(end, start, original)
            made = end.rstrip("-") + start if joined == left[:-1] + right else end + start if joined == left + right else f"{end} {start}"
            if made == wrote:
                into.hyphen_joins_right += 1
            else:
                into.wrong_joins.append(f"{end}|{start} -> {made} (wrote {wrote})")


def _as_written(end: str, start: str, original: str) -> str:
    """How the author wrote the word broken after ``end``: whole, with its hyphen, or as a
    hyphenated word followed by another ("Bezirks- und")."""
    for form in (end.rstrip("-") + start, end + start, f"{end} {start}"):
        if form in original:
            return form
    return "?"


def measure(repo: Path, work: Path) -> tuple[list[tuple[str, str]], dict[str, float]]:
    """Each format's figures on the sample corpus (the set the PDF reader was tuned on) and
    on the held-out set."""
    rows, figures = [], {}
    for set_name, chosen in (("sample", reports(repo)), ("held-out", held_out_reports(repo))):
        scores: dict[str, Score] = {}
        for report in chosen:
            for fmt, path in make_documents(report, work / "format-quality" / report.name).items():
                score(report, fmt, path, scores.setdefault(fmt, Score()))
        for fmt, result in scores.items():
            rows.append((f"quality, {set_name} set, {fmt}", result.row()))
            key = re.sub(r"\W+", "_", f"{set_name} {fmt}").strip("_").lower()
            figures[f"{key}_recall"] = round(result.recall, 4)
            figures[f"{key}_foreign_words"] = result.foreign_words
            figures[f"{key}_paragraphs_whole"] = round(result.paragraphs_whole / result.paragraphs, 4)
            if result.hyphen_line_ends:
                figures[f"{key}_hyphen_joins_right"] = result.hyphen_joins_right
                figures[f"{key}_hyphen_joins_wrong"] = result.hyphen_line_ends - result.hyphen_joins_right
    return rows, figures


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _web_page(title: str, article: str) -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            "<nav><a href='/'>Startseite</a> <a href='/politik'>Politik</a> <a href='/wirtschaft'>Wirtschaft</a></nav>"
            "<div class='cookie-banner'>Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten.</div>"
            f"<article><h1>{title}</h1>\n{article}</article>"
            "<section class='comments'><p>Kommentar: Das ist ja interessant, danke für den Bericht!</p></section>"
            "<footer>© 2024 Nachrichtenportal – Impressum – Datenschutz</footer></body></html>")
