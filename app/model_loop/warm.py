"""A prewarmed model worker: one idle `worker --warm` process, so that a job skips torch's import.

The window starts it a moment after it is shown (`ModelLoop.warm_up_later`); it imports at the
lowest priority, so the window and its start clip go first. The next job (propose or train)
takes it if it is alive (`WorkerProcess.start`), and a fresh one starts once that job ended.
A spare that died costs nothing but the cold start the job would have had anyway: the job
starts cold, also when the spare dies after it was taken but before it accepted the job.
The window stops it when it closes (it holds no work, so it is killed); if the window's
process dies instead, the spare ends by itself at the end of its input.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from app.model_loop import protocol
from app.quitting import ends_with_window

START_AFTER_MS = 2000  # after the window is shown, or a job ended: the window's own work goes first
STOP_WAIT_MS = 2000
log = logging.getLogger(__name__)
_KILLED: list[QProcess] = []  # spares killed as the process ends, kept from Qt's waiting destructor


def worker_process(arguments: list[str], parent: QObject) -> QProcess:
    """An unstarted `python -m app.model_loop.worker ARGUMENTS` process."""
    process = QProcess(parent)
    process.setProgram(sys.executable)
    process.setArguments(["-m", "app.model_loop.worker", *arguments])
    return process


class WarmSpare(QObject):
    """At most one idle prewarmed worker process, handed to the next job that asks."""

    ready = Signal()  # the spare has imported everything and waits for a job

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process: QProcess | None = None
        self.is_ready = False
        self.stopped = False
        self._buffer = b""

    @property
    def pid(self) -> int:
        """The spare's process id (0 when there is none)."""
        return int(self.process.processId()) if self.process is not None else 0

    def start(self) -> None:
        """Start a spare unless one is alive or the spare was stopped (the window closed)."""
        if self.stopped or self.process is not None:
            return
        process = worker_process(["--warm"], self)
        process.readyReadStandardOutput.connect(self._read)
        process.finished.connect(self._exited)
        process.errorOccurred.connect(self._error)
        self.process, self.is_ready, self._buffer = process, False, b""
        process.start()

    def start_later(self, ms: int = START_AFTER_MS) -> None:
        """Start a spare after `ms` (the window, or the job that just ended, goes first)."""
        QTimer.singleShot(ms, self, self.start)

    def take(self) -> QProcess | None:
        """The spare's process for a job (its signals are the caller's from now on), or None."""
        process = self._detach()
        if process is not None and process.state() == QProcess.ProcessState.NotRunning:
            process.deleteLater()  # it died and the window has not heard yet
            return None
        return process

    def stop(self) -> None:
        """Kill the spare and start no other (the window closes)."""
        self.stopped = True
        process = self._detach()
        if process is not None:
            process.kill()
            if ends_with_window():  # the window's process ends now: no wait for the kill (0.2-0.3 s)
                process.setParent(None)  # a QProcess destroyed while running would wait for it
                _KILLED.append(process)
                return
            process.waitForFinished(STOP_WAIT_MS)
            process.deleteLater()

    def _detach(self) -> QProcess | None:
        process, self.process, self.is_ready = self.process, None, False
        if process is not None:
            process.readyReadStandardOutput.disconnect(self._read)
            process.finished.disconnect(self._exited)
            process.errorOccurred.disconnect(self._error)
        return process

    def _read(self) -> None:
        if self.process is None:
            return
        self._buffer += bytes(self.process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            message = protocol.decode(raw.decode("utf-8", "replace"))
            if message is not None and message["kind"] == protocol.READY and not self.is_ready:
                self.is_ready = True
                self.ready.emit()

    def _exited(self, code: int, _status: QProcess.ExitStatus) -> None:
        process = self._detach()
        if process is not None:  # not restarted here: a spare that keeps failing would loop
            tail = bytes(process.readAllStandardError().data()).decode("utf-8", "replace").strip().splitlines()[-1:]
            log.warning("the prewarmed model worker ended before use (status %s)%s", code,
                        f": {tail[0]}" if tail else "")
            process.deleteLater()

    def _error(self, error: QProcess.ProcessError) -> None:
        if error != QProcess.ProcessError.FailedToStart:
            return
        process = self._detach()
        if process is not None:
            log.warning("the prewarmed model worker did not start (%s)", process.errorString())
            process.deleteLater()
