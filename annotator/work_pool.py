"""Many clips through a pool of worker processes: `mmad pose`, `mmad predict`, `mmad import-clips`
and the app's background pose all run their per-clip work here (docs/ARCHITECTURE.md, "Whole
datasets").

- **Bounded.** Each worker holds one clip at a time, so at most `workers` clips are in flight
  and only their results wait in memory; a worker is replaced after `tasks_per_child` clips,
  so whatever a native library leaks stays bounded too.
- **A lost worker loses one clip.** The parent knows which clip each worker holds; a worker
  that dies (killed, out of memory, a crash in native code) costs that clip, reported as its
  error, and a fresh worker takes the rest.
- **Stopping keeps what finished.** A cancel or Ctrl+C stops the workers (their clips in
  flight are dropped; work functions write results atomically, so nothing half-written
  stays) and every clip already yielded is the caller's to keep.

Workers are spawned (never forked: the app runs Qt and threads), ignore Ctrl+C (the parent
decides) and turn SIGTERM into SystemExit, so a stopped worker's `finally` blocks still run.
With one worker the work runs in the calling process, with the same outcomes.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from annotator.errors import InputError
from annotator.progress import NEVER, CancelToken, Progress, no_progress

T = TypeVar("T")
R = TypeVar("R")

TASKS_PER_CHILD = 100  # clips before a worker is replaced (about 10 minutes of pose per worker)
POLL_S = 0.1  # how often the parent looks at the cancel token while every worker is busy
STOP_WAIT_S = 3.0  # how long a stopped worker may take to end before it is killed
CLIP_ERRORS: tuple[type[Exception], ...] = (InputError, OSError)  # a bad clip; anything else is a bug


@dataclass(frozen=True, slots=True)
class Outcome(Generic[R]):
    """What became of one clip: its value, or the one-line reason it has none."""

    name: str
    value: R | None = None
    error: str | None = None


class WorkerCrash(RuntimeError):
    """A work function raised something other than a bad clip's error (a bug): the run stops."""


def cores() -> int:
    """CPU cores this process may use (the scheduler's allotment on a cluster node, when it sets one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def run_pool(work: Callable[[T], R], items: Sequence[tuple[str, T]], workers: int = 1, *,
             progress: Progress = no_progress, cancel: CancelToken = NEVER,
             tasks_per_child: int = TASKS_PER_CHILD, niceness: int = 0,
             isolated: bool = False) -> Iterator[Outcome[R]]:
    """Yield an Outcome per (name, item) as each finishes, `work(item)` running in `workers`
    processes (a module-level function: it is pickled by name). A bad clip's InputError or
    OSError becomes its Outcome's error; any other exception stops the run (WorkerCrash).
    Progress reports clips done, clips per minute and the time left. One worker runs the work
    in this process unless `isolated` (the app: its event loop must not wait for the work's
    imports, and `niceness` applies to the worker only)."""
    meter = RateMeter(len(items), progress)
    if not items:
        return
    if not isolated and (workers <= 1 or len(items) <= 1):
        yield from _in_process(work, items, meter, cancel)
    else:
        yield from _in_pool(work, items, max(min(workers, len(items)), 1), meter, cancel, tasks_per_child, niceness)


def _in_process(work: Callable[[T], R], items: Sequence[tuple[str, T]], meter: RateMeter,
                cancel: CancelToken) -> Iterator[Outcome[R]]:
    for name, item in items:
        cancel.check()
        try:
            outcome: Outcome[R] = Outcome(name, work(item))
        except CLIP_ERRORS as exc:
            outcome = Outcome(name, error=str(exc))
        meter.step()
        yield outcome


class RateMeter:
    """Clips done, clips per minute and the time left, as one progress message."""

    def __init__(self, total: int, progress: Progress) -> None:
        self.total, self.progress, self.done = total, progress, 0
        self.started = time.monotonic()
        progress(0.0, f"0/{total} clips")

    def step(self) -> None:
        """One more clip finished (done, failed or lost)."""
        self.done += 1
        elapsed = max(time.monotonic() - self.started, 1e-6)
        per_min = 60.0 * self.done / elapsed
        left = (self.total - self.done) * elapsed / self.done
        self.progress(self.done / max(self.total, 1),
                      f"{self.done}/{self.total} clips, {per_min:.1f} clips/min, {duration_text(left)} left")


def duration_text(seconds: float) -> str:
    """'2 h 05 min', '4 min 10 s' or '12 s'."""
    s = int(round(seconds))
    if s >= 3600:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    if s >= 60:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s} s"


# ------------------------------------------------------------------------------------ the pool

class _Worker:
    """One worker process and the parent's end of its pipe; `current` is the clip it holds."""

    def __init__(self, ctx: Any, work: Callable[[Any], Any], niceness: int) -> None:
        self.conn, child_end = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(target=_serve, args=(child_end, work, niceness), daemon=True)
        self.process.start()
        child_end.close()
        self.current: int | None = None
        self.finished = 0
        self.lost = False  # died holding a clip

    def give(self, index: int, item: Any) -> None:
        """Hand the worker its next clip."""
        self.current = index
        self.conn.send((index, item))

    def outcome(self, items: Sequence[tuple[str, Any]]) -> Outcome[Any] | None:
        """The Outcome of the clip this worker holds once there is one; None while it works."""
        if self.current is None:
            return None
        name = items[self.current][0]
        try:
            if self.conn.poll():
                message = self.conn.recv()
            elif self.process.is_alive() or self.conn.poll():
                return None  # still working (or its last words arrived just now: read next round)
            else:
                message = None
        except (EOFError, OSError):  # the pipe closed: the worker is gone
            message = None
        if message is None:
            self.process.join(STOP_WAIT_S)
            self.lost = True
            return Outcome(name, error=f"worker process stopped (exit code {self.process.exitcode}) "
                                       "while on this clip")
        _index, value, error, crash = message
        if crash is not None:
            raise WorkerCrash(f"{name}: {crash}")
        self.current = None
        self.finished += 1
        return Outcome(name, value, error)

    def stop(self, now: bool) -> None:
        """End the worker: at once (terminate) or when it reads the empty message that ends it."""
        if self.process.is_alive():
            if now:
                self.process.terminate()
            else:
                try:
                    self.conn.send(None)
                except OSError:
                    pass
            self.process.join(STOP_WAIT_S)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        self.conn.close()


