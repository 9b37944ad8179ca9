"""ClipSession over a real project store: commands, undo through QUndoStack, refusals, states."""

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from annotator.model import AssignmentState
from annotator.project import Project
from annotator.store.api import StoreAPI
from app.controllers.clip_session import ClipSession

NOD = 9  # MMA-52 id of nodding (B1)
SHAKE = 10  # shaking head (B2)


@pytest.fixture
def store(app_project: tuple[Path, str]) -> Iterator[StoreAPI]:
    folder, user = app_project
    s = Project.open(folder).open_store(user)
    yield s
    s.close()


@pytest.fixture
def session(qtbot: QtBot, store: StoreAPI) -> ClipSession:
    session = ClipSession(store, "ann")
    session.open_clip(store.clips()[0])
    return session


def test_add_edit_undo_redo_round_trip(session: ClipSession, store: StoreAPI) -> None:
    clip = session.clip
    assert clip is not None and session.state == AssignmentState.TODO
    seg = session.add(20, 5, NOD)  # reversed marks are put in order
    assert seg is not None and (seg.start_frame, seg.end_frame) == (5, 20)
    assert session.state == AssignmentState.IN_PROGRESS
    assert session.edit(seg.id, action_id=SHAKE)
    assert session.undo_stack.undoText() == "Change label"
    session.undo_stack.undo()
    assert store.segments(clip.id, "ann")[0].action_id == NOD
    session.undo_stack.undo()
    assert store.segments(clip.id, "ann") == [] and session.segments == []
    session.undo_stack.redo()
    session.undo_stack.redo()
    (back,) = store.segments(clip.id, "ann")
    assert back.id == seg.id and back.action_id == SHAKE


def test_refused_edits_change_nothing_and_say_why(qtbot: QtBot, session: ClipSession, store: StoreAPI) -> None:
    clip = session.clip
    assert clip is not None
    with qtbot.waitSignal(session.message) as msg:
        assert session.add(10, 12, NOD) is None  # 2 frames < 0.2 s
    assert "refused" in msg.args[0] and "0.2" in msg.args[0]
    seg = session.add(10, 30, NOD)
    assert seg is not None and seg.id is not None
    with qtbot.waitSignal(session.message) as msg:
        assert not session.edit(seg.id, end=clip.frame_count)  # past the last frame
    assert "past the last frame" in msg.args[0]
    assert session.undo_stack.count() == 1
    assert [(s.start_frame, s.end_frame) for s in store.segments(clip.id, "ann")] == [(10, 30)]


def test_split_and_join(session: ClipSession, store: StoreAPI) -> None:
    clip = session.clip
    assert clip is not None
    seg = session.add(0, 40, NOD)
    assert seg is not None and seg.id is not None
    assert session.split(seg.id, 20)
    assert [(s.start_frame, s.end_frame) for s in session.segments] == [(0, 20), (20, 40)]
    assert not session.split(session.segments[0].id or 0, 2)  # would leave a piece < 0.2 s
    assert session.join(session.segments[0].id or 0)  # touching, same action
    assert [(s.start_frame, s.end_frame) for s in store.segments(clip.id, "ann")] == [(0, 40)]
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert [(s.start_frame, s.end_frame) for s in store.segments(clip.id, "ann")] == [(0, 40)]
    assert len(session.segments) == 1 and session.segments[0].id == seg.id


def test_undo_after_another_desktop_changed_the_segment_is_refused(
        qtbot: QtBot, session: ClipSession, store: StoreAPI, app_project: tuple[Path, str]) -> None:
    clip = session.clip
    assert clip is not None
    seg = session.add(10, 30, NOD)
    assert seg is not None and seg.id is not None
    assert session.edit(seg.id, end=40)
    other = Project.open(app_project[0]).open_store("ann")  # the same user on a second desktop
    try:
        current = other.segments(clip.id, "ann")[0]
        other.update_segment(replace(current, end_frame=50))
    finally:
        other.close()
    with qtbot.waitSignal(session.message) as msg:
        session.undo_stack.undo()
    assert "changed by another user" in msg.args[0]
    assert store.segments(clip.id, "ann")[0].end_frame == 50  # their change is kept
    assert [(s.start_frame, s.end_frame) for s in session.segments] == [(10, 50)]  # and shown


def test_done_needs_an_explicit_answer(session: ClipSession, store: StoreAPI) -> None:
    clip = session.clip
    assert clip is not None
    assert not session.mark_done()
    assert session.mark_done(no_instances=True)
    assert {a.clip_id: a.state for a in store.assignments("ann")}[clip.id] == AssignmentState.DONE
    assert session.reopen()
    session.add(0, 20, NOD)
    assert not session.mark_done(no_instances=True)  # there is an instance now
    assert session.mark_done()


def test_neighbours_for_jumps(session: ClipSession) -> None:
    a = session.add(5, 20, NOD)
    b = session.add(30, 50, SHAKE)
    assert a is not None and b is not None
    assert session.neighbour(0, 1) == a
    assert session.neighbour(5, 1) == b
    assert session.neighbour(30, -1) == a
    assert session.neighbour(5, -1) is None


def test_a_locked_database_keeps_the_edit_waiting_then_commits_it(qtbot: QtBot, app_project: tuple[Path, str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.project import DEFAULT_DB_FILE
    from annotator.store import engine as store_engine
    from tests.annotator.store.test_busy import write_lock

    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_S", 0.2)
    folder, user = app_project
    store = Project.open(folder).open_store(user)
    session = ClipSession(store, user, background=True)
    try:
        clip = store.clips()[0]
        session.open_clip(clip)
        seg = session.add(5, 20, NOD)
        assert seg is not None and session.wait_saved()
        seg_id = session.selected or 0
        with write_lock(folder / DEFAULT_DB_FILE):
            assert session.edit(seg_id, end=30)  # the window never waits: shown at once
            assert [(s.start_frame, s.end_frame) for s in session.segments] == [(5, 30)]
            qtbot.waitUntil(lambda: "busy" in session.pipeline.status, timeout=5000)
            assert session.pipeline.status == "the database is busy — 1 edit waiting"
            assert store.segments(clip.id, user)[0].end_frame == 20  # not stored yet
        assert session.wait_saved(10)
        assert session.pipeline.status == "saved"
        assert store.segments(clip.id, user)[0].end_frame == 30  # stored once the lock was gone
        assert session.undo_stack.count() == 2
    finally:
        session.close()
        store.close()
