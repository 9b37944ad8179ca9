"""The process executor: jobs in worker processes (`python -m app.model_loop.worker`), seen
from the window as TaskHandles.

The window never imports torch or MediaPipe: the job goes to a JSON file, the worker's protocol
lines come back on its stdout and turn into the handle's signals on the UI thread; cancel is a
line on the worker's stdin (killed if it does not stop within a few seconds). Exactly one of
finished / failed / cancelled follows every start; a worker that dies (killed, crashed) is a
failure with a message that says so. Given a WarmSpare, a job goes to its prewarmed worker
(torch already imported) when one is alive; one that dies before it accepted the job is
replaced by a cold start, so the job sees no difference but the time.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from app.i18n import tr
from app.model_loop import protocol
from app.model_loop.warm import WarmSpare, worker_process
from app.tasks import Executor, TaskHandle

KILL_AFTER_MS = 5000  # a cancelled worker that has not stopped by then is killed
log = logging.getLogger(__name__)


class WorkerFailed(Exception):
    """A worker-process job failed; the message is one line for the status bar."""


class WorkerProcess(TaskHandle):
    """One job in a child process: the TaskHandle signals (finished carries the job's result as
    plain data, failed a WorkerFailed), epochs, cancel and kill."""

    epoch = Signal(dict)

    def __init__(self, job: dict[str, Any], name: str, parent: QObject | None = None,
                 spare: WarmSpare | None = None) -> None:
        super().__init__(name, parent)
        self.job = job
        self._buffer = b""
        self._outcome: str | None = None
        self._result: dict[str, Any] = {}
        self._error = ""
        self._stderr = b""
        self._cancel_asked = False
        self.spare = spare
        self.warm = False  # the job went to a prewarmed worker
        self.disposable = False  # nothing is lost when it is killed (pose: the cache is written atomically)
        self._accepted = True  # a prewarmed worker has read the job (a cold one has it from the start)
        fd, name = tempfile.mkstemp(prefix="mmad-job-", suffix=".json")
        os.close(fd)  # written by name below; an open descriptor per job would leak
        self._file = Path(name)
        self._file.write_text(json.dumps(job), "utf-8")
        self.process = self._attach(worker_process([str(self._file)], self))

    @property
    def alive(self) -> bool:
        """Whether the worker process has started and not exited."""
        return self.process.state() != QProcess.ProcessState.NotRunning

    def start(self) -> None:
        """Start the job now (ProcessRunner.start starts it, or after its dependency)."""
        self.start_after(None, self._launch)

    def _launch(self) -> None:
        """Hand the job to the spare's prewarmed worker if one is alive, else start a worker."""
        warm = self.spare.take() if self.spare is not None else None
        if warm is None:
            self.process.start()
            return
        self.process.deleteLater()  # the cold one, never started
        warm.setParent(self)
        self.process, self.warm, self._accepted = self._attach(warm), True, False
        warm.write(f"{self._file}\n".encode())
        self._read()  # what it wrote before it was taken and the spare had not read yet

    def _attach(self, process: QProcess) -> QProcess:
        process.readyReadStandardOutput.connect(self._read)
        process.readyReadStandardError.connect(self._read_err)
        process.finished.connect(self._on_exit)
        process.errorOccurred.connect(self._on_error)
        return process

    def _start_cold(self) -> None:
        """The prewarmed worker died before it accepted the job: run it in a fresh worker."""
        log.info("%s: the prewarmed model worker ended before it accepted the job; starting a new one", self.name)
        self.process.blockSignals(True)  # its exit is handled: nothing more from it
        self.process.deleteLater()
        self._buffer, self._stderr, self.warm, self._accepted = b"", b"", False, True
        self.process = self._attach(worker_process([str(self._file)], self))
        self.process.start()

    def _request_cancel(self) -> None:
        """Ask the worker to stop at its next check (killed if it does not within a few seconds)."""
        if not self.alive or self._cancel_asked:
            return
        self._cancel_asked = True
        self.process.write(f"{protocol.CANCEL}\n".encode())
        QTimer.singleShot(KILL_AFTER_MS, self, self._kill_if_running)

    def _end_unstarted(self) -> None:
        self._file.unlink(missing_ok=True)
        super()._end_unstarted()

    def cancel_and_wait(self, timeout_s: float = 2.0) -> bool:
        """Cancel, wait up to `timeout_s` for the worker to exit, then kill it; True when it exited
        within the time (the kill is always waited for)."""
        self.cancel()
        if not self.launched or self.wait(int(timeout_s * 1000)):
            return True
        self.kill()
        self.wait(2000)
        return False

    def kill(self) -> None:
        """Stop the worker now (what a crash looks like to the window)."""
        if self.alive:
            self.process.kill()

    def wait(self, ms: int) -> bool:
        """Block until the worker exits (for closing the window); True when it did."""
        return bool(self.process.waitForFinished(ms)) or not self.alive

    def _kill_if_running(self) -> None:
        if self.alive:
            self.process.kill()

    def _read(self) -> None:
        self._buffer += bytes(self.process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            message = protocol.decode(raw.decode("utf-8", "replace"))
            if message is not None:
                self._handle(message)

    def _read_err(self) -> None:
        self._stderr = (self._stderr + bytes(self.process.readAllStandardError().data()))[-4000:]

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message["kind"]
        if kind == protocol.PROGRESS:
            self.fraction, self.message = float(message["fraction"]), str(message["message"])
            self.progress.emit(self.fraction, self.message)
        elif kind == protocol.EPOCH:
            self.epoch.emit(dict(message["record"]))
        elif kind == protocol.RESULT:
            self._outcome, self._result = kind, dict(message["data"])
        elif kind == protocol.ERROR:
            self._outcome, self._error = kind, str(message["message"])
        elif kind == protocol.CANCELLED:
            self._outcome = kind
        elif kind == protocol.ACCEPTED:
            self._accepted = True

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._outcome, self._error = protocol.ERROR, f"the model worker did not start ({self.process.errorString()})"
            self._end()

    def _on_exit(self, code: int, status: QProcess.ExitStatus) -> None:
        self._read()
        if self._outcome is None and not self._accepted and not self._cancel_asked:
            self._start_cold()
            return
        if self._outcome is None:
            how = "was killed" if status == QProcess.ExitStatus.CrashExit else f"exited with status {code}"
            tail = self._stderr.decode("utf-8", "replace").strip().splitlines()[-1:] if self._stderr else []
            self._outcome = protocol.CANCELLED if self._cancel_asked else protocol.ERROR
            self._error = f"the model worker {how} before it finished" + (f" ({tail[0]})" if tail else "")
        self._end()

    def _end(self) -> None:
        self._stopped.set()
        self._file.unlink(missing_ok=True)
        if self.spare is not None:
            self.spare.start_later()  # a fresh spare for the next job (none once the window closed)
        if self._outcome == protocol.RESULT:
            self.finished.emit(self._result)
        elif self._outcome == protocol.CANCELLED:
            self.cancelled.emit()
        else:
            self.failed.emit(WorkerFailed(tr("Model", "{name} failed: {error}").format(name=self.name, error=self._error)))
        self.ended.emit()


class ProcessRunner(Executor):
    """A window's process executor: starts worker-process jobs, keeps their handles and the
    prewarmed spare the next job takes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spare = WarmSpare(self)  # started by warm_up_later, once the window is shown

    def start(self, name: str, job: dict[str, Any], after: TaskHandle | None = None,
              warm: bool = True) -> WorkerProcess:
        """Run a job (a record's JSON) in a worker process, now or once `after` has ended; its handle.
        warm=False leaves the prewarmed spare to the next job (for work no one waits for)."""
        worker = WorkerProcess(job, name, self, self.spare if warm else None)
        self._register(worker)
        worker.start_after(after, worker._launch)
        return worker

    def jobs(self) -> list[WorkerProcess]:
        """The worker processes of jobs that have not ended."""
        return [h for h in self.running() if isinstance(h, WorkerProcess)]

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Stop the spare, cancel every job and wait for its worker to exit, killing the ones still
        running at the deadline; True when all stopped by themselves in time."""
        self.spare.stop()  # first: a job that ends below must not start a new spare
        jobs = self.jobs()
        for worker in jobs:
            worker.cancel()
            if worker.disposable:  # a cold worker sees no cancel before its imports end (0.5-3 s)
                worker.kill()
        deadline = time.monotonic() + timeout_ms / 1000
        clean = True
        for worker in jobs:
            if worker.launched and not worker.wait(max(0, int(1000 * (deadline - time.monotonic())))):
                clean = False
                worker.kill()
                worker.wait(2000)
        return clean
