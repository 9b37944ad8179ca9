"""Quitting ends the process at once, after flushing what is buffered."""

import io
import logging
import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.quitting import exit_now
from tests.app.conftest import shown_window


def test_exit_now_flushes_then_ends_with_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logger = logging.getLogger("mmad.test_quitting")
    logger.addHandler(handler)
    flushed: list[bool] = []
    monkeypatch.setattr(handler, "flush", lambda: flushed.append(True))
    ended: list[int] = []

    def fake_exit(code: int) -> None:
        ended.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", fake_exit)
    logger.warning("last words")
    with pytest.raises(SystemExit):
        exit_now(3)
    logger.removeHandler(handler)
    assert ended == [3] and flushed and "last words" in buffer.getvalue()


def test_a_window_whose_process_ends_does_not_wait_for_what_it_stops(
        qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Quit took 0.3-3 s: the close waited for the killed prewarmed worker and for a pose child's teardown."""
    from PySide6.QtCore import QProcess

    import app.quitting as quitting
    from app.model_loop import warm
    from app.tasks import TaskRunner
    from app.window_common import ENDING_TASK_WAIT_MS

    class Spare(QProcess):
        waited: list[int] = []

        def waitForFinished(self, msecs: int = 30000) -> bool:  # noqa: N802
            Spare.waited.append(msecs)
            return bool(super().waitForFinished(msecs))

    folder, user = app_project
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    assert w.model_loop is not None
    spare = w.model_loop.spare
    process = Spare(spare)
    process.setProgram("sleep")
    process.setArguments(["30"])
    process.start()
    assert process.waitForStarted(5000)
    spare.process = process
    for signal, slot in ((process.readyReadStandardOutput, spare._read), (process.finished, spare._exited),
                         (process.errorOccurred, spare._error)):
        signal.connect(slot)
    waits: list[int] = []
    real_shutdown = TaskRunner.shutdown
    def shutdown(self: TaskRunner, ms: int = 5000) -> bool:
        waits.append(ms)
        return real_shutdown(self, ms)

    monkeypatch.setattr(TaskRunner, "shutdown", shutdown)
    monkeypatch.setattr(quitting, "_ends_with_window", True)  # as app.launch.main says
    w.close()
    assert Spare.waited == [] and process in warm._KILLED and process.parent() is None  # killed, not waited for
    assert waits == [ENDING_TASK_WAIT_MS]  # long enough for a pose task to terminate its child, no more
    process.waitForFinished(5000)
    warm._KILLED.remove(process)
