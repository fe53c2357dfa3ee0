"""Very large reports: streamed in bounded memory, with progress bars on a terminal, nothing lost."""

from __future__ import annotations

import fcntl
import os
import pty
import random
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from helpers import REPO, export_records, reportmt, split_furniture

from reportmt import segment
from reportmt.documents import prepare_document, sentences_to_translate
from reportmt.incremental import ScanResult, SourceFile, plan_run
from reportmt.qa.checks import CHECKS_VERSION
from reportmt.records import SCHEMA_VERSION
from reportmt.sources import MAX_LINE_CHARS, SourceError, inspect_source, iter_lines

SEEDS = REPO / "corpus"
GERMAN_SEED = SEEDS / "003_e4b81f133e3b5870.txt"

# Runs a command and reports the peak resident memory of it and its children.
_MEASURE = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
print(f"\\npeak_rss_kib={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


def german_report(path: Path, size: int, variants: int, seed: int = 0) -> str:
    """A German report of about ``size`` bytes: paragraphs of seed sentences, each sentence
    numbered in one of ``variants`` ways (so the report has 34 x ``variants`` distinct sentences)."""
    seed_lines = GERMAN_SEED.read_text(encoding="utf-8").splitlines()
    title = seed_lines[0]
    body, _ = split_furniture(seed_lines)
    sentences = [s for line in body[1:] for s in segment.split_sentences(line.text, "de") if len(s.split()) > 4 and s.endswith(".")]
    rng = random.Random(seed)
    lines = [title]
    written = len(title)
    while written < size:
        paragraph = " ".join(s[:-1] + f" (Vorgang {rng.randrange(variants)})." for s in rng.sample(sentences, 4))
        lines.append(paragraph)
        written += len(paragraph.encode()) + 1
    text = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (0, 0))  # long settled: not "still being written"
    return text


def run_measured(*args: str, terminal: bool) -> tuple[int, str, float]:
    """The command line with its output, and its peak memory in MiB; on a pseudo-terminal
    (160 columns) when ``terminal``, as a user at a shell sees it."""
    command = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "reportmt", *args]
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "TERM": "xterm-256color"}
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=1800, check=False)
        output, code = done.stdout + done.stderr, done.returncode
    else:
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
        process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env, cwd=REPO)
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 1 << 16)
            except OSError:  # the terminal closes when the command ends
                break
            if not data:
                break
            chunks.append(data)
        code = process.wait(timeout=1800)
        os.close(leader)
        output = b"".join(chunks).decode("utf-8", errors="replace")
    peak = int(re.search(r"peak_rss_kib=(\d+)", output).group(1))
    return code, output, peak / 1024


def _process(tmp_path: Path, models_dir: Path, size: int, variants: int, *, terminal: bool):
    corpus = tmp_path / f"corpus-{size}"
    text = german_report(corpus / "bericht.txt", size, variants)
    out = tmp_path / f"out-{size}"
    code, output, peak = run_measured("run", "--corpus", str(corpus), "--out", str(out), "--models-dir", str(models_dir),
                                      terminal=terminal)
    assert code == 0, output[-3000:]
    return text, out, output, peak


def _check_nothing_lost(text: str, out: Path) -> None:
    records = export_records(out)
    assert [r["seg_index"] for r in records] == list(range(len(records)))
    assert " ".join(r["src_text"] for r in records).split() == text.split()
    assert all(r["mt_text"] and r["src_lang"] == "de" for r in records)
    assert reportmt("corpus", "validate", "--normalized", str(out)).returncode == 0
    assert not (out / "work").exists()  # the run's sentence files are gone


def _check_progress_bars(output: str) -> None:
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)
    for phase in ("Reading reports", "Translating", "Writing records"):
        assert re.search(rf"{phase}\s+[━╸╺]+\s+100%", shown), f"no finished '{phase}' bar"
    for phase in ("Reading reports", "Writing records"):
        assert re.search(rf"{phase}\s+[━╸╺]+\s+[1-9]\d?%", shown), f"the '{phase}' bar never showed partial progress"
    assert "Traceback" not in shown


def _export_peak(out: Path, fmt: str) -> float:
    code, output, peak = run_measured("corpus", "export", "--format", fmt, "--normalized", str(out),
                                      "--out", str(out.with_suffix(f".{fmt}")), terminal=False)
    assert code == 0, output
    return peak


def _check_streamed(tmp_path: Path, models_dir: Path, size: int, variants: int, headroom_mib: float) -> None:
    """A report of ``size`` bytes runs, and exports, in about the memory of a 1 MB one
    (big enough to fill a Parquet row group: what grows with the corpus shows, not that)."""
    _, small_out, _, small_peak = _process(tmp_path, models_dir, 1_000_000, variants, terminal=False)
    text, out, output, large_peak = _process(tmp_path, models_dir, size, variants, terminal=True)
    _check_nothing_lost(text, out)
    _check_progress_bars(output)
    assert large_peak - small_peak < headroom_mib, (small_peak, large_peak)
    for fmt in ("tmx", "parquet"):  # reading the corpus back is streamed too
        small_export, large_export = _export_peak(small_out, fmt), _export_peak(out, fmt)
        assert large_export - small_export < headroom_mib, (fmt, small_export, large_export)


