"""The timeline's frame axis: whole frame numbers over exactly the clip's frames, clip or none."""

from pathlib import Path

from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from app.timeline.lanes_item import LANE_SHADES
from app.timeline.packing import Bar
from app.timeline.timeline_widget import MIN_VISIBLE_FRAMES, TimelineWidget
from tests.annotator.media.video_files import CLIP_FRAMES
from tests.app.conftest import shown_window

NAMES = ["body", "head", "upper limb"]


def drawn_labels(t: TimelineWidget) -> list[str]:
    """The tick labels the bottom axis paints now (pyqtgraph's own draw specs)."""
    axis = t.plot.getAxis("bottom")
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    assert specs is not None
    return [text for _rect, _flags, text in specs[2]]


def frames_shown(t: TimelineWidget) -> list[int]:
    """The drawn labels as frame numbers (fails on anything that is not a whole number)."""
    labels = drawn_labels(t)
    assert labels and all(label.lstrip("-").isdigit() for label in labels), labels
    return sorted(int(label) for label in labels)


def timeline(qtbot: QtBot) -> TimelineWidget:
    t = TimelineWidget(NAMES)
    qtbot.addWidget(t)
    t.resize(900, 300)
    t.show()
    qtbot.waitExposed(t)
    return t


def test_a_clip_reads_in_its_own_frame_numbers(qtbot: QtBot) -> None:
    t = timeline(qtbot)
    t.set_clip(316, 29.0)
    t.set_bars([Bar(1, 83, 230, 0, 1, "A1 shaking body", "A1")])
    assert t.view.viewRange()[0] == [-0.5, 315.5]
    shown = frames_shown(t)
    assert shown[0] >= 0 and shown[-1] <= 315  # never x1000 (0..300000 before)
    assert shown[-1] >= 250  # and it spans the clip


def test_no_clip_shows_frame_zero_alone(qtbot: QtBot) -> None:
    t = timeline(qtbot)
    assert t.view.viewRange()[0] == [-0.5, 0.5]  # before any set_clip
    assert frames_shown(t) == [0]
    t.set_clip(1, 30.0)  # what the window does when no clip is open
    assert t.view.viewRange()[0] == [-0.5, 0.5]  # not slid off to -11.5..0.5
    assert frames_shown(t) == [0]  # not -400..500 (the range x1000)


def test_a_short_clip_is_shown_whole_and_zoom_keeps_whole_frames(qtbot: QtBot) -> None:
    t = timeline(qtbot)
    t.set_clip(5, 30.0)
    assert t.view.viewRange()[0] == [-0.5, 4.5]
    assert frames_shown(t) == [0, 1, 2, 3, 4]
    t.set_clip(200, 30.0)
    for _ in range(30):
        t.zoom(2.0)
    x0, x1 = t.view.viewRange()[0]
    assert x1 - x0 >= MIN_VISIBLE_FRAMES - 1e-6
    assert len(frames_shown(t)) >= 2  # whole frames only: no 0.5-frame ticks at the deepest zoom


def test_window_axis_before_and_after_opening_an_empty_clip(qtbot: QtBot, app_project: tuple[Path, str],
                                                              tmp_path: Path) -> None:
    folder, user = app_project
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    assert isinstance(w, MainWindow)
    assert frames_shown(w.timeline) == [0]
    w.open_start_clip()  # no segments in it yet
    assert not w.session.segments
    assert w.timeline.view.viewRange()[0] == [-0.5, CLIP_FRAMES - 0.5]
    shown = frames_shown(w.timeline)
    assert shown[0] >= 0 and CLIP_FRAMES - 15 <= shown[-1] <= CLIP_FRAMES - 1


def test_lane_bands_fill_the_view_with_no_clip(qtbot: QtBot) -> None:
    """Bands span whole frames (-0.5 .. last + 0.5): from 0 they left the empty view's left half bare."""
    t = timeline(qtbot)
    t.set_clip(1, 30.0)
    qtbot.wait(20)
    image = t.grab().toImage()
    for x in (-0.4, -0.1, 0.1, 0.4):
        at = t.view.mapViewToScene(QPointF(x, t.lanes.lane_centres()[0]))
        pixel = image.pixelColor(int(at.x()), int(at.y()))
        assert pixel == LANE_SHADES[0], (x, pixel.name())
