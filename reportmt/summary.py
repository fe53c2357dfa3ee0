"""What a run did, for the terminal, `run --json`, the Prefect artifact, and the exit code."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .incremental import RunPlan
from .snapshot_info import SnapshotInfo

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PENDING = 3


@dataclass
class RunSummary:
    scope: str = "all"  # "all": every file was looked at; "changes": only those noted as changed (and deferred)
    documents: list[dict] = field(default_factory=list)  # doc_id, language, records, model, status: the files looked at
    new: int = 0  # documents written for the first time
    changed: int = 0  # documents whose source file changed
    unchanged: int = 0  # documents whose source file is as before (carried, re-normalized or re-translated)
    removed: list[str] = field(default_factory=list)  # doc_ids whose file is gone; their records were dropped
    pending: list[dict] = field(default_factory=list)  # doc_id, language, pair, reason, install_command
    failed: list[dict] = field(default_factory=list)  # file, reason, action
    deferred: list[dict] = field(default_factory=list)  # still being written, or changed while read: read by the next run
    duplicates: list[dict] = field(default_factory=list)  # same content as a file kept under another name
    sentences_translated: int = 0  # sent to the engine in this run
    cache_hits: int = 0  # distinct sentences per translation window whose stored engine output was reused
    records_renormalized: int = 0  # records of unchanged documents rebuilt for a new glossary
    models: dict[str, str] = field(default_factory=dict)  # pair -> package@version
    test_models: list[str] = field(default_factory=list)  # pairs served by a meaningless test package
    stale_edits: list[dict] = field(default_factory=list)  # human edits whose source or engine output changed: not applied
    terms: dict = field(default_factory=dict)  # per entry: occurrences, replaced variants (this run's work)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        if self.failed:
            return EXIT_FAILED
        if self.pending:
            return EXIT_PENDING
        return EXIT_OK

    def as_dict(self) -> dict:
        return {**asdict(self), "exit_code": self.exit_code}

    def counts_line(self) -> str:
        return (
            ("" if self.scope == "all" else "files noted as changed: ")
            + f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged, {len(self.removed)} removed; "
            f"{self.sentences_translated} sentences translated, {self.cache_hits} from the translation cache, "
            f"{self.records_renormalized} records re-normalized; {self.seconds:.1f}s"
        )


def build_summary(
    *,
    scope: str = "all",
    info: SnapshotInfo,
    documents: list[dict],
    plan: RunPlan,
    written: list[str],
    sentences_translated: int,
    cache_hits: int,
    records_renormalized: int,
    test_models: list[str],
    terms: dict,
    seconds: float,
    stale_edits: list[dict] | None = None,
) -> RunSummary:
    """What a run did, from the info and document entries it committed and its plan;
    ``written``: the doc_ids whose records were made from their source file in this run."""
    status = {s.doc_id: "new" for s in plan.new} | {s.doc_id: "changed" for s in plan.changed}
    written_status = [status.get(doc_id) for doc_id in written]
    return RunSummary(
        scope=scope,
        documents=[
            {**{k: d[k] for k in ("doc_id", "language", "records", "model")}, "status": status.get(d["doc_id"], "unchanged")}
            for d in sorted(documents, key=lambda d: d["doc_id"])
        ],
        new=written_status.count("new"),
        changed=written_status.count("changed"),
        unchanged=plan.unchanged,
        removed=[e["doc_id"] for e in plan.removed],
        # as the info stores them: `run --json` and the Prefect artifact print these
        pending=[item.to_json() for item in info.pending],
        failed=[item.to_json() for item in info.failed],
        deferred=[item.to_json() for item in info.deferred],
        duplicates=[item.to_json() for item in info.duplicates],
        sentences_translated=sentences_translated,
        cache_hits=cache_hits,
        records_renormalized=records_renormalized,
        models=info.models,
        test_models=test_models,
        terms=terms,
        seconds=round(seconds, 3),
        stale_edits=stale_edits or [],
    )


def summary_sections(summary: RunSummary) -> list[tuple[str, list[str]]]:
    """The run's lists, each line saying what happened and what to do: the one wording of
    the summary, drawn by the terminal and by the Prefect artifact."""
    sections = [
        ("Pending", [f"{p['doc_id']}: {p['reason']}; install a model with: {p['install_command']}" for p in summary.pending]),
        ("Failed", [f"{f['file']}: {f['reason']}; {f['action']}" for f in summary.failed]),
        ("Deferred", [f"{f['file']}: {f['reason']}; {f['action']}" for f in summary.deferred]),
        ("Duplicates", [f"{f['file']}: {f['reason']}; {f['action']}" for f in summary.duplicates]),
        ("Removed", [f"{doc_id}: removed from the corpus; its records were dropped" for doc_id in summary.removed]),
        ("Stale edits", [f"{e['doc_id']} record {e['record_id']}: the edit by {e['reviewer']} ({e['en_after']!r}) was made against "
                         "a source sentence or engine output that has changed; it is kept, not applied: look at it again"
                         for e in summary.stale_edits]),
        ("Test packages (meaningless output)",
         [f"{pair} used a TEST package with random weights; its output is meaningless" for pair in summary.test_models]),
    ]
    return [(title, lines) for title, lines in sections if lines]


def summary_markdown(summary: RunSummary) -> str:
    """The run summary and term statistics as a Prefect markdown artifact."""
    lines = [
        "# reportmt run",
        "",
        "| documents | new | changed | unchanged | removed | pending | failed | translated | cache hits | re-normalized | seconds |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {len(summary.documents)} | {summary.new} | {summary.changed} | {summary.unchanged} | {len(summary.removed)} "
        f"| {len(summary.pending)} | {len(summary.failed)} | {summary.sentences_translated} | {summary.cache_hits} "
        f"| {summary.records_renormalized} | {summary.seconds} |",
    ]
    for title, rows in summary_sections(summary):
        lines += ["", f"## {title}", *(f"- {row}" for row in rows)]
    if summary.terms:
        lines += ["", "## Glossary terms", "", "| term | occurrences | variants replaced |", "|---|---|---|"]
        for entry_id, stats in summary.terms.items():
            replaced = ", ".join(f"{v} ({n})" for v, n in stats["replaced"].items()) or "-"
            lines.append(f"| {entry_id} | {stats['occurrences']} | {replaced} |")
    return "\n".join(lines) + "\n"
