"""The motion-curve row under the lanes: readable rows, each named in its lane's colour, the
curves and their event ticks inside their own row, and the lanes still the larger part."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from app.timeline.lanes_item import LANE_COLOURS
from app.timeline.motion_curves import MotionCurvesPlot
from app.timeline.timeline_widget import TimelineWidget
from inference.pose.motion import MotionCurves

PARTS = ["body", "head", "upper limb", "lower limb", "body-hand", "head-hand", "leg-hand"]
FRAMES = 200


def motion() -> MotionCurves:
    """Every part a bumpy curve with an event every 20 frames (distances for the hand parts)."""
    t = np.arange(FRAMES, dtype=float)
    curves = {p: np.abs(np.sin(t / (5 + k))) * (k + 1) for k, p in enumerate(PARTS)}
    curves["head"][50:60] = np.nan  # nobody in these frames
    events = {p: np.arange(10, FRAMES, 20) for p in PARTS}
    return MotionCurves(curves, events, {p: e + 5 for p, e in events.items()})


def shown(qtbot: QtBot) -> tuple[TimelineWidget, MotionCurvesPlot]:
    t = TimelineWidget(PARTS)
    curves = MotionCurvesPlot(t, PARTS, LANE_COLOURS, 2)
    qtbot.addWidget(t)
    t.resize(900, 560)
    t.show()
    qtbot.waitExposed(t)
    t.set_clip(FRAMES, 30.0)
    curves.set_curves(motion())
    qtbot.wait(20)
    return t, curves


def near(image: QImage, colour: QColor, tolerance: int = 40) -> int:
    img = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    rgb = rows[:, : img.width() * 3].reshape(img.height(), img.width(), 3).astype(int)
    return int((np.abs(rgb - [colour.red(), colour.green(), colour.blue()]).max(axis=2) < tolerance).sum())


def test_rows_are_readable_and_the_lanes_keep_the_larger_part(qtbot: QtBot) -> None:
    t, curves = shown(qtbot)
    per_row = curves.plot.height() / len(PARTS)
    assert per_row >= 20  # 16 px before: the curves were squashed
    assert t.plot.height() > curves.plot.height()  # the lanes are still the main room
    # the widget never gets less than its rows need: filmstrip, readable lanes and ruler, the curves
    assert t.minimumHeight() >= t.strip_plot.minimumHeight() + t.plot.minimumHeight() + curves.plot.height()


def test_each_curve_and_its_ticks_stay_inside_their_row(qtbot: QtBot) -> None:
    _t, curves = shown(qtbot)
    for row, (item, ticks) in enumerate(zip(curves.items, curves.ticks, strict=True)):
        y = item.getData()[1]
        finite = y[np.isfinite(y)]
        assert finite.size and row + 0.05 <= finite.min() and finite.max() <= row + 0.85
        assert finite.max() - finite.min() >= 0.6  # the curve uses most of its row
        tick_y = ticks.getData()[1]
        assert tick_y.size and np.all(tick_y > finite.max()) and np.all(tick_y < row + 1)  # under the curve
        px = curves.plot.getViewBox().viewPixelSize()[1]  # row units per pixel
        half_tick = ticks.opts["size"] / 2 * px
        assert np.all(tick_y + half_tick <= row + 1 + 1e-9)  # a tick never reaches the next row


def test_each_row_is_named_in_its_lane_colour(qtbot: QtBot) -> None:
    t, curves = shown(qtbot)
    labels = curves.plot.getAxis("left").sceneBoundingRect().toAlignedRect()
    image = t.grab().toImage().copy(labels)
    for colour in LANE_COLOURS:
        assert near(image, colour) >= 10, colour.name()  # grey labels only before


def test_small_movements_show_edges_hold_and_ticks_are_few() -> None:
    from app.timeline.motion_curves import EDGE_HOLD, row_values, sparse_events

    curve = np.array([0.9, 0.5] + [0.0] * 20 + [0.04] * 10 + [1.0] * 10 + [0.0] * 20 + [0.6, 0.8])
    values = row_values(curve, invert=False)
    assert values[25] >= 0.15  # a movement 4 % of the largest still rises a fifth of the row
    assert (values[:EDGE_HOLD] == values[EDGE_HOLD]).all() and (values[-EDGE_HOLD:] == values[-EDGE_HOLD - 1]).all()
    assert sparse_events(np.array([3, 5, 8, 30, 33, 60])).tolist() == [3, 30, 60]


def test_each_row_writes_its_scale_beside_the_curves_not_on_them(qtbot: QtBot) -> None:
    from app.timeline.motion_curves import SCALE_COLOUR

    t, curves = shown(qtbot)
    scales = curves.axis.scales
    assert set(scales) == set(PARTS) and scales["body"].endswith(" TL/s") and scales["head-hand"].endswith(" TL")
    image = t.grab().toImage()
    axis = curves.axis.sceneBoundingRect().toAlignedRect()
    assert near(image.copy(axis), SCALE_COLOUR, 12) >= 8  # written under the names
    # nothing written over the curves at the row's right end, where the scales sat on the peaks
    view = curves.plot.getViewBox().sceneBoundingRect().toAlignedRect()
    right_end = view.adjusted(view.width() - 170, 0, 0, 0)
    assert near(image.copy(right_end), SCALE_COLOUR, 12) < 5
    curves.set_curves(None)
    assert curves.axis.scales == {}
