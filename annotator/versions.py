"""The one memory of versions and ids an edit pipeline keeps: what it wrote, and what its new rows became.

Every write is version-checked (annotator.store.versioned). An undo or a redo must write on
top of the version its own history last wrote (later commands of the same history, since
undone, moved it on) while a write by another desktop still makes it stale: so the version
a command writes with is max(what it saw, what this book recorded). Rows the window shows
before they are stored get a temporary (negative) id; once stored, `bind` maps it to the
real id, so queued and journalled edits naming the temporary id reach the right row.
"""

from __future__ import annotations

import secrets
import threading


class VersionBook:
    """Versions written (per kind and id) and temporary ids bound to stored ones; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._written: dict[tuple[str, int], int] = {}
        self._ids: dict[int, int] = {}

    @staticmethod
    def temp_id() -> int:
        """A fresh temporary id (negative, unique across runs, so a journal replay cannot mix them up)."""
        return -(secrets.randbits(52) + 1)

    def bind(self, temp: int, real: int) -> None:
        """The row shown as `temp` is stored as `real`."""
        if temp < 0:
            with self._lock:
                self._ids[temp] = real

    def real(self, row_id: int) -> int:
        """The stored id of a row (itself when stored; a temporary id not yet bound stays as it is)."""
        with self._lock:
            return self._ids.get(row_id, row_id)

    def bindings(self) -> dict[int, int]:
        """Every temporary id bound so far."""
        with self._lock:
            return dict(self._ids)

    def version(self, kind: str, row_id: int, seen: int) -> int:
        """The version to write `kind` row `row_id` with, having seen version `seen`."""
        with self._lock:
            return max(self._written.get((kind, self._ids.get(row_id, row_id)), seen), seen)

    def snapshot(self) -> tuple[dict[tuple[str, int], int], dict[int, int]]:
        """What the book holds now, to put back if a transaction that wrote in it rolls back."""
        with self._lock:
            return dict(self._written), dict(self._ids)

    def restore(self, saved: tuple[dict[tuple[str, int], int], dict[int, int]]) -> None:
        """Put back a snapshot (what was rolled back was never written)."""
        with self._lock:
            self._written, self._ids = dict(saved[0]), dict(saved[1])

    def wrote(self, kind: str, row_id: int, version: int) -> None:
        """Record the version a committed write left a row at."""
        with self._lock:
            self._written[(kind, row_id)] = version
