"""Progress of long commands that fits the Progress protocol: a bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class TerminalProgress:
    """Draws `[#####.....]  50% message` on a TTY. Elsewhere (a log, nohup, a pipe) it prints
    nothing, or with `lines` (long commands) one plain line `50% message` each time the message
    changes, i.e. once per step, flushed at once."""

    def __init__(self, stream: TextIO | None = None, width: int = 30, min_interval: float = 0.1,
                 lines: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.min_interval = min_interval
        self._last = 0.0
        self._shown = False
        self._last_message: str | None = None
        self._tty = _is_tty(self.stream)
        self._lines = lines

    def __call__(self, fraction: float, message: str) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        if not self._tty:
            if self._lines:
                self._line(fraction, message)
            return
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < self.min_interval:
            return
        self._last = now
        filled = int(round(fraction * self.width))
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r[{bar}] {fraction * 100:5.1f}% {message[:60]:<60}")
        self.stream.flush()
        self._shown = True

    def _line(self, fraction: float, message: str) -> None:
        if message == self._last_message:
            return  # the same step again (a finer fraction of it): one line per step
        self._last_message = message
        self.stream.write(f"{fraction * 100:5.1f}% {message}\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except ValueError:  # a closed stream
        return False
