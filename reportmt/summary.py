"""What a run did, for the terminal, `run --json`, and the exit code."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PENDING = 3


@dataclass
class RunSummary:
    documents: list[dict] = field(default_factory=list)  # doc_id, language, records, model
    pending: list[dict] = field(default_factory=list)  # doc_id, language, pair, install_command
    failed: list[dict] = field(default_factory=list)  # file, reason, action
    sentences_translated: int = 0  # sent to the engine in this run
    cache_hits: int = 0  # distinct sentences whose stored engine output was reused
    models: dict[str, str] = field(default_factory=dict)  # pair -> package@version
    test_models: list[str] = field(default_factory=list)  # pairs served by a meaningless test package
    terms: dict = field(default_factory=dict)
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
