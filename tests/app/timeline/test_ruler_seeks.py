"""The frame ruler under the lanes seeks on a click and scrubs on a drag (issue 26, item 7)."""

from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from tests.app.conftest import ready_window

Left = Qt.MouseButton.LeftButton


def _ruler_point(w: MainWindow, frame: float) -> QPoint:
    """Where on the timeline's viewport the ruler shows `frame`."""
    t = w.timeline
    axis = t.plot.getAxis("bottom")
    x = t.view.mapViewToScene(QPointF(frame, 0)).x()
    y = axis.sceneBoundingRect().center().y() - 6  # on the tick numbers
    return t.mapFromScene(QPointF(x, y))


def _send(w: MainWindow, kind: QEvent.Type, at: QPoint, buttons: Qt.MouseButton) -> None:
    vp = w.timeline.viewport()
    event = QMouseEvent(kind, QPointF(at), QPointF(vp.mapToGlobal(at)), Left, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, event)


def test_click_and_drag_on_the_ruler_seek(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, user = app_project
    w = ready_window(qtbot, folder, user, tmp_path / "s.ini", (1600, 900))
    span = w.timeline.view.viewRange()[0]
    _send(w, QEvent.Type.MouseButtonPress, _ruler_point(w, 40), Left)
    _send(w, QEvent.Type.MouseButtonRelease, _ruler_point(w, 40), Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: w.player.current == 40, timeout=3000)
    _send(w, QEvent.Type.MouseButtonPress, _ruler_point(w, 10), Left)
    qtbot.wait(600)  # pyqtgraph reads a short press-and-move as a click: a drag is held longer
    for frame in (14, 18, 25):
        qtbot.wait(50)  # pyqtgraph drops moves closer together than its mouse rate limit
        _send(w, QEvent.Type.MouseMove, _ruler_point(w, frame), Left)
        qtbot.waitUntil(lambda f=frame: w.player.current == f, timeout=3000)  # the playhead follows
    _send(w, QEvent.Type.MouseButtonRelease, _ruler_point(w, 25), Qt.MouseButton.NoButton)
    assert w.timeline.view.viewRange()[0] == span  # scrubbing never pans the view
    w.close()
