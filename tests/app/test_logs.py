"""Logging: the rotating file in the app-data folder, uncaught exceptions, failed tasks, Help → Open log folder."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from annotator.progress import CancelToken, Progress
from app import logs
from app.cli.main import main as mmad
from app.logs import APP_NAME, LOG_FILE, app_data_dir, configure_logging, log_folder
from app.tasks import TaskRunner
from tests.app.conftest import ready_window, shown_window


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Logging configured into a fresh folder; the hooks and handlers put back afterwards."""
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "logs"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield configure_logging()
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def read_log(folder: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return (folder / LOG_FILE).read_text("utf-8")


def test_configure_writes_one_rotating_file_in_the_folder(log_dir: Path) -> None:
    assert log_dir == log_folder() and log_dir.is_dir()
    configure_logging()  # again: replaces its handler, does not add a second
    logging.getLogger("mmad.test").info("hello log")
    ours = [h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)
            and Path(h.baseFilename).parent == log_dir]
    assert len(ours) == 1 and ours[0].maxBytes == logs.MAX_BYTES and ours[0].backupCount == logs.BACKUPS
    assert read_log(log_dir).count("hello log") == 1


def test_app_data_folder_follows_each_platform(tmp_path: Path) -> None:
    home = tmp_path
    assert app_data_dir(home, "linux", {}) == home / ".local" / "share" / APP_NAME
    assert app_data_dir(home, "linux", {"XDG_DATA_HOME": "/x/data"}) == Path("/x/data") / APP_NAME
    assert app_data_dir(home, "darwin", {}) == home / "Library" / "Application Support" / APP_NAME
    assert app_data_dir(home, "win32", {"APPDATA": "C:/Users/a/AppData/Roaming"}) == \
        Path("C:/Users/a/AppData/Roaming") / APP_NAME


def test_the_command_line_logs_where_the_desktop_app_does(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.applicationName()
    app.setApplicationName(APP_NAME)
    try:
        qt = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    finally:
        app.setApplicationName(old)
    assert Path(qt) == app_data_dir()


def test_uncaught_exceptions_are_logged_with_their_traceback(log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pytest and pytest-qt put their own hooks around each test: replace them by recorders, then
    # install the logging hooks on top, as configure_logging does at start-up over Python's own.
    chained: list[object] = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: chained.append(exc[0]))
    monkeypatch.setattr(threading, "excepthook", lambda args: chained.append(args.exc_type))
    configure_logging()

    def fail_deep() -> None:
        raise RuntimeError("boom on the main thread")

    try:
        fail_deep()
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    thread = threading.Thread(target=lambda: 1 / 0, name="worker-7")
    thread.start()
    thread.join()
    text = read_log(log_dir)
    assert "CRITICAL" in text and "uncaught exception" in text
    assert "in fail_deep" in text and "RuntimeError: boom on the main thread" in text
    assert "uncaught exception in thread worker-7" in text and "ZeroDivisionError" in text
    assert chained == [RuntimeError, ZeroDivisionError]  # the previous hooks still run


def test_a_failed_background_task_leaves_its_traceback(qtbot: QtBot, log_dir: Path) -> None:
    def work(progress: Progress, cancel: CancelToken) -> None:
        raise ValueError("broken input in the worker")

    handle = TaskRunner().start("import clips", work)
    with qtbot.waitSignal(handle.failed, timeout=5000):
        pass
    text = read_log(log_dir)
    assert "background task 'import clips' failed" in text
    assert "Traceback" in text and "ValueError: broken input in the worker" in text


def test_the_command_line_logs_its_errors(log_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert mmad(["stats", str(tmp_path / "no-project")]) == 2
    assert "error" in capsys.readouterr().err
    text = read_log(log_dir)
    assert "mmad stats" in text and "WARNING" in text and "no-project" in text


def test_help_menu_opens_the_log_folder(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path,
                                        log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr("app.log_folder.QDesktopServices.openUrl", open_url)
    w = shown_window(qtbot, *app_project, tmp_path / "s.ini")
    help_menu = next(a.menu() for a in w.menuBar().actions() if a.text().replace("&", "") == "Help")
    assert isinstance(help_menu, QMenu)
    action = next(a for a in help_menu.actions() if a.text() == "Open log folder")
    action.trigger()
    assert [Path(u.toLocalFile()) for u in opened] == [log_dir]


def test_lines_name_the_process_and_project(log_dir: Path) -> None:
    import os

    logs.set_project("proj_x")
    try:
        logging.getLogger("mmad.test").info("tagged line")
    finally:
        logs.set_project("")
    line = next(ln for ln in read_log(log_dir).splitlines() if "tagged line" in ln)
    assert f"pid {os.getpid()} proj_x" in line


def test_without_a_file_manager_the_log_path_is_shown(qtbot: QtBot, log_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.log_folder import open_log_folder

    monkeypatch.setattr("app.log_folder.QDesktopServices.openUrl", lambda _url: False)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.text()))
    assert not open_log_folder()
    assert shown and str(log_dir) in shown[0]  # not a silent failure: the path, to copy
    assert QApplication.clipboard().text() == str(log_dir)


def test_proposal_runs_leave_a_trace(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Issue 26, item 10: a run of the model (started, stored, failed, cancelled) is in the log."""
    from annotator.models_registry import ModelVersion
    from app.model_loop.records import ProposeResult
    from tests.app.model_loop.test_train_dialog_states import StandInWork, StandInWorker

    folder, user = app_project
    w = ready_window(qtbot, folder, user, tmp_path / "s.ini")
    loop = w.model_loop
    clip = w.session.clip
    assert loop is not None and clip is not None
    monkeypatch.setattr(loop, "work", StandInWork())  # the test plays the worker's part
    version = ModelVersion(1, "v1-test", "2026-01-01T00:00:00Z", "models/v1/best.pt", "pose", "-", "merged")
    with caplog.at_level(logging.INFO, logger="app.model_loop.loop_controller"):
        assert loop.start({"job": "propose"}, "Proposing for the clip", lambda r: loop._store(r, version))
        worker = StandInWorker.made[-1]
        result = ProposeResult("v1-test", {clip.id: [(3, 30, 1, 0.8), (10, 40, 2, 0.5)]}, 1.0).to_json()
        worker.end(worker.finished, result)
        assert loop.start({"job": "propose"}, "Proposing for 2 clips", lambda r: None)
        worker = StandInWorker.made[-1]
        worker.end(worker.failed, "Proposing for 2 clips failed: no video")
        assert loop.start({"job": "propose"}, "Proposing again", lambda r: None)
        worker = StandInWorker.made[-1]
        worker.end(worker.cancelled)
    text = caplog.text
    assert "Proposing for the clip: started" in text and "proposals of v1-test stored: 2 over 1 clips" in text
    assert "Proposing for 2 clips failed: no video" in text
    assert "Proposing again: cancelled, nothing stored" in text
    w.close()
