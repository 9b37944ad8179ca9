"""The annotation window driven through its real widgets: keys, picker, mouse drags, store state."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.errors import PermissionDenied
from annotator.model import AssignmentState, Segment
from annotator.project import Project
from app.main_window import MainWindow
from tests.app.conftest import ready_window


@pytest.fixture
def window(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> Iterator[MainWindow]:
    folder, user = app_project
    w = ready_window(qtbot, folder, user, tmp_path / "settings.ini")
    yield w
    w.close()


def key(qtbot: QtBot, w: MainWindow, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget() or w
    qtbot.keyClick(target, k, mod)


def stored(folder: Path, clip_id: int, user: str = "ann") -> list[Segment]:
    store = Project.open(folder).open_store(user)
    try:
        return sorted(store.segments(clip_id, user), key=lambda s: s.start_frame)
    finally:
        store.close()


def create_nodding(qtbot: QtBot, w: MainWindow, start: int, end: int) -> None:
    w.player.seek(start)
    key(qtbot, w, Qt.Key.Key_I)
    for _ in range(end - start):
        key(qtbot, w, Qt.Key.Key_Right)
    key(qtbot, w, Qt.Key.Key_O)
    assert w.picker.isVisible()
    qtbot.keyClicks(w.picker.edit, "nod")
    qtbot.keyClick(w.picker.edit, Qt.Key.Key_Return)
    assert not w.picker.isVisible()


def test_create_nudge_undo_redo_delete_done_and_reopen(qtbot: QtBot, window: MainWindow,
                                                        app_project: tuple[Path, str]) -> None:
    w, (folder, _user) = window, app_project
    clip = w.session.clip
    assert clip is not None and w.player.current == 0
    create_nodding(qtbot, w, 5, 20)
    (seg,) = stored(folder, clip.id)
    assert (seg.start_frame, seg.end_frame) == (5, 20)
    assert w.store.taxonomy.action(seg.action_id).name == "nodding"
    assert w.session.selected == seg.id and w.session.state == AssignmentState.IN_PROGRESS

    key(qtbot, w, Qt.Key.Key_BracketLeft)  # start one frame earlier
    assert stored(folder, clip.id)[0].start_frame == 4 and w.player.current == 4
    key(qtbot, w, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ShiftModifier)  # end five frames later
    assert stored(folder, clip.id)[0].end_frame == 25 and w.player.current == 25
    key(qtbot, w, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)  # end one frame earlier
    assert stored(folder, clip.id)[0].end_frame == 24

    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (stored(folder, clip.id)[0].start_frame, stored(folder, clip.id)[0].end_frame) == (4, 20)
    key(qtbot, w, Qt.Key.Key_Z, Qt.Modifier.CTRL | Qt.Modifier.SHIFT)  # redo
    assert stored(folder, clip.id)[0].end_frame == 25

    key(qtbot, w, Qt.Key.Key_Delete)
    assert stored(folder, clip.id) == [] and w.session.segments == []
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the delete is undone
    assert [(s.start_frame, s.end_frame) for s in stored(folder, clip.id)] == [(4, 25)]

    key(qtbot, w, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # mark done
    assert w.session.state == AssignmentState.DONE
    final = [(s.start_frame, s.end_frame, s.action_id) for s in w.session.segments]
    w.close()

    store = Project.open(folder).open_store("ann")
    try:
        states = {a.clip_id: a.state for a in store.assignments("ann")}
        assert states[clip.id] == AssignmentState.DONE
        assert [(s.start_frame, s.end_frame, s.action_id) for s in store.segments(clip.id, "ann")] == final
        with pytest.raises(PermissionDenied):  # blind mode holds in the data layer
            store.segments(clip.id, "other")
    finally:
        store.close()
    owner = Project.open(folder).open_store()
    try:
        assert owner.segments(clip.id, "other") == []  # nobody else's work was touched
    finally:
        owner.close()


def test_rules_refused_with_a_message_and_nothing_stored(qtbot: QtBot, window: MainWindow,
                                                         app_project: tuple[Path, str]) -> None:
    w, (folder, _user) = window, app_project
    clip = w.session.clip
    assert clip is not None
    w.player.seek(10)
    key(qtbot, w, Qt.Key.Key_I)
    key(qtbot, w, Qt.Key.Key_Right)
    key(qtbot, w, Qt.Key.Key_Right)
    key(qtbot, w, Qt.Key.Key_O)  # 2 frames < 0.2 s at 30 fps
    assert not w.picker.isVisible()
    assert "Too short" in w.statusBar().currentMessage()
    assert stored(folder, clip.id) == []
    create_nodding(qtbot, w, 30, 50)
    create_nodding(qtbot, w, 40, 58)  # same action overlapping: kept, with a join hint
    assert "J to join" in w.statusBar().currentMessage()
    key(qtbot, w, Qt.Key.Key_J)
    assert [(s.start_frame, s.end_frame) for s in stored(folder, clip.id)] == [(30, 58)]
    key(qtbot, w, Qt.Key.Key_BracketRight)  # end past the last frame (59)? 58 -> 59 is allowed
    key(qtbot, w, Qt.Key.Key_BracketRight)  # 59 -> 60 is out of bounds: refused
    assert "refused" in w.statusBar().currentMessage()
    assert stored(folder, clip.id)[0].end_frame == 59


def test_drag_an_edge_with_the_mouse_and_the_video_follows(qtbot: QtBot, window: MainWindow,
                                                           app_project: tuple[Path, str]) -> None:
    w, (folder, _user) = window, app_project
    clip = w.session.clip
    assert clip is not None
    create_nodding(qtbot, w, 10, 30)
    seg = w.session.segments[0]
    lanes = w.timeline.lanes
    row_y = lanes._y[0] + 0.5
    view = w.timeline
    qtbot.waitUntil(lambda: view.viewport().width() > 100)

    def to_view(frame: float) -> QPoint:
        scene = lanes.mapToScene(QPointF(frame, row_y))
        return view.mapFromScene(scene)

    start_px, target_px = to_view(30), to_view(45)
    followed: list[int] = []
    w.player.frameChanged.connect(followed.append)
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start_px)
    for k in range(1, 11):
        qtbot.wait(20)  # pyqtgraph drops mouse moves closer than ~10 ms apart
        QTest.mouseMove(view.viewport(), start_px + (target_px - start_px) * (k / 10))
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target_px)
    (after,) = stored(folder, clip.id)
    assert after.id == seg.id and after.start_frame == 10
    assert abs(after.end_frame - 45) <= 1
    assert len(followed) >= 3 and max(followed) >= 40  # the player followed the edge while dragging
    assert w.player.current == after.end_frame  # and shows the dropped edge
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(folder, clip.id)[0].end_frame == 30


def test_done_with_no_instances_is_an_explicit_answer(qtbot: QtBot, window: MainWindow,
                                                      app_project: tuple[Path, str]) -> None:
    w = window
    key(qtbot, w, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert w.session.state != AssignmentState.DONE
    assert "no instances" in w.statusBar().currentMessage()
    key(qtbot, w, Qt.Key.Key_Return, Qt.Modifier.CTRL | Qt.Modifier.SHIFT)
    assert w.session.state == AssignmentState.DONE
    first = w.session.clip
    key(qtbot, w, Qt.Key.Key_N)  # next clip to do
    assert w.session.clip is not None and first is not None and w.session.clip.id != first.id


def test_double_click_on_a_bar_relabels_it(qtbot: QtBot, window: MainWindow,
                                           app_project: tuple[Path, str]) -> None:
    w, (folder, _user) = window, app_project
    clip = w.session.clip
    assert clip is not None
    create_nodding(qtbot, w, 10, 30)
    w.player.seek(0)  # the playhead away from the bar
    lanes = w.timeline.lanes
    middle = w.timeline.mapFromScene(lanes.mapToScene(QPointF(20, lanes._y[0] + 0.5)))
    port, left, none = w.timeline.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mouseClick(port, left, none, middle)
    QTest.mouseDClick(port, left, none, middle)  # pyqtgraph reports the double click on release
    QTest.mouseRelease(port, left, none, middle)
    assert w.picker.isVisible()
    qtbot.keyClicks(w.picker.edit, "B2")
    qtbot.keyClick(w.picker.edit, Qt.Key.Key_Return)
    (seg,) = stored(folder, clip.id)
    assert w.store.taxonomy.action(seg.action_id).name == "shaking head"


def test_a_finalised_clip_opens_read_only(qtbot: QtBot, window: MainWindow, app_project: tuple[Path, str]) -> None:
    w, (folder, _user) = window, app_project
    owner = Project.open(folder).open_store()
    try:
        clip_b = owner.clip_by_name("S01_clip_b")
        assert clip_b is not None
        owner.finalise_clip(clip_b.id)
    finally:
        owner.close()
    w.reload_queue()
    row = w.queue.model.row_of(clip_b.id)
    assert row is not None and w.queue.model.index(row, 0).data().startswith("final")
    w.open_clip_id(clip_b.id)
    assert "finalised" in w.statusBar().currentMessage()
    key(qtbot, w, Qt.Key.Key_I)
    assert w.controller.mark is None and "read only" in w.statusBar().currentMessage()
    assert stored(folder, clip_b.id) == []


def test_undo_and_redo_say_what_they_did(qtbot: QtBot, window: MainWindow) -> None:
    w = window
    create_nodding(qtbot, w, 5, 20)
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.statusBar().currentMessage().startswith("Undone: ") and not w.session.segments
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.statusBar().currentMessage().startswith("Redone: ") and len(w.session.segments) == 1
    w.session.select(w.session.segments[0].id)
    w.player.seek(12)
    key(qtbot, w, Qt.Key.Key_S)
    assert w.statusBar().currentMessage() == "Split at frame 12: 5–12 and 12–20"
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.statusBar().currentMessage().startswith("Undone: ") and len(w.session.segments) == 1


def test_shortcut_sheet_lists_the_model_keys_and_toggles(window: MainWindow) -> None:
    html = window.sheet_html()
    assert "Accept proposal" in html and "Previous proposal" in html and "Mark start" in html
    window.show_shortcuts()
    assert window.sheet is not None and window.sheet.isVisible()
    window.show_shortcuts()
    assert not window.sheet.isVisible()


def test_every_playhead_starts_the_next_clip_at_frame_0(qtbot: QtBot, window: MainWindow) -> None:
    w = window
    w.player.seek(30)
    assert w.proposals.playhead.value() == 30
    w.open_next_clip()
    assert w.player.current == 0 and w.proposals.playhead.value() == 0
    assert w.player.loop_box.itemText(2) == "Loop ±15 frames"