def _in_pool(work: Callable[[T], R], items: Sequence[tuple[str, T]], workers: int, meter: RateMeter,
             cancel: CancelToken, tasks_per_child: int, niceness: int) -> Iterator[Outcome[R]]:
    ctx = mp.get_context("spawn")  # never fork a process that may run Qt and threads
    pending = deque(range(len(items)))
    pool = [_Worker(ctx, work, niceness) for _ in range(workers)]
    clean = False
    try:
        while pending or any(w.current is not None for w in pool):
            cancel.check()
            for w in pool:
                if w.current is None and pending:
                    index = pending.popleft()
                    w.give(index, items[index][1])
            busy = [w for w in pool if w.current is not None]
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], POLL_S)
            for k, w in enumerate(pool):
                outcome = w.outcome(items)
                if outcome is None:
                    continue
                if w.lost or w.finished >= tasks_per_child:  # died, or served its share: a fresh one
                    w.stop(now=w.lost)
                    pool[k] = _Worker(ctx, work, niceness)
                meter.step()
                yield outcome
        clean = True
    finally:  # also on cancel, Ctrl+C, a crash or a caller that stopped iterating
        for w in pool:
            w.stop(now=not clean)


def _serve(conn: Connection, work: Callable[[Any], Any], niceness: int) -> None:
    """A worker's loop: (index, item) in, (index, value, clip error, crash) out, until None or EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the parent decides
    signal.signal(signal.SIGTERM, _exit_on_term)
    try:
        _serve_items(conn, work, niceness)
    except SystemExit as stop:  # terminated: the work's `finally` blocks have run on the way here
        # No interpreter teardown: native objects caught half-made (a MediaPipe landmarker) would
        # print tracebacks from their __del__ while the modules are being torn down.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(stop.code if isinstance(stop.code, int) else 1)


def _serve_items(conn: Connection, work: Callable[[Any], Any], niceness: int) -> None:
    if niceness > 0 and hasattr(os, "nice"):
        os.nice(niceness)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if message is None:
            return
        index, item = message
        try:
            conn.send((index, work(item), None, None))
        except CLIP_ERRORS as exc:
            conn.send((index, None, str(exc), None))
        except Exception:  # noqa: BLE001 - a bug: the parent stops the run with its traceback
            conn.send((index, None, None, traceback.format_exc(limit=8)))


def _exit_on_term(_signum: int, _frame: object) -> None:
    sys.exit(128 + signal.SIGTERM)  # SystemExit: `finally` blocks (temporary files) still run
