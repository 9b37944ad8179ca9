# ruff: noqa: F811  -- test functions take the imported pytest fixture as an argument
"""The review screen after the project changed under it: stale merges, current lanes, deleted instances."""

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.model import Segment
from annotator.project import Project
from annotator.store.backups import BACKUP_DIR, list_backups
from app.review.review_model import STALE_STATE
from app.review.review_window import STALE_STATUS, ReviewWindow
from merging.workflow import run_merge
from tests.app.review.conftest import LEGS, NOD
from tests.app.review.test_review_window import key, window  # noqa: F401  (pytest fixture)

CTRL = Qt.KeyboardModifier.ControlModifier


def _edit(folder: Path, who: str, action: int, **change: int) -> Segment:
    """`who` changes their segment of `action` on S01_rev behind the review screen's back."""
    store = Project.open(folder).open_store(who)
    try:
        clip = store.clip_by_name("S01_rev")
        assert clip is not None
        seg = next(s for s in store.segments(clip.id, who) if s.action_id == action)
        return store.update_segment(replace(seg, **change))
    finally:
        store.close()


def _merge_elsewhere(folder: Path) -> None:
    """Another reviewer's desktop (or mmad merge) runs the merge."""
    store = Project.open(folder).open_store("rev")
    try:
        run_merge(store)
    finally:
        store.close()


def _state(w: ReviewWindow) -> str:
    return str(w.queue.model.index(0, 4).data())


def _lane_bars(w: ReviewWindow, lane: int) -> list[tuple[int, int]]:
    return sorted((b.start, b.end) for b in w.timeline.lanes.bars if b.lane == lane)


def test_a_clip_changed_since_its_merge_shows_stale_not_ready(qtbot: QtBot, window: ReviewWindow,
                                                             review_project: Path, tmp_path: Path) -> None:
    for _ in range(3):  # every instance decided: the queue says ready
        key(qtbot, window, Qt.Key.Key_Return)
        key(qtbot, window, Qt.Key.Key_N)
    assert _state(window) == "ready" and "ready to finalise" in window.status_clip.text()
    _edit(review_project, "a2", LEGS, end_frame=50)  # a2 changes their mind after the merge
    key(qtbot, window, Qt.Key.Key_F5)
    row = window.queue.model.rows[0]
    assert _state(window) == STALE_STATE and row.stale
    tip = str(window.queue.model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole))
    assert "clip 'S01_rev' changed after its merge (a2 edited at " in tip and "Ctrl+M" in tip
    assert STALE_STATUS in window.status_clip.text() and "ready to finalise" not in window.status_clip.text()
    assert "1 to re-merge" in window.queue.summary.text()
    assert (31, 50) in _lane_bars(window, 1)  # the lane shows a2's segment as it is now
    qtbot.wait(50)  # the status bar lays out its longer text
    header = window.queue.table.horizontalHeader()
    assert header.sectionSize(0) >= window.queue.table.fontMetrics().horizontalAdvance("S01_rev")  # not elided
    window.grab().save(str(tmp_path / "review_stale.png"))
    window.queue.grab().save(str(tmp_path / "review_queue_stale.png"))
    handle = window.start_merge()  # the cure: merge again
    assert handle is not None
    with qtbot.waitSignal(handle.ended, timeout=10000):
        pass
    qtbot.waitUntil(lambda: _state(window) != STALE_STATE, timeout=3000)
    assert STALE_STATUS not in window.status_clip.text() and not window.queue.model.rows[0].stale


def test_a_refused_finalise_shows_the_stale_state_and_the_current_lanes(qtbot: QtBot, window: ReviewWindow,
                                                                       review_project: Path) -> None:
    for _ in range(3):
        key(qtbot, window, Qt.Key.Key_Return)
        key(qtbot, window, Qt.Key.Key_N)
    _edit(review_project, "a3", NOD, start_frame=5)
    assert (2, 22) in _lane_bars(window, 2)  # nothing re-read yet
    key(qtbot, window, Qt.Key.Key_Return, CTRL)
    assert window.statusBar().currentMessage().startswith("Cannot finalise: clip 'S01_rev' changed after its merge")
    assert _state(window) == STALE_STATE and STALE_STATUS in window.status_clip.text()
    assert (5, 22) in _lane_bars(window, 2) and (2, 22) not in _lane_bars(window, 2)


def test_a_re_merge_shows_the_current_segments_in_every_lane(qtbot: QtBot, window: ReviewWindow,
                                                            review_project: Path) -> None:
    assert (31, 46) in _lane_bars(window, 1)
    _edit(review_project, "a2", LEGS, start_frame=33, end_frame=52)
    backups = set(list_backups(review_project / BACKUP_DIR))
    handle = window.start_merge()
    assert handle is not None
    with qtbot.waitSignal(handle.ended, timeout=10000):
        pass
    qtbot.waitUntil(lambda: (33, 52) in _lane_bars(window, 1), timeout=3000)
    assert (31, 46) not in _lane_bars(window, 1)
    assert len(set(list_backups(review_project / BACKUP_DIR)) - backups) == 1  # a copy with the merge, as the CLI
    legs = next(m for m in window.session.instances if m.action_id == LEGS)
    assert _lane_bars(window, 3) == sorted((m.start_frame, m.end_frame) for m in window.session.instances)
    assert legs.end_frame >= 52  # the merged lane too is the new merge's


def test_an_instance_a_re_merge_deleted_says_it_no_longer_exists(qtbot: QtBot, window: ReviewWindow,
                                                                 review_project: Path) -> None:
    before = {m.id or 0 for m in window.session.instances}
    key(qtbot, window, Qt.Key.Key_Return)  # decided: the instance is at version 2 in this screen
    _edit(review_project, "a1", NOD, end_frame=25)
    _edit(review_project, "a1", LEGS, end_frame=48)
    _merge_elsewhere(review_project)  # every instance replaced; this screen still shows the old ones
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    message = window.statusBar().currentMessage()
    assert message.startswith("Undo refused: merged instance ") and message.endswith(
        " no longer exists (the merge was re-run)"), message
    waiting = window.session.next_unresolved(None)  # the reload after the refusal shows the new merge
    assert waiting is not None
    assert all((m.id or 0) > max(before) for m in window.session.instances)  # no id handed out twice


def test_a_decision_on_an_instance_deleted_elsewhere_says_it_no_longer_exists(qtbot: QtBot, window: ReviewWindow,
                                                                              review_project: Path) -> None:
    held = window.session.selected_instance()
    assert held is not None
    _edit(review_project, "a1", NOD, end_frame=25)
    _edit(review_project, "a1", LEGS, end_frame=48)
    _merge_elsewhere(review_project)
    key(qtbot, window, Qt.Key.Key_K)
    assert window.statusBar().currentMessage() == (
        f"Decision refused: merged instance {held.id} no longer exists (the merge was re-run)")
    store = Project.open(review_project).open_store("rev")
    try:
        clip = store.clip_by_name("S01_rev")
        assert clip is not None
        assert all(m.decision is None for m in store.merged_instances(clip.id))  # nothing decided by mistake
    finally:
        store.close()
