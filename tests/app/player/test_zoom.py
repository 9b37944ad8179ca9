"""Zoom and pan inside the video: the arithmetic, then the window's keys and per-clip memory."""

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from app.player.frame_view import FrameView
from app.player.zoom import MAX_ZOOM, VideoZoom, fitted, frame_point, held_zoom, placed, visible_part
from tests.app.conftest import ready_window

IMAGE, VIEW = (1920, 1080), (960, 600)


def test_zoom_one_shows_the_whole_frame_letterboxed() -> None:
    target, source = visible_part(IMAGE, VIEW, VideoZoom())
    assert target == fitted(IMAGE, VIEW) and source == (0.0, 0.0, 1920.0, 1080.0)


def test_zoomed_in_draws_only_the_visible_part_around_the_centre() -> None:
    target, source = visible_part(IMAGE, VIEW, VideoZoom(4.0))
    assert target[2] == pytest.approx(960) and source[2] == pytest.approx(1920 / 4)
    assert source[0] + source[2] / 2 == pytest.approx(960)  # centred on the frame's middle


def test_zooming_at_a_point_keeps_that_point_under_the_mouse() -> None:
    z = VideoZoom()
    at = (0.8, 0.3)
    before = frame_point(IMAGE, VIEW, z, (700.0, 200.0))
    z2 = z.scaled(2.0, before)
    assert frame_point(IMAGE, VIEW, z2, (700.0, 200.0)) == pytest.approx(before)
    assert VideoZoom().scaled(1000).factor == MAX_ZOOM and VideoZoom(2.0).scaled(0.01).factor == 1.0
    assert VideoZoom(2.0).scaled(1.0, at).factor == 2.0


def test_panning_stops_at_the_frame_edges() -> None:
    z = VideoZoom(2.0).panned(5.0, -5.0)
    assert (z.cx, z.cy) == (0.75, 0.25)
    assert VideoZoom().panned(0.3, 0.3) == VideoZoom()  # nothing to pan at zoom 1


@pytest.mark.parametrize("view", [(400, 600), (1200, 300), VIEW])
def test_a_pan_never_pushes_the_picture_off_one_side_with_a_bar_on_the_other(view: tuple[int, int]) -> None:
    for factor in (1.5, 2.0, 4.0):
        for dx, dy in ((5.0, 5.0), (-5.0, -5.0), (5.0, -5.0), (0.0, 0.0)):
            x, y, w, h = placed(IMAGE, view, VideoZoom(factor).panned(dx, dy))
            for start, length, room in ((x, w, view[0]), (y, h, view[1])):
                if length >= room:  # bigger than the view along this axis: it covers the view
                    assert start <= 0 and start + length >= room - 1e-6, (factor, dx, dy, view)
                else:  # smaller: centred, the bars alike on both sides (to the pixel fitted() rounds to)
                    assert start == pytest.approx((room - length) / 2, abs=1.0)


def test_a_pan_past_the_edge_is_not_remembered() -> None:
    view = (400, 600)  # a tall view: the frame is letterboxed above and below
    far = VideoZoom(2.0).panned(0.0, 5.0)
    held = held_zoom(IMAGE, view, far)
    assert placed(IMAGE, view, held) == pytest.approx(placed(IMAGE, view, far))
    assert held.cy == pytest.approx(0.5)  # 2× is still shorter than the view: nothing to pan vertically


def test_wheel_and_drag_on_the_view(qtbot: QtBot) -> None:
    view = FrameView()
    qtbot.addWidget(view)
    view.resize(*VIEW)
    view.show()
    view.show_frame(np.zeros((1080, 1920, 3), np.uint8))
    view.zoom_by(2.0, QPointF(800, 150))
    assert view.zoom.factor == 2.0 and view.zoom.cx > 0.5 and view.zoom.cy < 0.5
    cx = view.zoom.cx
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPointF(500, 300).toPoint())
    qtbot.mouseMove(view, QPointF(400, 300).toPoint())
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPointF(400, 300).toPoint())
    assert view.zoom.cx > cx  # dragging left shows more of the right
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton)
    assert view.zoom == VideoZoom()


@pytest.fixture
def window(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> Iterator[MainWindow]:
    folder, user = app_project
    w = ready_window(qtbot, folder, user, tmp_path / "settings.ini")
    yield w
    w.close()


def press(qtbot: QtBot, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, k, mod)


def test_zoom_keys_survive_stepping_and_each_clip_keeps_its_own(qtbot: QtBot, window: MainWindow) -> None:
    w, view = window, window.player.view
    first = w.session.clip
    assert first is not None
    for _ in range(5):  # 3×: wider than the view, so there is something to pan to
        press(qtbot, Qt.Key.Key_Z)
    zoom = view.zoom
    assert zoom.factor > 3
    press(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.zoom.cx > zoom.cx
    zoom = view.zoom
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Right)
    assert w.player.current == 3 and view.zoom == zoom  # stepping keeps the zoom
    w.open_next_clip()
    assert view.zoom == VideoZoom()  # a clip never zoomed shows the whole frame
    w.open_clip_id(first.id)
    assert view.zoom == zoom  # back to the first clip: its zoom again
    press(qtbot, Qt.Key.Key_R)
    assert view.zoom == VideoZoom()


def test_go_to_a_frame_or_a_time(qtbot: QtBot, window: MainWindow) -> None:
    w, field = window, window.player.goto_field
    press(qtbot, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert field.isVisible() and field.hasFocus()
    qtbot.keyClicks(field, "45")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert w.player.current == 45 and not field.isVisible()
    press(qtbot, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    field.clear()
    qtbot.keyClicks(field, "1.0s")  # 's' and '.' type into the field, not the split / jump keys
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert w.player.current == 30 and w.session.segments == []
    press(qtbot, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    field.clear()
    qtbot.keyClicks(field, "abc")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "neither a frame number" in w.statusBar().currentMessage() and field.isVisible()
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not field.isVisible() and w.player.current == 30
