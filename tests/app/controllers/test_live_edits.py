"""The annotation screen never waits: a refused queued edit rolls back with its dependents; teammates show live."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from annotator.model import Role
from annotator.project import DEFAULT_DB_FILE, Project
from annotator.store.api import NewClip
from annotator.store.store import Store
from app.controllers.clip_session import ClipSession
from app.controllers.live_feed import LiveFeed
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)
from tests.annotator.store.test_busy import write_lock

NOD = 9


@pytest.fixture
def clip_id(store: Store) -> int:
    store.add_annotator("ann", Role.ANNOTATOR)
    (clip,) = store.add_clips([NewClip("S01_a", "S01", 30.0, 600)])
    store.assign(clip.id, "ann")
    return clip.id


@pytest.fixture
def session(qtbot: QtBot, project: Project, clip_id: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[ClipSession]:
    from annotator.store import engine as store_engine

    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_S", 0.2)  # a held write lock makes the writer wait, retrying
    ann = project.open_store("ann")
    s = ClipSession(ann, "ann")
    s.go_live(None)
    s.pipeline.queue.retry_s = 0.2
    s.open_clip(ann.clip(clip_id))
    yield s
    s.close()
    ann.close()


def _shown(session: ClipSession) -> list[tuple[int, int]]:
    return [(s.start_frame, s.end_frame) for s in session.segments]


def test_a_conflict_rolls_back_with_its_dependents_and_undo_stays_consistent(
        qtbot: QtBot, session: ClipSession, store: Store, project: Project, clip_id: int) -> None:
    if not project.database_url.startswith("sqlite"):
        pytest.skip("the queue is held by SQLite's write lock here; the PostgreSQL path is test_edit_queue's")
    said: list[str] = []
    session.message.connect(said.append)
    seg = session.add(10, 30, NOD)
    assert seg is not None and session.wait_saved()
    sid = session.selected or 0
    assert session.edit(sid, end=40) and session.wait_saved()
    theirs = store.segments(clip_id, "ann")[0]
    store.update_segment(replace(theirs, end_frame=50))  # another desktop, same segment
    with write_lock(project.path / DEFAULT_DB_FILE):  # the three edits below wait in the queue together
        assert session.edit(sid, end=45)  # conflicts: written on version 2, the store holds 3
        assert session.edit(sid, start=12)  # made on top of it
        assert session.add(100, 140, NOD) is not None  # queued after it on the same clip
        assert _shown(session) == [(12, 45), (100, 140)]  # shown at once, before any commit
    assert session.wait_saved(10)
    assert "refused (and 2 edits made after it)" in said[-1] and "changed by another user" in said[-1]
    assert _shown(session) == [(10, 50)] == [(s.start_frame, s.end_frame) for s in store.segments(clip_id, "ann")]
    assert session.undo_stack.count() == 2  # add and the first edit; the refused three are gone
    session.undo()  # the first edit's undo would overwrite the other desktop's write: refused, nothing lost
    assert session.wait_saved(10)
    assert "changed by another user" in said[-2] and said[-1].startswith("1 other edit left the undo history")
    assert _shown(session) == [(10, 50)] == [(s.start_frame, s.end_frame) for s in store.segments(clip_id, "ann")]
    assert session.undo_stack.count() == 0  # the add of that segment would go back over the other desktop's write
    session.undo()
    assert said[-1] == "Nothing to undo in this clip" and _shown(session) == [(10, 50)]
    assert session.add(100, 140, NOD) is not None and session.wait_saved()  # editing goes on
    session.undo()
    assert session.wait_saved(10) and _shown(session) == [(10, 50)] == [
        (s.start_frame, s.end_frame) for s in store.segments(clip_id, "ann")]


def test_a_teammates_commit_reaches_a_second_window_within_2_s(qtbot: QtBot, project: Project, clip_id: int,
                                                              store: Store) -> None:
    reviewer_view = project.open_store()
    second = ClipSession(reviewer_view, "ann")  # the owner looking at ann's work on another desktop
    feed = LiveFeed(reviewer_view, poll_s=0.2)
    second.go_live(None, feed)
    second.open_clip(reviewer_view.clip(clip_id))
    ann = project.open_store("ann")
    first = ClipSession(ann, "ann")
    try:
        first.open_clip(ann.clip(clip_id))
        assert first.add(10, 40, NOD) is not None
        qtbot.waitUntil(lambda: _shown(second) == [(10, 40)], timeout=2000)
    finally:
        feed.close()
        second.close()
        first.close()
        ann.close()
        reviewer_view.close()


def test_the_window_shows_the_save_status_and_keeps_edits_in_the_journal(
        qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    from annotator.journal import Journal
    from app.launch import project_journal
    from tests.app.conftest import shown_window

    folder, user = app_project
    window = shown_window(qtbot, folder, user, tmp_path / "settings.ini")
    journal = project_journal(Project.open(folder), user)
    window.go_live(journal)
    session = window.session
    assert isinstance(session, ClipSession)
    session.open_clip(window.store.clips()[0])
    statuses: list[str] = []
    session.saveStatus.connect(statuses.append)
    assert session.add(5, 20, NOD) is not None
    assert session.wait_saved(10)
    assert statuses[0] == "saving…" and window.save_status.text() == "saved"
    assert Journal(folder / "edits-journal.sqlite", journal.scope).entries() == []  # committed: nothing kept
    window.grab().save(str(tmp_path / "save_status.png"))


def test_a_refused_undo_keeps_the_history_of_other_segments(qtbot: QtBot, session: ClipSession, store: Store,
                                                             clip_id: int) -> None:
    said: list[str] = []
    session.message.connect(said.append)
    assert session.add(10, 30, NOD) is not None and session.wait_saved()
    other = session.add(100, 140, NOD)
    assert other is not None and session.wait_saved()
    oid = session.selected or 0
    assert session.edit(oid, end=150) and session.wait_saved()
    assert session.add(200, 220, NOD) is not None and session.wait_saved()
    session.undo()  # the last add: undone, on the redo history
    assert session.wait_saved() and session.undo_stack.canRedo()
    theirs = next(s for s in store.segments(clip_id, "ann") if s.start_frame == 100)
    store.update_segment(replace(theirs, end_frame=160))  # another desktop, the second segment
    session.undo()  # the edit of the second segment: its undo would overwrite that write
    assert session.wait_saved(10)
    assert any("changed by another user" in m for m in said) and said[-1].startswith("2 other edits left")
    stored = [(s.start_frame, s.end_frame) for s in store.segments(clip_id, "ann")]
    assert _shown(session) == [(10, 30), (100, 160)] == sorted(stored)  # the model is what the store holds
    stack = session.undo_stack
    assert (stack.count(), stack.index(), stack.canRedo()) == (1, 1, False)  # the first add stays; the
    assert stack.undoText() == "Add segment"  # second add (its segment's write stays) and the redo history went
    session.undo()
    assert session.wait_saved(10)
    assert _shown(session) == [(100, 160)] == [(s.start_frame, s.end_frame) for s in store.segments(clip_id, "ann")]
    session.redo()
    assert session.wait_saved(10) and _shown(session) == [(10, 30), (100, 160)]


def test_a_refused_undo_prunes_the_same_way_when_the_writer_is_in_the_foreground(
        qtbot: QtBot, project: Project, store: Store, clip_id: int) -> None:
    ann = project.open_store("ann")
    session = ClipSession(ann, "ann")  # no go_live: each edit is committed before it returns
    try:
        session.open_clip(ann.clip(clip_id))
        assert session.add(10, 30, NOD) is not None
        assert session.add(100, 140, NOD) is not None
        oid = session.selected or 0
        assert session.edit(oid, end=150)
        theirs = next(s for s in store.segments(clip_id, "ann") if s.start_frame == 100)
        store.update_segment(replace(theirs, end_frame=160))
        session.undo()  # refused at once: the edit and the add of the same segment leave the history
        assert _shown(session) == [(10, 30), (100, 160)]
        stack = session.undo_stack
        assert (stack.count(), stack.index(), stack.canRedo()) == (1, 1, False)
        session.undo()
        assert _shown(session) == [(100, 160)] == [(s.start_frame, s.end_frame) for s in ann.segments(clip_id, "ann")]
    finally:
        session.close()
        ann.close()
