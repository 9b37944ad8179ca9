"""Background task runner: results, failures and cancellation arrive on the UI thread."""

import threading
import time

from pytestqt.qtbot import QtBot

from annotator.progress import CancelToken, Progress
from app.tasks import TaskRunner


def test_result_and_progress_arrive_on_the_ui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    main = threading.get_ident()
    seen: list[tuple[float, int]] = []

    def work(progress: Progress, cancel: CancelToken) -> int:
        progress(0.5, "half")
        return threading.get_ident()

    handle = runner.start("t", work)
    handle.progress.connect(lambda f, _m: seen.append((f, threading.get_ident())))
    with qtbot.waitSignal(handle.finished, timeout=5000) as result:
        pass
    assert result.args[0] != main  # the work ran on a worker thread
    qtbot.waitUntil(lambda: not handle.running)
    assert seen and all(tid == main for _, tid in seen)
    assert runner.running() == []


def test_failure_is_reported_not_raised(qtbot: QtBot) -> None:
    runner = TaskRunner()

    def work(progress: Progress, cancel: CancelToken) -> None:
        raise ValueError("broken input")

    handle = runner.start("t", work)
    with qtbot.waitSignal(handle.failed, timeout=5000) as failed:
        pass
    assert isinstance(failed.args[0], ValueError)


def test_cancel_stops_the_work(qtbot: QtBot) -> None:
    runner = TaskRunner()

    def work(progress: Progress, cancel: CancelToken) -> None:
        for _ in range(500):
            cancel.check()
            time.sleep(0.01)

    handle = runner.start("t", work)
    with qtbot.waitSignal(handle.cancelled, timeout=5000):
        handle.cancel()
    assert runner.shutdown(2000)


def test_an_ended_task_and_what_its_slots_captured_are_freed(qtbot: QtBot) -> None:
    import gc
    import weakref

    class Payload:  # stands for a decoded clip's frame cache
        pass

    runner = TaskRunner()
    payload = Payload()
    handle = runner.start("t", lambda _p, _c: 1)
    handle.finished.connect(lambda _r, kept=payload: None)
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    handle_ref, payload_ref = weakref.ref(handle), weakref.ref(payload)
    del handle, payload

    def freed() -> bool:
        gc.collect()
        return handle_ref() is None and payload_ref() is None

    # the ended task's queued signals must be delivered first: on a loaded machine that takes
    # more than a fixed few milliseconds
    qtbot.waitUntil(freed, timeout=20000)


def test_slots_on_ended_run_even_when_nobody_keeps_the_handle(qtbot: QtBot) -> None:
    runner = TaskRunner()
    calls: list[str] = []
    handle = runner.start("t", lambda _p, _c: 1)
    handle.ended.connect(lambda: calls.append("ended"))  # e.g. free a cache once the worker stopped
    del handle
    qtbot.waitUntil(lambda: calls == ["ended"], timeout=5000)
