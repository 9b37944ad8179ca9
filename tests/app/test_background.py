"""A window's one runner of background work: thread and process work behind the same handle,
pose as a worker-process job that starts after the clip's decode, and nothing left at close."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from annotator.media.decode import decode_into
from annotator.progress import CancelToken, Progress
from app.background import MODEL_SLOT, BackgroundWork
from app.model_loop.process import ProcessRunner, WorkerProcess
from app.model_loop.records import PoseSpec
from app.model_loop.warm import WarmSpare
from app.tasks import TaskHandle, TaskRunner, Work
from inference.pose.cache import cache_path
from tests.app.conftest import shown_window

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from /proc")
WORKER_MS = 180_000  # a worker process imports MediaPipe: generous on a loaded shared machine


def live_children() -> list[tuple[int, bytes]]:
    """(pid, command line) of this process's children that have not exited (zombies left out)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()  # empty for a zombie
        except (OSError, IndexError, ValueError):
            continue
        # multiprocessing's resource tracker lives as long as this interpreter once any earlier test
        # used multiprocessing: not the window's work
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and command and b"resource_tracker" not in command:
            found.append((int(stat.parent.name), command))
    return found


def spin(started: threading.Event, returned: threading.Event) -> Work:
    """Thread work that reports, then runs until cancelled."""

    def work(progress: Progress, cancel: CancelToken) -> None:
        progress(0.5, "half way")
        started.set()
        try:
            while True:
                cancel.check()
                time.sleep(0.01)
        finally:
            returned.set()

    return work


def pose_job(folder: Path, clip: str = "S01_clip_a") -> dict[str, object]:
    return PoseSpec(str(folder), ((clip, str(folder / "media" / f"{clip}.mp4")),)).to_json()


@pytest.mark.slow  # starts worker processes that import MediaPipe
def test_both_executors_give_the_same_handle_with_progress_and_cancel(qtbot: QtBot,
                                                                     app_project: tuple[Path, str]) -> None:
    folder, _ = app_project
    work = BackgroundWork()
    started, returned = threading.Event(), threading.Event()
    on_thread = work.start("spin", spin(started, returned))
    in_process = work.start_process("pose", pose_job(folder))
    assert type(in_process) is WorkerProcess and isinstance(in_process, TaskHandle) and type(on_thread) is TaskHandle
    assert set(work.running()) == {on_thread, in_process}
    for handle in (on_thread, in_process):
        with qtbot.waitSignal(handle.progress, timeout=WORKER_MS) as report:
            pass
        assert 0.0 <= report.args[0] <= 1.0 and isinstance(report.args[1], str)
        with qtbot.waitSignal(handle.cancelled, timeout=WORKER_MS):
            handle.cancel()
        qtbot.waitUntil(lambda: not handle.running, timeout=5000)  # noqa: B023 - waited for here
    assert returned.is_set() and not in_process.alive and work.running() == []
    assert not cache_path(folder, "S01_clip_a").exists()  # the extraction stopped before it finished
    assert work.shutdown(2.0) and live_children() == []


def test_work_that_waits_for_other_work_holds_no_thread_and_ends_when_cancelled(qtbot: QtBot) -> None:
    work = BackgroundWork(max_threads=1)
    started, returned = threading.Event(), threading.Event()
    first = work.start("first", spin(started, returned))
    qtbot.waitUntil(started.is_set, timeout=5000)
    after: list[str] = []
    second = work.start("second", lambda _p, _c: after.append("ran"), after=first)
    qtbot.wait(50)
    assert second.waiting_for is first and after == [] and work.threads.pool.activeThreadCount() == 1
    with qtbot.waitSignal(second.finished, timeout=5000):
        first.cancel()  # however the first ends, the second then starts
    assert after == ["ran"]
    third = work.start("third", lambda _p, _c: after.append("never"), after=work.start("gate", spin(*[threading.Event()] * 2)))
    qtbot.waitUntil(lambda: third.waiting_for is not None, timeout=5000)
    with qtbot.waitSignal(third.ended, timeout=1000):
        third.cancel()  # at once: it holds nothing to stop
    assert work.shutdown(2.0) and after == ["ran"] and work.running() == []


