# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""Both queues follow teammates live: one commit on another desktop updates that clip's row alone, within 2 s."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from annotator.decisions import KEEP
from annotator.model import AssignmentState, MergedStatus, Role, Segment
from annotator.project import Project
from annotator.store.api import NewClip, StoreAPI
from annotator.store.store import Store
from app.main_window import MainWindow
from app.review import review_session
from app.review.review_model import ReviewClip, read_review_clip
from app.review.review_window import ReviewWindow
from app.settings import AppSettings
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)

NOD = 9


def _no_full_reload(monkeypatch: pytest.MonkeyPatch, window: MainWindow | ReviewWindow) -> None:
    """The rows follow one by one: reading the whole queue again fails the test."""
    def whole(*_args: object) -> None:
        raise AssertionError("the whole queue was read again")

    monkeypatch.setattr(window, "reload_queue", whole)
    monkeypatch.setattr(window.queue.model, "set_rows", whole)


@pytest.fixture
def clips(store: Store) -> list[int]:
    store.add_annotator("ann", Role.ANNOTATOR)
    made = store.add_clips([NewClip(f"S01_{k}", "S01", 30.0, 600) for k in range(3)])
    for clip in made:
        store.assign(clip.id, "ann")
    return [c.id for c in made]


def test_the_annotation_queue_updates_the_row_another_desktop_changed(
        qtbot: QtBot, project: Project, clips: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = project.open_store("ann")
    window = MainWindow(mine, "ann", lambda _clip: None, AppSettings(str(tmp_path / "s.ini")))
    qtbot.addWidget(window)
    other = project.open_store("ann")  # the same annotator on a second desktop
    try:
        window.go_live(None)
        assert window.live_feed is not None
        window.live_feed.poll_s = 0.2
        _no_full_reload(monkeypatch, window)
        model = window.queue.model

        def row(clip_id: int) -> tuple[AssignmentState | None, int]:
            i = model.row_of(clip_id)
            assert i is not None
            return model.rows[i].state, model.rows[i].instances

        untouched = model.rows[model.row_of(clips[0]) or 0]
        other.add_segment(Segment(None, clips[1], "ann", 10, 40, NOD))
        other.add_segment(Segment(None, clips[1], "ann", 50, 80, NOD))
        qtbot.waitUntil(lambda: row(clips[1]) == (AssignmentState.TODO, 2), timeout=2000)
        other.set_assignment_state(clips[2], "ann", AssignmentState.DONE)
        qtbot.waitUntil(lambda: row(clips[2]) == (AssignmentState.DONE, 0), timeout=2000)
        assert model.rows[model.row_of(clips[0]) or 0] is untouched  # rows not named stay as they were
    finally:
        window.close()
        other.close()
        mine.close()


@pytest.fixture
def merged_clip(store: Store) -> int:
    """A clip two annotators finished, merged: instances that need review, and reviewers rev and rev2."""
    from merging.workflow import run_merge

    for name, role in (("rev", Role.REVIEWER), ("rev2", Role.REVIEWER), ("a1", Role.ANNOTATOR),
                       ("a2", Role.ANNOTATOR)):
        store.add_annotator(name, role)
    made = store.add_clips([NewClip(f"S01_r{k}", "S01", 30.0, 600) for k in range(2)])
    for clip in made:
        for name, shift in (("a1", 0), ("a2", 3)):
            store.assign(clip.id, name)
            store.add_segment(Segment(None, clip.id, name, 10 + shift, 40 + shift, NOD))
            store.add_segment(Segment(None, clip.id, name, 100, 130 + shift * 10, NOD))
            store.set_assignment_state(clip.id, name, AssignmentState.DONE)
    run_merge(store)
    return made[0].id


@pytest.fixture
def review(qtbot: QtBot, project: Project, merged_clip: int, tmp_path: Path) -> Iterator[ReviewWindow]:
    mine = project.open_store("rev")
    window = ReviewWindow(mine, "rev", lambda _clip: None, AppSettings(str(tmp_path / "s.ini")))
    qtbot.addWidget(window)
    window.go_live(None)
    assert window.live_feed is not None
    window.live_feed.poll_s = 0.2
    yield window
    window.close()
    mine.close()


def _decide_one(store: Store, clip_id: int) -> None:
    """Another reviewer keeps one instance of the clip that waits for review."""
    inst = next(m for m in store.merged_instances(clip_id) if m.status is MergedStatus.NEEDS_REVIEW)
    assert inst.id is not None
    store.resolve_merged(inst.id, inst.version, KEEP, inst.start_frame, inst.end_frame, inst.action_id)


def test_the_review_queue_updates_the_row_another_reviewer_changed(
        qtbot: QtBot, project: Project, merged_clip: int, review: ReviewWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _no_full_reload(monkeypatch, review)
    model = review.queue.model
    i = model.row_of(merged_clip)
    assert i is not None
    before = model.rows[i].needs_review
    assert before >= 1
    other = project.open_store("rev2")
    try:
        _decide_one(other, merged_clip)
        qtbot.waitUntil(lambda: model.rows[model.row_of(merged_clip) or 0].needs_review == before - 1, timeout=2000)
    finally:
        other.close()


def test_the_review_screen_reads_the_changed_open_clip_off_the_ui_thread(
        qtbot: QtBot, project: Project, merged_clip: int, review: ReviewWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    session = review.session
    review.open_clip_id(merged_clip)
    threads: list[threading.Thread] = []

    def watched(store: StoreAPI, clip_id: int) -> ReviewClip:
        threads.append(threading.current_thread())
        return read_review_clip(store, clip_id)

    monkeypatch.setattr(review_session, "read_review_clip", watched)
    before = session.needs_review()
    other = project.open_store("rev2")
    try:
        _decide_one(other, merged_clip)
        qtbot.waitUntil(lambda: session.needs_review() == before - 1, timeout=2000)
        assert threads and threading.main_thread() not in threads  # the read ran on a task thread
        model = review.queue.model
        assert model.rows[model.row_of(merged_clip) or 0].needs_review == before - 1  # its row follows
    finally:
        other.close()


def test_a_live_read_for_a_clip_the_reviewer_left_is_dropped(
        qtbot: QtBot, project: Project, merged_clip: int, review: ReviewWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    session = review.session
    review.open_clip_id(merged_clip)
    second = next(c.id for c in review.queue.model.clips() if c.id != merged_clip)
    read: list[int] = []

    def watched(store: StoreAPI, clip_id: int) -> ReviewClip:
        read.append(clip_id)
        return read_review_clip(store, clip_id)

    session._on_clips_changed({merged_clip})  # a teammate's commit on the open clip: read in the background
    monkeypatch.setattr(review_session, "read_review_clip", watched)
    review.open_clip_id(second)  # ... and the reviewer moves on before it arrives
    shown = list(session.instances)
    assert session.pipeline.wait_reads()
    assert merged_clip in read  # it was read (on the task thread, after the move), and then dropped:
    assert session.clip is not None and session.clip.id == second and session.instances == shown
