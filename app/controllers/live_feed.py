"""Live team updates: a thread polls the store's change feed and reports the clips others' commits touched.

The feed (annotator.store.live) is PostgreSQL LISTEN/NOTIFY or SQLite PRAGMA data_version,
polled every POLL_S on a thread with its own connection, so the window never waits on it;
`changed` arrives on the UI thread with the clip ids (None: unknown, the connection came
back: re-read what is open). Windows re-read only the clips named.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from annotator.store.api import StoreAPI

POLL_S = 0.5  # well inside the 2 s a teammate's write may take to show


class LiveFeed(QObject):
    """Polls one store's change feed on a thread; `changed` carries a set of clip ids or None."""

    changed = Signal(object)

    def __init__(self, store: StoreAPI, poll_s: float = POLL_S, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.poll_s = poll_s
        self._feed = store.change_feed()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="live-feed", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.poll_s):
            try:
                found = self._feed.poll()
            except Exception:  # noqa: BLE001 -- a feed failure must never take the window down; next poll retries
                found = set()
            if found is None or found:
                self.changed.emit(found)

    def close(self) -> None:
        """Stop polling and release the feed's connection."""
        self._stop.set()
        self._thread.join(5)
        self._feed.close()
