"""The Qt side of the edit pipeline: one writer per window, its events as a queued signal, the save status.

Both screens' sessions own one EditPipeline: it keeps the open clip's model
(annotator.clip_model), shows each edit at once (its preview), hands it to the writer
(annotator.edit_queue, on its own thread with its own store connection) and turns the
writer's events into `event` on the UI thread, plus a one-line `saveStatus`:
"saving…", "saved", "offline — N edits waiting".
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.clip_model import ClipModel
from annotator.commands import Command
from annotator.edit_queue import Committed, EditQueue, Event, Refused, Saved, Waiting
from annotator.journal import Journal
from annotator.store.api import StoreAPI
from annotator.versions import VersionBook
from app.wording import plural

SAVING, SAVED = "saving…", "saved"


class EditPipeline(QObject):
    """Model + writer + journal of one window."""

    event = Signal(object)  # an annotator.edit_queue event, delivered on the UI thread
    saveStatus = Signal(str)

    def __init__(self, store: StoreAPI, journal: Journal | None = None, background: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.book = VersionBook()
        self.model = ClipModel(self.book)
        self.status = SAVED
        self._raw = _Relay()
        self._raw.arrived.connect(self._on_event)
        # the writer's own connection: the UI thread's reads never share a transaction with it
        writer_store = store.as_user(store.user.name if store.user else None) if background else store
        self._writer_store = writer_store if writer_store is not store else None
        self.queue = EditQueue(writer_store, self.book, self._raw.arrived.emit, journal, background)

    def submit(self, command: Command, undo: bool = False) -> int:
        """Show the edit at once and queue it; its ticket."""
        ticket = self.queue.reserve()
        self.model.preview(ticket, command.preview(self.book, undo))
        self._say(SAVING)
        self.queue.submit(ticket, command, undo)
        return ticket

    def replay_journal(self) -> int:
        """Queue what the journal kept from an earlier run; how many edits."""
        return len(self.queue.replay_journal())

    def wait_saved(self, timeout: float = 30.0) -> bool:
        """Block until the writer has nothing left (scripts, tests, benchmarks)."""
        return self.queue.wait_idle(timeout)

    def close(self) -> None:
        """Stop the writer (edits not committed stay in the journal) and its connection."""
        self.queue.close()
        if self._writer_store is not None:
            self._writer_store.close()

    def _on_event(self, event: Event) -> None:
        if isinstance(event, Committed):
            self.model.committed(event.ticket, event.change)
            waiting = self.queue.waiting()
            self._say(f"{SAVING} ({waiting})" if waiting else SAVED)
        elif isinstance(event, Refused):
            self.model.dropped(set(event.tickets))
        elif isinstance(event, Waiting):
            what = "offline" if event.reason == "offline" else "the database is busy"
            self._say(f"{what} — {plural(event.count, 'edit')} waiting")
        elif isinstance(event, Saved) and not self.queue.waiting():
            self._say(SAVED)
        self.event.emit(event)

    def _say(self, status: str) -> None:
        if status != self.status:
            self.status = status
            self.saveStatus.emit(status)


class _Relay(QObject):
    """Carries writer events across threads (emitted on the writer thread, received on the UI thread)."""

    arrived = Signal(object)
