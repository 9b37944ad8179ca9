"""A hundred proposals at a low threshold must not crush the timeline (issue 26, item 1)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.model import Proposal
from annotator.project import Project
from app.main_window import MainWindow
from app.proposals.proposal_controller import MAX_ROWS_SHOWN, ROW_PX
from app.timeline.timeline_widget import LANE_MIN_PX
from tests.app.conftest import ready_window

Shift = Qt.KeyboardModifier.ShiftModifier


def add_many_proposals(folder: Path, n: int = 100) -> None:
    """`n` overlapping proposals of model v1 on the first clip, scores spread over 0..0.3."""
    store = Project.open(folder).open_store()
    try:
        clip = store.clip_by_name("S01_clip_a")
        assert clip is not None
        store.add_proposals(clip.id, "v1", [
            Proposal(None, clip.id, "v1", (k * 7) % 50, (k * 7) % 50 + 8, 1 + k % 40, round(0.003 * k, 3))
            for k in range(n)])
    finally:
        store.close()


@pytest.fixture
def crowded(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> Iterator[MainWindow]:
    folder, user = app_project
    add_many_proposals(folder)
    w = ready_window(qtbot, folder, user, tmp_path / "s.ini", (1600, 900))
    yield w
    w.close()


def _inside(w: MainWindow, rect: QRectF) -> bool:
    """Whether a scene rect of the timeline lies inside what the timeline's viewport shows."""
    view = w.timeline.mapToScene(w.timeline.viewport().rect()).boundingRect()
    return bool(view.adjusted(-1, -1, 1, 1).contains(rect))


def _lane_px(w: MainWindow) -> float:
    """Screen height of one body-part lane row."""
    vb = w.timeline.view
    y0, y1 = vb.viewRange()[1]
    return float(vb.height()) / (y1 - y0)


def test_hundred_proposals_leave_the_lanes_and_ruler_alone(qtbot: QtBot, crowded: MainWindow) -> None:
    w = crowded
    for _ in range(8):
        qtbot.keyClick(w, Qt.Key.Key_Down, Shift)
    QApplication.processEvents()
    assert w.proposals.panel.threshold() == 0.0 and len(w.proposals.shown) == 100
    assert w.proposals.lane.height_units > MAX_ROWS_SHOWN  # many packed rows ...
    assert w.proposals.plot.height() <= ROW_PX * MAX_ROWS_SHOWN + 8  # ... in a bounded lane
    assert _lane_px(w) >= LANE_MIN_PX - 1  # every body-part lane keeps a readable height
    for item in (w.timeline.plot.getAxis("bottom"), w.proposals.plot, w.pose.curves.plot):
        assert _inside(w, item.sceneBoundingRect())
    for _ in range(8):
        qtbot.keyClick(w, Qt.Key.Key_Up, Shift)
    QApplication.processEvents()
    for item in (w.timeline.plot.getAxis("bottom"), w.proposals.plot, w.pose.curves.plot):
        assert _inside(w, item.sceneBoundingRect())  # the ruler, model lane and curves are back
    assert _lane_px(w) >= LANE_MIN_PX - 1


def test_splitter_cannot_squeeze_the_timeline(qtbot: QtBot, crowded: MainWindow) -> None:
    w = crowded
    w.proposals.panel.set_threshold(0.0)
    QApplication.processEvents()
    w.splitter.setSizes([2000, 10, 10])  # as far as a drag of the handles can go
    QApplication.processEvents()
    assert w.timeline.height() >= w.timeline.minimumHeight()
    assert _inside(w, w.timeline.plot.getAxis("bottom").sceneBoundingRect())
    assert not w.splitter.handle(2).isEnabled()  # no handle over the one-line proposals panel
