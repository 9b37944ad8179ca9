"""Bars that touch are drawn apart; short bars carry their code, the name on hover."""

from types import SimpleNamespace

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from app.timeline.lanes_item import LABEL_PAD_PX, LANE_COLOURS, bar_label, bar_spans
from app.timeline.packing import Bar
from app.timeline.timeline_widget import TimelineWidget


def test_touching_bars_do_not_touch_on_screen() -> None:
    px0, px1 = bar_spans(np.array([30.0, 100.0]), np.array([100.0, 135.0]), 2.3, 10.0)
    assert px1[0] < px0[1]
    tiny0, tiny1 = bar_spans(np.array([5.0]), np.array([5.2]), 2.3, 0.0)
    assert tiny1[0] - tiny0[0] >= 2


def test_a_touching_pair_shows_the_lane_between_them(qtbot: QtBot) -> None:
    t = TimelineWidget(["head", "body"])
    qtbot.addWidget(t)
    t.resize(900, 300)
    t.show()
    qtbot.waitExposed(t)
    t.set_clip(300, 30.0)
    t.set_bars([Bar(1, 30, 100, 0, 9, "B1 nodding", "B1"), Bar(2, 100, 135, 0, 10, "B2 shaking head", "B2")])
    qtbot.wait(50)
    image = t.grab().toImage()
    y = t.lanes.lane_centres()[0]
    inside = t.mapFromScene(t.lanes.mapToScene(QPointF(90, y)))
    edge = t.mapFromScene(t.lanes.mapToScene(QPointF(100, y)))
    bar = QColor(image.pixel(inside.x(), inside.y()))
    assert bar.rgb() == LANE_COLOURS[0].rgb()
    row = [QColor(image.pixel(x, edge.y())).rgb() for x in range(edge.x() - 3, edge.x() + 1)]
    assert any(c != LANE_COLOURS[0].rgb() for c in row), "no border where the two bars meet"


def test_label_falls_back_to_the_code() -> None:
    font = QFont()
    font.setPointSizeF(8.5)
    fm = QFontMetrics(font)
    text = "B6 head up"
    assert bar_label(text, "B6", fm.horizontalAdvance(text) + 2 * LABEL_PAD_PX, fm) == text
    assert bar_label(text, "B6", fm.horizontalAdvance("B6") + 2, fm) == "B6"
    assert bar_label(text, "B6", fm.horizontalAdvance("B"), fm) == ""
    long = "B1 nodding · review: keep?"
    assert bar_label(long, "B1", fm.horizontalAdvance("B1 nodd…") + 2 * LABEL_PAD_PX, fm).startswith("B1 no")


def test_a_nine_frame_bar_at_whole_clip_zoom_shows_its_code_and_its_name_on_hover(qtbot: QtBot) -> None:
    t = TimelineWidget(["head"])
    qtbot.addWidget(t)
    t.resize(740, 200)  # the timeline's width in a 1600-pixel window
    t.show()
    qtbot.waitExposed(t)
    t.set_clip(285, 30.0)
    t.set_bars([Bar(1, 48, 57, 0, 6, "B6 head up", "B6")])
    qtbot.wait(50)
    x0 = t.lanes.mapToDevice(QPointF(48, 0)).x()
    x1 = t.lanes.mapToDevice(QPointF(57, 0)).x()
    px0, px1 = bar_spans(np.array([48.0]), np.array([57.0]), (x1 - x0) / 9, x0 - 48 * (x1 - x0) / 9)
    assert bar_label("B6 head up", "B6", int(px1[0] - px0[0]), QFontMetrics(t.lanes._font)) == "B6"
    t.lanes.hoverEvent(SimpleNamespace(isExit=lambda: False, pos=lambda: QPointF(52, 0.5)))
    assert "head up" in t.lanes.toolTip()
