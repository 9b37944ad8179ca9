"""The review window driven through its real widgets and keys; decisions checked in the store."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTextBrowser
from pytestqt.qtbot import QtBot

from annotator.decisions import Decision
from annotator.model import MergedInstance, MergedStatus
from annotator.project import Project
from app.launch import build_window
from app.review.review_timeline import merged_bar_id
from app.review.review_window import ReviewWindow
from app.settings import AppSettings
from tests.app.review.conftest import LEGS, NOD, NOSE, build_review_project

D = Decision.parse  # decisions written as their stored text

NoMod = Qt.KeyboardModifier.NoModifier


def open_review(qtbot: QtBot, folder: Path, tmp_path: Path) -> ReviewWindow:
    w = build_window(Project.open(folder), "rev", AppSettings(str(tmp_path / "settings.ini")))
    assert isinstance(w, ReviewWindow)
    qtbot.addWidget(w)
    w.resize(1400, 800)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    return w


@pytest.fixture
def window(qtbot: QtBot, review_project: Path, tmp_path: Path) -> Iterator[ReviewWindow]:
    w = open_review(qtbot, review_project, tmp_path)
    w.open_start_clip()
    yield w
    w.close()


def key(qtbot: QtBot, w: ReviewWindow, k: Qt.Key, mod: Qt.KeyboardModifier = NoMod) -> None:
    qtbot.keyClick(QApplication.focusWidget() or w, k, mod)


def stored(folder: Path) -> dict[int, MergedInstance]:
    """Merged instances of S01_rev by action id, read back through a fresh store."""
    store = Project.open(folder).open_store("rev")
    try:
        clip = store.clip_by_name("S01_rev")
        assert clip is not None
        return {m.action_id: m for m in store.merged_instances(clip.id)}
    finally:
        store.close()


def select_action(w: ReviewWindow, action_id: int) -> None:
    inst = next(m for m in w.session.instances if m.action_id == action_id)
    w.session.select(inst.id)


def test_reviewer_gets_review_screen_with_lanes_per_annotator(window: ReviewWindow) -> None:
    assert window.timeline.lane_names == ["a1", "a2", "a3", "merged"]
    assert window.session.clip is not None and window.session.clip.name == "S01_rev"
    row = window.queue.model.rows[0]
    assert (row.clip.name, row.needs_review, row.reliable, row.resolved) == ("S01_rev", 3, 0, 0)
    assert len(window.queue.model.rows) == 1  # S02_wait has no merge yet
    lanes = {b.lane for b in window.timeline.lanes.bars}
    assert lanes == {0, 1, 2, 3}
    # The first instance to review is selected and drawn selected in the merged lane.
    first = window.session.selected_instance()
    assert first is not None and first.action_id == NOD
    assert window.timeline.lanes.selected == merged_bar_id(first.id or 0)
    assert "a3" in window.detail.label.text()


def test_enter_accepts_majority_and_n_moves_on(qtbot: QtBot, window: ReviewWindow, review_project: Path) -> None:
    key(qtbot, window, Qt.Key.Key_Return)
    nod = stored(review_project)[NOD]
    assert (nod.status, nod.decision, nod.decided_by) == (MergedStatus.RESOLVED, D("keep"), "rev")
    key(qtbot, window, Qt.Key.Key_N)
    assert window.session.selected_instance().action_id == LEGS  # type: ignore[union-attr]
    select_action(window, NOSE)
    key(qtbot, window, Qt.Key.Key_Return)  # the majority of a one-annotator instance: delete
    assert stored(review_project)[NOSE].decision == D("delete")
    assert window.queue.model.rows[0].resolved == 2


def test_keep_delete_label_and_take(qtbot: QtBot, window: ReviewWindow, review_project: Path) -> None:
    select_action(window, NOSE)
    key(qtbot, window, Qt.Key.Key_K)
    assert stored(review_project)[NOSE].decision == D("keep")
    select_action(window, LEGS)
    key(qtbot, window, Qt.Key.Key_D)
    legs = stored(review_project)[LEGS]
    assert (legs.status, legs.decision) == (MergedStatus.RESOLVED, D("delete"))
    key(qtbot, window, Qt.Key.Key_L)
    assert window.picker.isVisible()
    qtbot.keyClicks(window.picker.edit, "D7")  # curling legs
    qtbot.keyClick(window.picker.edit, Qt.Key.Key_Return)
    relabelled = stored(review_project)
    assert LEGS not in relabelled and relabelled[25].decision == D("label:25")
    select_action(window, NOD)
    key(qtbot, window, Qt.Key.Key_2)  # a2's version: 3–21
    nod = stored(review_project)[NOD]
    assert (nod.decision, nod.start_frame, nod.end_frame) == (D("take:a2"), 3, 21)
    select_action(window, NOSE)
    key(qtbot, window, Qt.Key.Key_1)  # a1 did not mark it: refused, nothing stored
    assert stored(review_project)[NOSE].decision == D("keep")
    assert "did not mark" in window.statusBar().currentMessage()


def test_edge_keys_adjust_boundaries(qtbot: QtBot, window: ReviewWindow, review_project: Path) -> None:
    select_action(window, NOD)  # merged 2–22
    key(qtbot, window, Qt.Key.Key_BracketRight)  # undecided: the first key only shows the edge
    key(qtbot, window, Qt.Key.Key_BracketRight)
    assert window.player.current == 23
    key(qtbot, window, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    nod = stored(review_project)[NOD]
    assert (nod.decision, nod.start_frame, nod.end_frame) == (D("adjust"), 3, 23)
    # Out of bounds is refused by the store and leaves the stored instance alone.
    select_action(window, NOSE)
    for _ in range(3):  # a look at the edge, then two moves
        key(qtbot, window, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ShiftModifier)
    assert stored(review_project)[NOSE].end_frame == 55  # 60 is past the last frame (59)
    assert "refused" in window.statusBar().currentMessage()


def test_ctrl_z_undoes_every_decision(qtbot: QtBot, window: ReviewWindow, review_project: Path) -> None:
    ctrl = Qt.KeyboardModifier.ControlModifier
    select_action(window, NOD)  # merged 2–22, needs review
    key(qtbot, window, Qt.Key.Key_BracketRight)  # undecided: shows the end edge
    key(qtbot, window, Qt.Key.Key_BracketRight)  # adjust: 2–23
    key(qtbot, window, Qt.Key.Key_D)
    assert stored(review_project)[NOD].decision == D("delete")
    key(qtbot, window, Qt.Key.Key_Z, ctrl)
    nod = stored(review_project)[NOD]
    assert (nod.decision, nod.end_frame) == (D("adjust"), 23)
    key(qtbot, window, Qt.Key.Key_Z, ctrl)  # the first decision too: back to the merge's output
    nod = stored(review_project)[NOD]
    assert (nod.status, nod.decision, nod.decided_by, nod.start_frame, nod.end_frame) == (
        MergedStatus.NEEDS_REVIEW, None, None, 2, 22)
    assert "undecided again" in window.statusBar().currentMessage()
    assert window.queue.model.rows[0].needs_review == 3
    undo = window.actions_by_id["undo"]  # the menu follows the undo stack: nothing left to undo
    assert not undo.isEnabled() and undo.text() == "Undo"


def test_ctrl_shift_z_redoes_what_was_undone(qtbot: QtBot, window: ReviewWindow, review_project: Path) -> None:
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    select_action(window, NOD)  # merged 2–22, needs review
    key(qtbot, window, Qt.Key.Key_BracketRight)  # undecided: shows the end edge
    key(qtbot, window, Qt.Key.Key_BracketRight)  # adjust: 2–23
    key(qtbot, window, Qt.Key.Key_D)
    for _ in range(2):
        key(qtbot, window, Qt.Key.Key_Z, ctrl)
    assert stored(review_project)[NOD].status is MergedStatus.NEEDS_REVIEW
    select_action(window, NOSE)  # redo goes back to the instance it belongs to
    key(qtbot, window, Qt.Key.Key_Z, ctrl | shift)
    nod = stored(review_project)[NOD]
    assert (nod.decision, nod.start_frame, nod.end_frame) == (D("adjust"), 2, 23)
    assert window.session.selected == nod.id and "Redone" in window.statusBar().currentMessage()
    assert window.queue.model.rows[0].needs_review == 2
    key(qtbot, window, Qt.Key.Key_Y, ctrl)  # the other redo key
    assert stored(review_project)[NOD].decision == D("delete")
    key(qtbot, window, Qt.Key.Key_Z, ctrl)  # undo after redo: back one step, and redo again
    assert stored(review_project)[NOD].decision == D("adjust")
    key(qtbot, window, Qt.Key.Key_K)  # a new decision: nothing left to redo
    assert window.actions_by_id["undo"].text() == "Undo decision 'keep'"
    assert not window.actions_by_id["redo"].isEnabled()
    key(qtbot, window, Qt.Key.Key_Z, ctrl | shift)
    assert stored(review_project)[NOD].decision == D("keep")


def test_finalised_clip_takes_no_more_decisions(qtbot: QtBot, window: ReviewWindow,
                                                review_project: Path) -> None:
    ctrl = Qt.KeyboardModifier.ControlModifier
    for _ in range(3):
        key(qtbot, window, Qt.Key.Key_Return)
        key(qtbot, window, Qt.Key.Key_N)
    key(qtbot, window, Qt.Key.Key_Return, ctrl)
    before = stored(review_project)
    select_action(window, NOD)
    key(qtbot, window, Qt.Key.Key_D)
    assert "is finalised" in window.statusBar().currentMessage()
    key(qtbot, window, Qt.Key.Key_Z, ctrl)
    assert "is finalised" in window.statusBar().currentMessage()
    assert stored(review_project) == before


def test_finalise_refused_until_nothing_needs_review(qtbot: QtBot, window: ReviewWindow,
                                                     review_project: Path) -> None:
    ctrl = Qt.KeyboardModifier.ControlModifier
    key(qtbot, window, Qt.Key.Key_Return)  # nodding: keep
    key(qtbot, window, Qt.Key.Key_Return, ctrl)
    assert "still has 2 merged instance(s) to review" in window.statusBar().currentMessage()
    store = Project.open(review_project).open_store("rev")
    clip = store.clip_by_name("S01_rev")
    assert clip is not None and not clip.finalised
    for _ in range(2):
        key(qtbot, window, Qt.Key.Key_N)
        key(qtbot, window, Qt.Key.Key_Return)
    key(qtbot, window, Qt.Key.Key_Return, ctrl)
    assert store.clip(clip.id).finalised
    assert window.queue.model.rows[0].clip.finalised
    entries = [e for e in store.audit_log(50) if e.entity == "merged"]
    assert len(entries) == 3 and {e.user for e in entries} == {"rev"}
    store.close()


def test_merge_button_runs_in_background(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "unmerged"
    build_review_project(folder, merge=False)
    w = open_review(qtbot, folder, tmp_path)
    assert w.queue.model.rows == []
    handle = w.start_merge()
    assert handle is not None and w.queue.progress.isVisible()
    with qtbot.waitSignal(handle.ended, timeout=10000):
        pass
    qtbot.waitUntil(lambda: len(w.queue.model.rows) == 1, timeout=3000)
    assert w.queue.model.rows[0].needs_review == 3
    assert not w.queue.progress.isVisible()
    assert "not ready" in w.statusBar().currentMessage()
    w.close()


def test_question_mark_shows_the_review_commands(qtbot: QtBot, window: ReviewWindow) -> None:
    from app.review.review_shortcuts import REVIEW_SHORTCUTS

    window.actions_by_id["shortcut_sheet"].trigger()
    sheet = window.sheet
    assert sheet is not None and sheet.isVisible()
    text = sheet.findChild(QTextBrowser).toPlainText()
    for s in REVIEW_SHORTCUTS:
        if s.keys:  # a command without a key is in its menu only
            assert s.text.replace("…", "").split(" (")[0] in text
    assert "majority outcome pre-selected" in text and "START edge" in text
    assert "Mark start" not in text  # the annotation screen's commands are not listed here
    window.show_shortcuts()
    assert window.sheet is sheet and not sheet.isVisible()  # ? again hides it
    window.show_shortcuts()
    assert window.sheet is sheet and sheet.isVisible()  # one sheet, shown again


def test_a_clip_everyone_finished_empty_is_in_the_queue_and_finalises(qtbot: QtBot, review_project: Path,
                                                                     tmp_path: Path) -> None:
    from annotator.model import AssignmentState

    store = Project.open(review_project).open_store()
    wait = store.clip_by_name("S02_wait")
    assert wait is not None
    for name in ("a1", "a2", "a3"):
        store.set_assignment_state(wait.id, name, AssignmentState.DONE)  # looked, saw nothing
    store.close()
    w = open_review(qtbot, review_project, tmp_path)
    rows = {r.clip.name: r for r in w.queue.model.rows}
    assert rows["S02_wait"].total == 0
    w.open_clip_id(wait.id)
    assert w.session.instances == [] and "No instances" in w.detail.label.text()
    w.grab().save(str(tmp_path / "empty_clip.png"))
    key(qtbot, w, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "It is finalised" in w.detail.label.text()
    assert {r.clip.name: r.clip.finalised for r in w.queue.model.rows}["S02_wait"]
    w.grab().save(str(tmp_path / "empty_clip_final.png"))
    w.close()
    store = Project.open(review_project).open_store()
    assert store.clip(wait.id).finalised
    store.close()


def test_finalise_refused_when_an_annotator_changed_their_work_after_the_merge(
        qtbot: QtBot, window: ReviewWindow, review_project: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    ctrl = Qt.KeyboardModifier.ControlModifier
    for _ in range(3):  # every instance decided: only the stale merge stands in the way
        key(qtbot, window, Qt.Key.Key_Return)
        key(qtbot, window, Qt.Key.Key_N)
    store = Project.open(review_project).open_store("a2")
    clip = store.clip_by_name("S01_rev")
    assert clip is not None
    seg = next(s for s in store.segments(clip.id, "a2") if s.action_id == LEGS)
    store.update_segment(replace(seg, end_frame=50))  # a2 changes their mind after the merge
    store.close()
    key(qtbot, window, Qt.Key.Key_Return, ctrl)
    message = window.statusBar().currentMessage()
    assert message.startswith("Cannot finalise: clip 'S01_rev' changed after its merge (a2 edited at ")
    assert message.endswith("merge it again before finalising")
    window.grab().save(str(tmp_path / "stale_merge.png"))
    store = Project.open(review_project).open_store("rev")
    assert not store.clip(clip.id).finalised and not window.queue.model.rows[0].clip.finalised
    store.close()
