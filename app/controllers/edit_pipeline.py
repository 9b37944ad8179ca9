"""The Qt side of the edit pipeline: one writer per window, its events as a queued signal, the save status.

Both screens' sessions own one EditPipeline: it keeps the open clip's model
(annotator.clip_model), shows each edit at once (its preview), hands it to the writer
(annotator.edit_queue, on its own thread with its own store connection) and turns the
writer's events into `event` on the UI thread, plus a one-line `saveStatus`:
"saving…", "saved", "offline — N edits waiting".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from annotator.clip_model import ClipModel
from annotator.commands import Change, Command
from annotator.edit_queue import Committed, EditQueue, Event, Refused, Saved, Waiting
from annotator.journal import Journal
from annotator.progress import CancelToken, Progress
from annotator.store.api import StoreAPI
from annotator.versions import VersionBook
from app.i18n import mark, tr
from app.tasks import TaskHandle, TaskRunner
from app.wording import plural

SAVING, SAVED = mark("Window", "saving…"), mark("Window", "saved")  # translated when said

LIVE_READ = "live read"


class EditPipeline(QObject):
    """Model + writer + journal of one window."""

    edited = Signal(object)  # an annotator.edit_queue event, delivered on the UI thread
    saveStatus = Signal(str)
    viewRead = Signal(object)  # what read_in_background read, on the UI thread

    def __init__(self, store: StoreAPI, journal: Journal | None = None, background: bool = False,
                 parent: QObject | None = None, threads: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.book = VersionBook()
        self.model = ClipModel(self.book)
        self.status = tr("Window", SAVED)
        self.store = store
        self._raw = _Relay()
        self._raw.arrived.connect(self._on_event)
        self._writer_store: StoreAPI | None = None
        self._reader: StoreAPI | None = None
        # the window's thread executor when it has one (one runner per window); a read starts after
        # the one before it ends, as they share the reader's connection, holding no thread meanwhile
        self.reads = threads if threads is not None else TaskRunner(max_threads=1, parent=self)
        self._own_reads = threads is None
        self._last_read: TaskHandle | None = None
        self.queue = EditQueue(self._own_store() if background else store, self.book, self._raw.arrived.emit,
                               journal, background)

    def _own_store(self) -> StoreAPI:
        """A connection of the writer's own: the UI thread's reads never share a transaction with it."""
        if self._writer_store is None:
            self._writer_store = self.store.for_writer()
        return self._writer_store

    def go_background(self, journal: Journal | None) -> int:
        """From now on write on a thread of its own, journalled; queue what the journal kept from an
        earlier run first. How many edits it kept."""
        self.queue.close()
        self.queue = EditQueue(self._own_store(), self.book, self._raw.arrived.emit, journal, background=True)
        self._reader = self.store.for_thread()
        return len(self.queue.replay_journal())

    def read_in_background(self, read: Callable[[StoreAPI], object]) -> None:
        """Run `read` on the pipeline's task thread with a connection of its own; `viewRead` brings its
        result to the UI thread (a live update never makes the window wait). In the foreground: read now."""
        reader = self._reader
        if reader is None:
            self.viewRead.emit(read(self.store))
            return

        def work(_progress: Progress, _cancel: CancelToken) -> Any:
            try:
                return read(reader)
            except Exception:  # noqa: BLE001 -- offline or busy: the next change or open reads again
                return None

        last = self._last_read if self._last_read is not None and self._last_read.running else None
        handle = self.reads.start(LIVE_READ, work, after=last)
        handle.finished.connect(self._on_view_read)
        self._last_read = handle

    def _on_view_read(self, found: object) -> None:
        if found is not None:  # None: nothing to show (a write such as note_opened, or a read that failed)
            self.viewRead.emit(found)

    def wait_reads(self, timeout_s: float = 30.0) -> bool:
        """Block until the background reads are done and delivered (tests, benchmarks)."""
        deadline = time.monotonic() + timeout_s
        QCoreApplication.processEvents()  # a read starts on the next turn of the event loop (TaskRunner.start)
        while self._last_read is not None and self._last_read.running and time.monotonic() < deadline:
            QCoreApplication.processEvents()  # the reads run in order; the last one ends last
            time.sleep(0.002)
        QCoreApplication.processEvents()  # its result, queued to the UI thread
        return self._last_read is None or not self._last_read.running

    def submit(self, ticket: int, command: Command, undo: bool, preview: Change) -> None:
        """Show the edit at once (its preview) and queue it under `ticket` (from queue.reserve())."""
        self.model.preview(ticket, preview)
        self._say(tr("Window", SAVING))
        self.queue.submit(ticket, command, undo)

    def replay_journal(self) -> int:
        """Queue what the journal kept from an earlier run; how many edits."""
        return len(self.queue.replay_journal())

    def wait_saved(self, timeout: float = 30.0) -> bool:
        """Block until the writer has nothing left, then deliver its outcome to the screen
        (scripts, tests, benchmarks, and a last chance at close)."""
        done = self.queue.wait_idle(timeout)
        QCoreApplication.processEvents()  # the writer's queued signals: committed, refused
        return done

    def close(self) -> None:
        """Stop the writer (edits not committed stay in the journal), the reads and their connections."""
        self.queue.close()
        if self._own_reads:
            self.reads.shutdown(3000)
        else:  # the window's runner: end this pipeline's reads before their connection closes
            for handle in [h for h in self.reads.running() if h.name == LIVE_READ]:
                handle.cancel_and_wait(3.0)
        for opened in (self._writer_store, self._reader):
            if opened is not None:
                opened.close()
        self._writer_store = self._reader = None

    def _on_event(self, event: Event) -> None:
        if isinstance(event, Committed):
            self.model.committed(event.ticket, event.change)
            waiting = self.queue.waiting()
            self._say(f"{tr('Window', SAVING)} ({waiting})" if waiting else tr("Window", SAVED))
        elif isinstance(event, Refused):
            self.model.dropped(set(event.tickets))
        elif isinstance(event, Waiting):
            edits = plural(event.count, "edit")
            self._say(tr("Window", "offline — {edits} waiting").format(edits=edits) if event.reason == "offline"
                      else tr("Window", "the database is busy — {edits} waiting").format(edits=edits))
        elif isinstance(event, Saved) and not self.queue.waiting():
            self._say(tr("Window", SAVED))
        self.edited.emit(event)

    def _say(self, status: str) -> None:
        if status != self.status:
            self.status = status
            self.saveStatus.emit(status)


class _Relay(QObject):
    """Carries writer events across threads (emitted on the writer thread, received on the UI thread)."""

    arrived = Signal(object)
