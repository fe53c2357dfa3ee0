"""A file the run could not turn into records: which kind of trouble, why, and what to do.

A snapshot's info lists them in four lists (``UnreadKind.info_key``). A pending file is
stored as corpora have always had it, named ``doc_id`` with its language, pair and install
command; the others are stored named ``file`` with their kind and action. Both shapes are
read and written here only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .errors import MalformedData
from .shapes import checked


class UnreadKind(StrEnum):
    PENDING = "pending"  # no model serves its language pair yet
    FAILED = "failed"  # cannot be used as it is
    DEFERRED = "deferred"  # still being written, or changed while read: the next run reads it
    DUPLICATE = "duplicate"  # the same content is in the corpus under another name

    @property
    def info_key(self) -> str:
        """The list of a snapshot's info that holds files of this kind."""
        return "duplicates" if self is UnreadKind.DUPLICATE else self.value


_STORED = {"file": (str,), "kind": (str,), "reason": (str,), "action": (str,)}
_STORED_PENDING = {"doc_id": (str,), "language": (str,), "pair": (str,), "reason": (str, type(None)),
                   "install_command": (str,)}


@dataclass(frozen=True)
class UnreadFile:
    """``action``: what the user can do (for a pending file, the command that installs the
    model). ``language`` and ``pair``: a pending file's; ``reason`` is None only in a pending
    item written before pending files had one."""

    file: str
    reason: str | None
    action: str
    kind: UnreadKind = UnreadKind.FAILED
    language: str | None = None
    pair: str | None = None

    @classmethod
    def pending(cls, doc_id: str, language: str, pair: str, reason: str, install_command: str) -> UnreadFile:
        return cls(doc_id, reason, install_command, UnreadKind.PENDING, language, pair)

    def to_json(self) -> dict[str, Any]:
        """As a snapshot's info lists it."""
        if self.kind is not UnreadKind.PENDING:
            return {"file": self.file, "kind": self.kind.value, "reason": self.reason, "action": self.action}
        data = {"doc_id": self.file, "language": self.language, "pair": self.pair, "reason": self.reason,
                "install_command": self.action}
        return data if self.reason is not None else {key: value for key, value in data.items() if key != "reason"}

    @classmethod
    def from_json(cls, data: object, listed_as: UnreadKind) -> UnreadFile:
        """An item of the info's list of ``listed_as`` files, whose shape that list decides;
        MalformedData naming what it lacks."""
        if listed_as is UnreadKind.PENDING:
            values = checked(data, "pending file", _STORED_PENDING, {"reason": None})
            return cls.pending(values["doc_id"], values["language"], values["pair"], values["reason"],
                               values["install_command"])
        values = checked(data, "unread file", _STORED)
        try:
            kind = UnreadKind(values["kind"])
        except ValueError as exc:
            raise MalformedData(f"unread file: unknown kind {values['kind']!r}") from exc
        return cls(values["file"], values["reason"], values["action"], kind)

    def report(self) -> dict[str, str]:
        """Its entry in failures.json: every kind named ``file``, with a reason and an action."""
        reason = self.reason or f"no {self.pair} model is installed"
        return {"file": self.file, "kind": self.kind.value, "reason": reason, "action": self.action}