@pytest.mark.slow  # starts worker processes that import MediaPipe
def test_pose_waits_for_the_decode_as_a_dependency_then_runs_in_the_model_worker(
        qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the open clip decodes, its pose extraction is a worker-process job that has not started
    and holds no pool thread; it starts when the decode ends, in the model worker (no other child)."""
    from annotator.media.frame_cache import FrameCache

    folder, _ = app_project
    gate = threading.Event()
    real_decode = decode_into

    def held_decode(cache: FrameCache, progress: Progress, cancel: CancelToken) -> int:
        while not gate.wait(0.01):
            cancel.check()
        return real_decode(cache, progress, cancel)

    monkeypatch.setattr("app.player.player_widget.decode_into", held_decode)
    window = shown_window(qtbot, folder, "ann", tmp_path / "settings.ini", extract_pose=True)
    runner, pose = window.runner, window.pose
    clip = window.store.clip_by_name("S01_clip_a")
    assert clip is not None and clip.id is not None
    window.open_clip_id(clip.id)
    decode = window.player.decoding
    assert decode is not None
    qtbot.waitUntil(lambda: isinstance(pose._task, WorkerProcess), timeout=20_000)  # the cache had nothing
    extraction = pose._task
    assert isinstance(extraction, WorkerProcess)
    pool = runner.threads.pool
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 1, timeout=10_000)  # the decode's: the other is free
    assert extraction.waiting_for is decode and not extraction.launched and pose.computing
    assert live_children() == []  # and no process waits either
    with qtbot.waitSignal(pose.poseReady, timeout=WORKER_MS):
        gate.set()
        qtbot.waitUntil(lambda: extraction.launched, timeout=20_000)
        children = live_children()
        assert [pid for pid, _ in children] == [extraction.process.processId()]
        assert b"app.model_loop.worker" in children[0][1]
    assert pose.track is not None and pose.track.frames > 0 and cache_path(folder, "S01_clip_a").is_file()
    window.close()
    assert live_children() == []


@pytest.mark.slow  # starts worker processes that import MediaPipe
def test_closing_a_window_ends_its_thread_and_process_work(qtbot: QtBot, app_project: tuple[Path, str],
                                                           tmp_path: Path) -> None:
    folder, _ = app_project
    window = shown_window(qtbot, folder, "ann", tmp_path / "settings.ini", extract_pose=True)
    runner = window.runner
    started, returned = threading.Event(), threading.Event()
    thread_work = runner.start("spin", spin(started, returned))
    process_work = runner.start_process("pose", pose_job(folder, "S01_clip_b"))
    waiting = runner.start_process("pose after", pose_job(folder), after=thread_work)
    runner.spare.start()
    qtbot.waitUntil(started.is_set, timeout=5000)
    qtbot.waitUntil(lambda: process_work.alive and runner.spare.pid > 0, timeout=5000)
    assert len(runner.running()) == 3 and len(live_children()) == 2  # the job's worker and the spare
    window.close()
    assert runner.running() == [] and live_children() == []
    assert returned.is_set() and not process_work.alive and not waiting.launched
    qtbot.wait(100)
    assert not any(h.running for h in (thread_work, process_work, waiting))


def test_one_job_runner_per_window(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, _ = app_project
    window = shown_window(qtbot, folder, "ann", tmp_path / "settings.ini", extract_pose=True)
    runner = window.runner
    assert window.findChildren(BackgroundWork) == [runner]
    assert window.findChildren(TaskRunner) == [runner.threads] and window.findChildren(QThreadPool) == [runner.threads.pool]
    assert window.findChildren(ProcessRunner) == [runner.processes]
    assert window.findChildren(WarmSpare) == [runner.spare]
    loop = window.model_loop
    assert loop is not None and loop.work is runner and loop.spare is runner.spare
    assert window.player.runner is runner.threads and window.pose.runner is runner
    # Model jobs, from the Model menu or the Train dialog, share one slot: the second is refused.
    held = runner.start("a model job", spin(threading.Event(), threading.Event()), slot=MODEL_SLOT)
    said: list[str] = []
    loop.message.connect(said.append)
    assert not loop.start({"job": "nope"}, "Another", lambda _r: None)
    assert said == ["a model job is still running (the Train dialog cancels it)"] and loop.job is None
    assert runner.holding(MODEL_SLOT) is held
    window.close()
    assert runner.running() == []
