"""Lanes you can hide and show: empty lanes collapsed, an annotator's lane hidden, per user."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.model import Segment
from annotator.project import Project
from app.main_window import MainWindow
from app.review.review_window import ReviewWindow
from app.timeline.lane_visibility import LaneFilter, shown_lanes
from app.timeline.timeline_widget import TimelineWidget
from tests.app.conftest import review_window, shown_window

NAMES = ["body", "head", "upper limb"]


def axis_names(t: TimelineWidget) -> list[str]:
    return [name for _y, name in t.plot.getAxis("left")._tickLevels[0]]


def test_shown_lanes() -> None:
    assert shown_lanes(NAMES, [1], LaneFilter()) == [True, True, True]
    assert shown_lanes(NAMES, [1], LaneFilter(collapse_empty=True)) == [False, True, False]
    assert shown_lanes(NAMES, [1], LaneFilter(frozenset({"head"}))) == [True, False, True]
    assert shown_lanes(NAMES, [], LaneFilter(collapse_empty=True)) == [False, False, True]  # never none
    assert LaneFilter().toggled("a1").toggled("a1") == LaneFilter()


def test_hidden_lanes_take_no_room_and_draw_no_bars(qtbot: QtBot) -> None:
    from app.timeline.packing import Bar

    t = TimelineWidget(NAMES)
    qtbot.addWidget(t)
    t.set_clip(100, 30.0)
    t.set_bars([Bar(1, 10, 20, 1, 9, "B1 nodding", "B1"), Bar(2, 30, 40, 1, 10, "B2 shaking head", "B2")])
    full = t.lanes.height_units
    t.set_lane_filter(LaneFilter(collapse_empty=True))
    assert axis_names(t) == ["head"] and t.lanes.height_units < full / 2
    t.set_lane_filter(LaneFilter(frozenset({"head"})))
    assert axis_names(t) == ["body", "upper limb"] and t.lanes.bars == []
    t.set_lane_filter(LaneFilter())
    assert axis_names(t) == NAMES and len(t.lanes.bars) == 2


def test_annotator_collapses_empty_lanes_and_it_is_remembered_for_them(
        qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, user = app_project
    store = Project.open(folder).open_store(user)
    clip = store.clips()[0]
    store.add_segment(Segment(None, clip.id, user, 5, 20, 9))  # nodding: head lane
    store.close()
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    assert isinstance(w, MainWindow)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    w.open_clip_id(clip.id)
    assert len(axis_names(w.timeline)) == 7
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_H)
    assert axis_names(w.timeline) == ["head"] and w.actions_by_id["collapse_lanes"].isChecked()
    w.close()
    again = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    assert isinstance(again, MainWindow)
    again.open_clip_id(clip.id)
    assert axis_names(again.timeline) == ["head"]
    again.close()
    other = shown_window(qtbot, folder, "other", tmp_path / "s.ini")
    other.open_start_clip()
    assert len(axis_names(other.timeline)) == 7  # another user's choice is their own
    other.close()


def test_reviewer_hides_an_annotators_lane(qtbot: QtBot, tmp_path: Path) -> None:
    w = review_window(qtbot, tmp_path)
    folder = tmp_path / "rev"
    w.open_start_clip()
    assert axis_names(w.timeline) == ["a1", "a2", "a3", "merged"]
    w.lane_menu.name_actions["a2"].trigger()
    assert axis_names(w.timeline) == ["a1", "a3", "merged"]
    assert not w.lane_menu.name_actions["a2"].isChecked()
    assert all(bar.lane != 1 for bar in w.timeline.lanes.bars)
    w.close()
    again = shown_window(qtbot, folder, "rev", tmp_path / "s.ini")
    assert isinstance(again, ReviewWindow)
    again.open_start_clip()
    assert axis_names(again.timeline) == ["a1", "a3", "merged"]
    again.close()
