"""Errors the domain raises for bad input and refused edits."""

from __future__ import annotations

# The longest a part of an InputError's message may be: a message stays one readable line
# whatever the file holds (a 100,000-character field, a key with line breaks).
PART_LIMITS = {"file": 400, "place": 200, "problem": 600}


def one_line(text: str, limit: int) -> str:
    """`text` as one printable line: line breaks, control and unencodable characters (NUL, lone
    surrogates) escaped as Python writes them, cut to `limit` characters with an ellipsis."""
    if len(text) <= limit and text.isprintable():
        return text
    escaped = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text[:limit])
    if len(text) > limit or len(escaped) > limit:
        escaped = escaped[: limit - 1] + "…"
    return escaped


class InputError(ValueError):
    """Bad input: one clear message naming the file, the place in it and the problem."""

    def __init__(self, file: str, place: str | None, problem: str) -> None:
        self.file = one_line(file, PART_LIMITS["file"])
        self.place = one_line(place, PART_LIMITS["place"]) if place else place
        self.problem = one_line(problem, PART_LIMITS["problem"])
        where = f"{self.file}, {self.place}" if self.place else self.file
        super().__init__(f"{where}: {self.problem}")


class RuleViolation(ValueError):
    """An edit that breaks an annotation rule: too short, out of bounds... (docs/ARCHITECTURE.md)."""


class PermissionDenied(PermissionError):
    """The current user's role does not allow this read or write (checked in the data layer)."""


class ConflictError(RuntimeError):
    """Optimistic-locking conflict: the row changed since it was read (another desktop wrote it)."""


class Cancelled(Exception):
    """Long work stopped because its cancel token was set."""


class StoreBusy(RuntimeError):
    """The project database stayed locked by another program past the busy timeout: nothing was written."""


class DamagedDatabase(InputError):
    """The project's SQLite file is damaged (not a database, or malformed): the message names the
    file and the newest backup to restore (annotator.store.backups)."""
