"""The filmstrip tiles the clip exactly like the lanes: slot edges are frame edges."""

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from app.timeline.filmstrip import slot_frames
from app.timeline.timeline_widget import TimelineWidget

FRAMES = 97  # not a multiple of the slot width, so the last slot is clipped
THUMB_W, THUMB_H = 36, 27


def _thumbs(n: int) -> np.ndarray:
    """Thumbnail i is a flat grey of level 2i (BGR), so a pixel says which frame it shows."""
    out = np.zeros((n, THUMB_H, THUMB_W, 3), dtype=np.uint8)
    out[:] = (np.arange(n, dtype=np.uint8) * 2)[:, None, None, None]
    return out


def test_slot_frames() -> None:
    assert slot_frames(48.0, 10.0) == 5
    assert slot_frames(48.0, 100.0) == 1  # zoomed in: one frame per slot, never less
    assert slot_frames(48.0, 0.5) == 96


def _timeline(qtbot: QtBot) -> TimelineWidget:
    w = TimelineWidget(["a", "b"])
    qtbot.addWidget(w)
    w.resize(900, 300)
    w.show()
    qtbot.waitExposed(w)
    w.set_clip(FRAMES, 30.0)
    w.set_thumbnails(_thumbs(FRAMES))
    w.strip_playhead.hide()  # the pixels under test are the thumbnails'
    return w


def _level(image: QImage, x: float, y: float) -> int:
    dpr = image.devicePixelRatio()
    return QColor(image.pixel(int(x * dpr), int(y * dpr))).red()


def test_strip_spans_the_lanes_and_shows_each_frame_at_its_position(qtbot: QtBot) -> None:
    w = _timeline(qtbot)
    image = w.grab().toImage()
    strip, lanes = w.strip_plot.getViewBox(), w.view

    def x_of(vb: object, frame_edge: float) -> float:
        return w.mapFromScene(vb.mapViewToScene(QPointF(frame_edge, 0.5))).x()  # type: ignore[attr-defined]

    y = w.mapFromScene(strip.mapViewToScene(QPointF(0, 0.5))).y()
    assert abs(x_of(strip, -0.5) - x_of(lanes, -0.5)) < 1 and abs(x_of(strip, FRAMES - 0.5)
                                                                 - x_of(lanes, FRAMES - 0.5)) < 1
    px_per_frame = x_of(lanes, 1) - x_of(lanes, 0)
    step = slot_frames(THUMB_W * strip.height() / THUMB_H, px_per_frame)
    assert 1 < step < FRAMES
    for frame in range(1, FRAMES):  # frame 0's few pixels sit under the strip's axis line
        start = frame - frame % step
        middle = (start + min(start + step, FRAMES) - 1) // 2
        assert abs(_level(image, x_of(lanes, frame), y) - 2 * middle) <= 2, frame
    # The strip ends exactly where the lanes end: the last frame's pixels are a thumbnail's.
    end = x_of(lanes, FRAMES - 0.5)
    last_start = (FRAMES - 1) - (FRAMES - 1) % step
    assert abs(_level(image, end - 1.5, y) - 2 * ((last_start + FRAMES - 1) // 2)) <= 2


def test_strip_follows_zoom(qtbot: QtBot) -> None:
    w = _timeline(qtbot)
    w.view.setXRange(39.5, 49.5, padding=0)  # ten frames across: one frame per slot
    qtbot.wait(10)
    image = w.grab().toImage()
    strip = w.strip_plot.getViewBox()
    y = w.mapFromScene(strip.mapViewToScene(QPointF(0, 0.5))).y()
    for frame in range(40, 50):
        x = w.mapFromScene(w.view.mapViewToScene(QPointF(frame, 0.5))).x()
        assert abs(_level(image, x, y) - 2 * frame) <= 2, frame
