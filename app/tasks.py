"""Background work's one handle, and the thread executor: pure `work(progress, cancel)` functions on a QThreadPool.

`TaskHandle` is what every piece of background work looks like from the window, whether it runs
on a pool thread (this module) or in a worker process (app.model_loop.process): progress,
exactly one of finished / failed / cancelled, then ended, all delivered on the UI thread, and
`cancel()`, whose transport (a CancelToken checked by the work, or a line on the worker's stdin)
the handle hides. A handle may wait for another one (`after`): it starts when that one has
ended, so nothing is parked waiting. app.background holds both executors of a window.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from annotator.errors import Cancelled
from annotator.progress import CancelToken, Progress

Work = Callable[[Progress, CancelToken], Any]
PROGRESS_INTERVAL_S = 0.03  # throttle: the UI needs ~30 updates/s at most
log = logging.getLogger(__name__)


class TaskHandle(QObject):
    """The UI-side face of one piece of background work; its signals arrive on the UI thread."""

    progress = Signal(float, str)
    finished = Signal(object)  # the work's return value
    failed = Signal(object)  # the exception it raised (str() is the one line to show)
    cancelled = Signal()
    ended = Signal()  # after any of the three above

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.token = CancelToken()
        self.running = True  # until `ended`: waiting for a dependency, queued or at work
        self.waiting_for: TaskHandle | None = None  # the work this one starts after
        self.launched = False  # handed to its executor (a pool thread, a worker process)
        self.slot: str | None = None  # work of one slot runs one at a time (BackgroundWork.holding)
        self._lock = threading.Lock()
        self._began = False
        self._stopped = threading.Event()
        self.fraction = 0.0
        self.message = ""
        self.ended.connect(self._mark_ended)

    def cancel(self) -> None:
        """Ask the work to stop at its next check; work not started yet (queued, or waiting for
        another) ends at once, cancelled."""
        self.token.cancel()
        if not self.launched:
            if self.running:
                self.waiting_for = None
                self._end_unstarted()
            return
        self._request_cancel()

    def _request_cancel(self) -> None:
        """The executor's cancel transport (threads: the token, which the work checks)."""

    def _end_unstarted(self) -> None:
        """Report the cancellation of work that never started."""
        self._stopped.set()
        self.cancelled.emit()
        self.ended.emit()

    def start_after(self, after: TaskHandle | None, launch: Callable[[], None]) -> None:
        """Call `launch` now, or once `after` has ended however it ended (a dependency: no
        thread is parked waiting for it); never when this handle was cancelled meanwhile."""
        ref = weakref.ref(self)

        def go() -> None:
            handle = ref()
            if handle is not None and handle.running and not handle.launched:
                handle.waiting_for, handle.launched = None, True
                launch()

        if after is None or not after.active:
            go()
            return
        self.waiting_for = after
        after.ended.connect(go)
        if not after.active:  # it returned meanwhile: its `ended` may have been sent before the connection
            go()

    def _begin(self) -> bool:
        """Called by the worker: False when cancelled before it began (the work is skipped)."""
        with self._lock:
            if self.token.cancelled:
                self._stopped.set()
                return False
            self._began = True
            return True

    def cancel_and_wait(self, timeout_s: float = 2.0) -> bool:
        """Cancel, then block until the work has returned (True) or the timeout passed (False).

        Work that has not begun yet never will, so this returns at once; otherwise it waits
        for the worker's next cancel check (one frame or so for a decoder).
        """
        if not self.launched:
            self.cancel()
            return True
        with self._lock:
            self.token.cancel()
            if not self._began:
                return True
        return self._stopped.wait(timeout_s)

    @property
    def active(self) -> bool:
        """Whether the work has not returned yet (`running` turns False only once `ended`
        has reached the UI thread)."""
        return self.running and not self._stopped.is_set()

    def _mark_ended(self) -> None:
        self.running = False


class _Runnable(QRunnable):
    def __init__(self, handle: TaskHandle, work: Work) -> None:
        super().__init__()
        self.handle = handle
        self.work = work
        self._last = 0.0
        self._reported = False

    def _progress(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        # The first report always goes through (e.g. "first frame decoded"), then throttle.
        if self._reported and fraction < 1.0 and now - self._last < PROGRESS_INTERVAL_S:
            return
        self._reported, self._last = True, now
        self.handle.fraction, self.handle.message = fraction, message
        self.handle.progress.emit(fraction, message)

    def run(self) -> None:
        handle = self.handle
        if not handle._begin():
            handle.cancelled.emit()
            handle.ended.emit()
            return
        try:
            result = self.work(self._progress, handle.token)
        except Cancelled:
            handle._stopped.set()
            handle.cancelled.emit()
        except Exception as exc:  # noqa: BLE001 - the UI shows every failure as a message
            # The UI shows only the message; the log keeps the traceback to diagnose it later.
            log.error("background task %r failed", handle.name, exc_info=exc)
            handle._stopped.set()
            handle.failed.emit(exc)
        else:
            handle._stopped.set()
            handle.finished.emit(result)
        handle.ended.emit()


class Executor(QObject):
    """What a window's executors share (TaskRunner here, the model loop's ProcessRunner): the handles
    of their work not ended yet, each forgotten once it ends."""

    started = Signal(object)  # TaskHandle

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handles: list[TaskHandle] = []

    def _register(self, handle: TaskHandle) -> None:
        """Keep the handle until its work has ended."""
        self.handles.append(handle)
        # A weak reference: a slot holding the handle itself would be a cycle through Qt's
        # connection list that Python cannot collect, and each ended task would stay in memory
        # with everything its slots captured (a decoded clip's cache, for one).
        ref = weakref.ref(handle)
        handle.ended.connect(lambda: self._forget(ref()))
        self.started.emit(handle)

    def _forget(self, handle: TaskHandle | None) -> None:
        if handle is None:
            return
        if handle in self.handles:
            self.handles.remove(handle)
        # Let Python free it (and what its slots captured) once unused, but only after the
        # other slots of `ended` (queued behind this one) have run: freeing it now would drop them.
        QTimer.singleShot(0, self, lambda h=handle: h.setParent(None))

    def running(self) -> list[TaskHandle]:
        """Handles of work that has not ended."""
        return [h for h in self.handles if h.running]


class TaskRunner(Executor):
    """Starts tasks on a thread pool and keeps the handles of the running ones."""

    def __init__(self, max_threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)

    def start(self, name: str, work: Work, after: TaskHandle | None = None) -> TaskHandle:
        """Run `work(progress, cancel)` on a pool thread and return its handle; with `after`, only
        once that work has ended.

        The work begins when control returns to the event loop, so signals connected
        right after start() never miss an early report or a quick result.
        """
        handle = TaskHandle(name, self)
        runnable = _Runnable(handle, work)
        runnable.setAutoDelete(True)
        self._register(handle)
        pool = self.pool
        QTimer.singleShot(0, self, lambda: handle.start_after(after, lambda: pool.start(runnable)))
        return handle

    def cancel_all(self) -> None:
        """Cancel every running task."""
        for handle in self.running():
            handle.cancel()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel everything and wait for the workers; True when all stopped in time."""
        self.cancel_all()  # work not started yet ends here and then
        return bool(self.pool.waitForDone(timeout_ms))