def test_a_large_report_is_streamed_in_bounded_memory_with_progress_bars(tmp_path, models_dir, prefect_api):
    # 3.5 times the text: held whole (sentences, records, about 40 MiB a MB) that would be
    # some 100 MiB more; streamed, it stays within 40.
    _check_streamed(tmp_path, models_dir, 3_500_000, 20, 40)


@pytest.mark.slow
def test_a_50_mb_report(tmp_path, models_dir, prefect_api):
    """The size the issue names, with more distinct sentences than one translation window."""
    _check_streamed(tmp_path, models_dir, 50_000_000, 150, 60)


def test_without_a_terminal_there_are_no_bars(tmp_path, corpus, models_dir, prefect_api):
    result = reportmt("run", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--models-dir", str(models_dir), "--json")
    assert result.returncode == 0, result.stderr
    assert "━" not in result.stderr + result.stdout
    assert result.stdout.startswith("{")


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda path: path.write_text(path.read_text() + "Ein Absatz, der erst jetzt dazukommt.\n"), "changed while it was being read"),
        (lambda path: path.unlink(), "cannot read file"),
    ],
    ids=["appended", "removed"],
)
def test_a_file_that_changes_between_the_two_reads_is_deferred(tmp_path, change, reason):
    path = tmp_path / "bericht.txt"
    path.write_text(GERMAN_SEED.read_text(encoding="utf-8"), encoding="utf-8")
    source = inspect_source(path, "bericht.txt")
    change(path)
    with pytest.raises(SourceError, match=reason) as caught:
        list(iter_lines(source))
    assert caught.value.kind == "deferred" and caught.value.path == "bericht.txt"


def test_a_deferred_file_keeps_its_previous_records():
    entry = {"doc_id": "bericht.txt", "source_sha256": "old", "language": "de", "model": "m@1", "records": 3}
    previous = {"glossary_version": "g1", "schema_version": SCHEMA_VERSION, "checks_version": CHECKS_VERSION,
                "documents": [entry]}
    plan = plan_run(ScanResult(sources=[SourceFile("bericht.txt", Path("bericht.txt"), "new", 10)]), previous, "g1", {"de": "m@1"})
    assert [s.doc_id for s in plan.changed] == ["bericht.txt"] and plan.carry == []
    plan.keep_previous("bericht.txt")  # the read found it changing
    assert plan.carry == [entry]


def test_a_line_with_no_breaks_is_cut_at_spaces_and_nothing_is_lost(tmp_path):
    words = [f"Wort{i}" for i in range(MAX_LINE_CHARS // 4)]  # about 2.4 million characters on one line
    path = tmp_path / "one-line.txt"
    path.write_text("Titel\n" + " ".join(words) + "\nEnde.\n", encoding="utf-8")
    lines = list(iter_lines(inspect_source(path, "one-line.txt")))
    assert [number for number, _ in lines] == [1, 2, 2, 2, 3]
    assert all(len(text) <= MAX_LINE_CHARS for _, text in lines)
    assert " ".join(text for number, text in lines if number == 2).split() == words


def test_long_paragraphs_are_segmented_in_windows_as_if_whole(monkeypatch):
    paragraphs = [line for path in sorted(SEEDS.iterdir()) for line in path.read_text(encoding="utf-8").splitlines() if len(line) > 300]
    paragraph = " ".join(paragraphs)
    whole = segment.split_sentences(paragraph, "en")
    monkeypatch.setattr(segment, "SEGMENT_WINDOW", 1500)
    assert len(paragraph) > 10 * segment.SEGMENT_WINDOW
    assert segment.split_sentences(paragraph, "en") == whole


def test_sentences_to_translate_come_in_windows_of_distinct_sentences(tmp_path):
    text = german_report(tmp_path / "corpus" / "bericht.txt", 150_000, 10)
    doc = prepare_document(tmp_path / "corpus" / "bericht.txt", tmp_path / "corpus", tmp_path / "work")
    all_sentences = [s.text for s in doc.sentences()]
    assert " ".join(all_sentences).split() == text.split()
    windows = list(sentences_to_translate([doc], "de", 100))
    assert all(len(window) == len(set(window)) <= 100 for window, _ in windows)
    assert sum(covered for _, covered in windows) == len(all_sentences)
    assert {t for window, _ in windows for t in window} == set(all_sentences)
    assert len(windows) > 2
