"""Event-loop lateness: how late a 10 ms timer fires while the UI thread should be free."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 10


class LatenessProbe(QObject):
    """Start it, let the event loop run, stop it; `late_ms` holds each tick's delay past 10 ms."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.late_ms: list[float] = []
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Begin timing."""
        self._last = time.perf_counter()
        self._timer.start(INTERVAL_MS)

    def stop(self) -> None:
        """Stop timing."""
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late_ms.append(1000 * (now - self._last) - INTERVAL_MS)
        self._last = now
