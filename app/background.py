"""A window's one runner of background work: a thread executor and a process executor behind one handle.

- Threads (app.tasks.TaskRunner, two pool threads): light pure work `work(progress, cancel)`
  that imports nothing heavy: decoding a clip, thumbnails, a merge, an export, reading a cache.
- Processes (app.model_loop.process.ProcessRunner): work that imports torch or MediaPipe
  (propose, train, pose extraction) runs in a worker process, prewarmed when possible
  (app.model_loop.warm), so the window's event loop never waits for those imports.

Both return a TaskHandle (progress, finished / failed / cancelled, ended, cancel()). Work may
depend on other work (`after`): it starts once that has ended, so no thread waits. Work of one
`slot` runs one at a time (the model jobs share "model"). `running()` lists everything not
ended, and `shutdown()` (the window's close) cancels it all and waits, in bounded time, for the
threads and the worker processes, killing a worker that does not stop; no process is left.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from app.model_loop.process import ProcessRunner, WorkerProcess
from app.model_loop.warm import WarmSpare
from app.tasks import TaskHandle, TaskRunner, Work

MODEL_SLOT = "model"  # propose and train: one model job per window at a time


class BackgroundWork(QObject):
    """The window's thread executor, process executor and registry of running work."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.threads = TaskRunner(max_threads, self)
        self.processes = ProcessRunner(self)

    @property
    def spare(self) -> WarmSpare:
        """The prewarmed worker the next process job takes."""
        return self.processes.spare

    def start(self, name: str, work: Work, after: TaskHandle | None = None, slot: str | None = None) -> TaskHandle:
        """Run light pure work on a pool thread (once `after` has ended, if given); its handle."""
        handle = self.threads.start(name, work, after)
        handle.slot = slot
        return handle

    def start_process(self, name: str, job: dict[str, Any], after: TaskHandle | None = None,
                      slot: str | None = None, warm: bool = True, disposable: bool = False) -> WorkerProcess:
        """Run a job record's JSON in a worker process (once `after` has ended, if given; in the
        prewarmed spare unless warm=False); its handle. A disposable job is killed at shutdown
        rather than waited for (its work is lost, never half-stored)."""
        handle = self.processes.start(name, job, after, warm)
        handle.slot, handle.disposable = slot, disposable
        return handle

    def holding(self, slot: str) -> TaskHandle | None:
        """The running work of `slot`, if any (the caller then starts no other)."""
        return next((h for h in self.running() if h.slot == slot), None)

    def running(self) -> list[TaskHandle]:
        """Every piece of work not returned: queued, waiting for another, or at work."""
        return [h for h in (*self.threads.running(), *self.processes.running()) if h.active]

    def warm_up_later(self) -> None:
        """Start a prewarmed worker in a moment, so that the first process job skips the imports."""
        self.spare.start_later()

    def shutdown(self, timeout_s: float = 3.0) -> bool:
        """Cancel all work, wait for it (at most about `timeout_s` for each executor; a worker
        still running then is killed) and start no more; True when everything stopped in time."""
        self.spare.stop()
        for handle in self.running():  # all first: work waiting for a job must not start when it ends
            handle.cancel()
        processes = self.processes.shutdown(int(timeout_s * 1000))
        threads = self.threads.shutdown(int(timeout_s * 1000))
        return processes and threads
