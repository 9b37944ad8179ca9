"""One writer per window: edits committed strictly in order, off the UI thread, kept through a lost connection.

submit() journals the edit (fsynced) and queues it; the writer thread stores each in ONE
transaction with its receipt (annotator.store.live), then reports what happened through
`notify` (called on the writer thread; the app turns it into a queued Qt signal):

  Committed(ticket, change)   the store has it; `change` carries the rows as they now are
  Refused(tickets, message)   the store refused it (version conflict, rule, role): it and every
                              later queued edit of the same clip are dropped, never written on
                              top of a state the store does not hold
  Waiting(count, reason)      the database cannot be reached (or stays locked): edits wait, the
                              writer retries by itself; `count` edits are waiting
  Saved()                     nothing is left to write

What the journal still holds when the app starts again is replayed first, in order; a replay
whose receipt is in the database was committed already and is skipped (never stored twice).
With background=False the same steps run at once on the caller's thread (scripts, tests).
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from annotator.commands import Change, Command
from annotator.errors import ConflictError, InputError, PermissionDenied, RuleViolation, StoreBusy
from annotator.journal import Journal
from annotator.store.api import StoreAPI
from annotator.store.live import lost_connection
from annotator.versions import VersionBook

REFUSALS = (RuleViolation, ConflictError, PermissionDenied, InputError)
RETRY_S = 1.0  # how long the writer waits before trying an unreachable database again


@dataclass(frozen=True, slots=True)
class Committed:
    """The store committed edit `ticket`."""

    ticket: int
    change: Change
    command: Command
    undo: bool
    reread: bool = False  # committed by an earlier try whose answer was lost: read the clip again


@dataclass(frozen=True, slots=True)
class Refused:
    """The store refused edit tickets[0]; the rest were queued after it on the same clip."""

    tickets: tuple[int, ...]
    clip_id: int
    message: str
    text: str


@dataclass(frozen=True, slots=True)
class Waiting:
    """`count` edits wait for the database (`reason`: "offline" or "busy")."""

    count: int
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class Saved:
    """Every edit is committed."""


Event = Committed | Refused | Waiting | Saved


@dataclass(frozen=True, slots=True)
class _Queued:
    ticket: int
    edit_id: str
    command: Command
    undo: bool
    replayed: bool = False  # from the journal of an earlier run (its commit may have landed)


class EditQueue:
    """Queue, journal and write the edits of one window (see the module's docstring)."""

    def __init__(self, store: StoreAPI, book: VersionBook, notify: Callable[[Event], None],
                 journal: Journal | None = None, background: bool = True, retry_s: float = RETRY_S) -> None:
        self.store = store
        self.book = book
        self.notify = notify
        self.journal = journal
        self.background = background
        self.retry_s = retry_s
        self._tickets = itertools.count(1)
        self._queue: deque[_Queued] = deque()
        self._cond = threading.Condition()
        self._busy = False
        self._closed = False
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(target=self._loop, name="edit-writer", daemon=True)
            self._thread.start()

    def reserve(self) -> int:
        """A ticket for the next submit (the window shows the edit under it first)."""
        return next(self._tickets)

    def submit(self, ticket: int, command: Command, undo: bool = False) -> None:
        """Journal (fsynced) and queue one edit; in the foreground it is stored before this returns."""
        item = _Queued(ticket, uuid.uuid4().hex, command, undo)
        if self.journal is not None:
            self.journal.append(item.edit_id, undo, command)
        self._enqueue(item)

    def replay_journal(self) -> list[int]:
        """Queue what the journal kept from an earlier run (in order); their tickets."""
        if self.journal is None:
            return []
        items = [_Queued(self.reserve(), e.edit_id, e.command, e.undo, replayed=True) for e in self.journal.entries()]
        for item in items:
            self._enqueue(item)
        return [i.ticket for i in items]

    def _enqueue(self, item: _Queued) -> None:
        with self._cond:
            self._queue.append(item)
            self._cond.notify_all()
        if not self.background:
            self._drain_once()

    def waiting(self) -> int:
        """Edits not committed yet."""
        with self._cond:
            return len(self._queue)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until every queued edit is committed or refused (False on timeout)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._queue and not self._busy, timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the writer (what is still queued stays in the journal for the next start)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    # ----- the writer ------------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._closed)
                if self._closed:
                    return
            if not self._drain_once():
                with self._cond:  # the database is away: wait, then try the same edit again
                    self._cond.wait_for(lambda: self._closed, self.retry_s)

    def _drain_once(self) -> bool:
        """Write the queue's head (and on, in the foreground); False when the database cannot be reached."""
        while True:
            with self._cond:
                if not self._queue or self._closed:
                    self._cond.notify_all()
                    return True
                item = self._queue[0]
                self._busy = True
            try:
                ok = self._write(item)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
            if not ok:
                return False
            if self.background:
                with self._cond:
                    if not self._queue:
                        self.notify(Saved())
                return True
            if not self._queue:
                self.notify(Saved())

    def _write(self, item: _Queued) -> bool:
        """Store one edit; True when it is settled (committed or refused), False to retry later."""
        try:
            change, reread = self._store(item)
        except REFUSALS as exc:
            self._refuse(item, str(exc))
            return True
        except StoreBusy as exc:
            self.notify(Waiting(self.waiting(), "busy", str(exc)))
            return False
        except Exception as exc:  # noqa: BLE001 -- the writer never dies: a lost connection waits, the rest refuses
            if lost_connection(exc):
                with self._cond:
                    self._queue[0] = _Queued(item.ticket, item.edit_id, item.command, item.undo, replayed=True)
                self.notify(Waiting(self.waiting(), "offline", str(getattr(exc, "orig", exc)).splitlines()[0]))
                return False
            self._refuse(item, f"{type(exc).__name__}: {exc}")
            return True
        with self._cond:
            self._queue.popleft()
        if self.journal is not None:
            self.journal.remove(item.edit_id)
        self.notify(Committed(item.ticket, change, item.command, item.undo, reread))
        return True

    def _store(self, item: _Queued) -> tuple[Change, bool]:
        """(what the edit changed, whether the clip must be read again to know its rows)."""
        if item.replayed:  # its commit may have landed before the answer was lost
            bound = self.store.edit_recorded(item.edit_id)
            if bound is not None:
                for temp, real in bound.items():
                    self.book.bind(temp, real)
                return Change(item.command.clip_id, bound=tuple(bound.items())), True
        return item.command.run(self.store, self.book, item.undo, item.edit_id), False

    def _refuse(self, item: _Queued, message: str) -> None:
        """Drop the refused edit and every later one of its clip (they were made on top of it)."""
        with self._cond:
            gone = [q for q in self._queue if q.command.clip_id == item.command.clip_id]
            self._queue = deque(q for q in self._queue if q.command.clip_id != item.command.clip_id)
        if self.journal is not None:
            self.journal.remove(*(q.edit_id for q in gone))
        self.notify(Refused(tuple(q.ticket for q in gone), item.command.clip_id, message, item.command.text))
