"""Progress reporting and cancellation for long pure work (docs/ARCHITECTURE.md, "Threading model")."""

from __future__ import annotations

import threading
from typing import Protocol

from annotator.errors import Cancelled


class Progress(Protocol):
    """Called with a fraction in [0, 1] and a short message."""

    def __call__(self, fraction: float, message: str) -> None: ...


def no_progress(fraction: float, message: str) -> None:
    """A progress callable that ignores every report."""


class CancelToken:
    """Thread-safe flag the UI sets and the worker checks between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel() was called."""
        return self._event.is_set()

    def check(self) -> None:
        """Raise Cancelled if cancel() was called."""
        if self._event.is_set():
            raise Cancelled("cancelled")


NEVER = CancelToken()  # a token nobody cancels, for callers that cannot cancel
