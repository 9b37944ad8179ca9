"""Rough edges of the windows found in use: status messages, the clip list's highlight, where
each user resumes, the clip list's width, plural forms, the label picker's place."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDockWidget
from pytestqt.qtbot import QtBot

from annotator.project import Project
from app.launch import build_window, style_sheet
from app.main_window import MainWindow
from app.settings import AppSettings
from tests.app.conftest import ready_window, shown_window


@pytest.fixture
def window(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> Iterator[MainWindow]:
    folder, user = app_project
    w = ready_window(qtbot, folder, user, tmp_path / "settings.ini", (1600, 900))
    yield w
    w.close()


def press(qtbot: QtBot, w: MainWindow, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget() or w, k, mod)


def test_a_command_that_works_clears_the_previous_message(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_Period)  # no segment after the playhead
    assert "No segment after" in window.statusBar().currentMessage()
    press(qtbot, window, Qt.Key.Key_End)  # the jump to the last frame works and says nothing
    assert window.player.current == window.player.last_frame()
    assert window.statusBar().currentMessage() == ""
    press(qtbot, window, Qt.Key.Key_I)  # a command that speaks still shows its own message
    assert "Start marked" in window.statusBar().currentMessage()


def test_the_highlighted_clip_is_always_the_open_one(qtbot: QtBot, window: MainWindow) -> None:
    queue, table = window.queue, window.queue.table
    assert window.session.clip is not None
    open_id = window.session.clip.id

    def highlighted() -> list[int]:
        return [queue.model.rows[queue.proxy.mapToSource(i).row()].clip.id
                for i in table.selectionModel().selectedRows()]

    assert highlighted() == [open_id]
    other = next(r.clip for r in queue.model.rows if r.clip.id != open_id)
    queue.search.setText(other.name)  # the open clip is filtered out: nothing is highlighted
    assert highlighted() == [] and window.session.clip.id == open_id
    queue.search.setText("")
    assert highlighted() == [open_id]
    row = queue.proxy.mapFromSource(queue.model.index(queue.model.row_of(other.id) or 0, 1))
    pos = table.visualRect(row).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.RightButton, pos=pos)
    assert highlighted() == [open_id] and window.session.clip.id == open_id
    font = queue.model.data(queue.model.index(queue.model.row_of(open_id) or 0, 1), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()  # the open clip is marked wherever the highlight is
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)  # a left click opens
    assert window.session.clip.id == other.id and highlighted() == [other.id]
    assert not table.hasFocus() and table.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_each_user_resumes_at_their_own_clip_and_frame(qtbot: QtBot, app_project: tuple[Path, str],
                                                       tmp_path: Path) -> None:
    folder, user = app_project
    settings = AppSettings(str(tmp_path / "s.ini"))

    def opened(name: str) -> MainWindow:
        w = build_window(Project.open(folder), name, settings)
        assert isinstance(w, MainWindow)
        qtbot.addWidget(w)
        w.open_start_clip()
        return w

    w = opened(user)
    first = w.session.clip
    w.open_next_clip()
    second = w.session.clip
    assert first is not None and second is not None and second.id != first.id
    w.player.seek(17)
    w.close()
    other = opened("other")  # same project, same computer, another annotator
    assert other.session.clip is not None and other.session.clip.id == first.id and other.player.current == 0
    other.player.seek(5)
    other.close()
    again = opened(user)
    assert again.session.clip is not None and again.session.clip.id == second.id
    assert again.player.current == 17
    again.close()


@pytest.fixture
def styled() -> Iterator[None]:
    """The app's own style sheet (its paddings decide the widths), removed afterwards."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyleSheet(style_sheet())
    yield
    app.setStyleSheet("")


def test_clip_names_are_not_elided_at_the_default_width(qtbot: QtBot, app_project: tuple[Path, str],
                                                        tmp_path: Path, styled: None) -> None:
    folder, user = app_project
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini", (1600, 900))
    assert isinstance(w, MainWindow)
    w.open_start_clip()
    w.player.decode_bar.show()  # as while a long clip decodes: the player must not take the docks' width
    w.player.cancel_button.show()
    qtbot.wait(50)
    dock = w.findChild(QDockWidget, "dockClips")
    assert dock is not None and dock.width() >= w.queue.ideal_width()
    header, fm = w.queue.table.horizontalHeader(), w.queue.table.fontMetrics()
    widest = max(fm.horizontalAdvance(r.clip.name) for r in w.queue.model.rows)
    assert header.sectionSize(1) >= widest + 12  # the cell's margins and the sort arrow's room
    w.close()


def test_one_frame_is_singular(qtbot: QtBot, window: MainWindow) -> None:
    window.player.seek(5)
    press(qtbot, window, Qt.Key.Key_I)
    press(qtbot, window, Qt.Key.Key_Right)
    press(qtbot, window, Qt.Key.Key_O)
    message = window.statusBar().currentMessage()
    assert message.startswith("Too short: 1 frame;"), message
    assert "1 frames" not in window.status_clip.text()


def test_the_label_picker_hides_none_of_the_video(qtbot: QtBot, window: MainWindow) -> None:
    window.player.seek(5)
    press(qtbot, window, Qt.Key.Key_I)
    for _ in range(10):
        press(qtbot, window, Qt.Key.Key_Right)
    press(qtbot, window, Qt.Key.Key_O)
    picker = window.picker
    assert picker.isVisible()
    video = window.player.view.global_image_rect()
    assert video.width() > 100
    top_left = picker.mapToGlobal(QPoint(0, 0))
    assert not video.intersects(picker.rect().translated(top_left))
    press(qtbot, window, Qt.Key.Key_Escape)
