"""The background writer and its journal: kill -9 before the commit, a database that goes away, the feed."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.commands import AddSegment, EditSegment
from annotator.edit_queue import EditQueue, Event, Saved, Waiting
from annotator.journal import Journal
from annotator.model import Role, Segment
from annotator.project import DEFAULT_DB_FILE, Project
from annotator.store.api import NewClip
from annotator.store.store import Store
from annotator.versions import VersionBook
from bench.tcp_proxy import DelayProxy
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)
from tests.annotator.store.test_busy import write_lock

ROOT = Path(__file__).resolve().parents[2]


def _setup(owner: Store) -> int:
    owner.add_annotator("ann", Role.ANNOTATOR)
    (clip,) = owner.add_clips([NewClip("S01_a", "S01", 30.0, 600)])
    owner.assign(clip.id, "ann")
    return clip.id


def _bounds(store: Store, clip_id: int) -> list[tuple[int, int]]:
    return sorted((s.start_frame, s.end_frame) for s in store.segments(clip_id, "ann"))


CHILD = """
import sys, time
from annotator.commands import AddSegment, EditSegment
from annotator.edit_queue import EditQueue
from annotator.journal import Journal
from annotator.model import Segment
from annotator.project import Project
from annotator.versions import VersionBook
folder, clip_id = sys.argv[1], int(sys.argv[2])
store = Project.open(folder).open_store("ann")
queue = EditQueue(store, VersionBook(), lambda e: None, Journal(Project.open(folder).path / "j.sqlite", "s"))
print("opened", flush=True)
sys.stdin.readline()  # the parent holds the write lock now
first = AddSegment(Segment(None, clip_id, "ann", 10, 40, 9))
for ticket, command in enumerate([first, AddSegment(Segment(None, clip_id, "ann", 100, 140, 9)),
                                  EditSegment(first._new, end_frame=60)]):
    queue.submit(ticket, command)
print("shown", flush=True)  # journalled and fsynced: the window shows all three as done
time.sleep(60)
"""


def test_a_queued_edit_survives_kill_9_and_is_replayed_once_in_order(tmp_path: Path, store: Store,
                                                                     project: Project) -> None:
    if not project.database_url.startswith("sqlite"):
        pytest.skip("one backend is enough: the journal is the same file on both")
    clip_id = _setup(store)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(project.path), str(clip_id)], cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None and child.stdin is not None and child.stdout.readline().strip() == "opened"
    with write_lock(project.path / DEFAULT_DB_FILE):  # the writer cannot commit: the edits stay in flight
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "shown"
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert _bounds(store, clip_id) == []  # nothing reached the database
    journal = Journal(project.path / "j.sqlite", "s")
    assert len(journal.entries()) == 3
    ann = store.as_user("ann")
    queue = EditQueue(ann, VersionBook(), lambda e: None, journal, background=False)
    assert len(queue.replay_journal()) == 3
    assert _bounds(store, clip_id) == [(10, 60), (100, 140)]  # in order: the edit found its added row
    assert journal.entries() == []
    again = EditQueue(ann, VersionBook(), lambda e: None, Journal(project.path / "j.sqlite", "s"), background=False)
    assert again.replay_journal() == [] and _bounds(store, clip_id) == [(10, 60), (100, 140)]


def test_a_replay_whose_commit_landed_is_not_stored_twice(tmp_path: Path, store: Store) -> None:
    clip_id = _setup(store)
    ann = store.as_user("ann")
    journal = Journal(tmp_path / "j.sqlite", "s")
    add = AddSegment(Segment(None, clip_id, "ann", 10, 40, 9))
    journal.append("edit-1", False, add)
    add.run(ann, VersionBook(), undo=False, edit_id="edit-1")  # committed; the answer was lost before the journal knew
    journal.append("edit-2", False, EditSegment(add._new, end_frame=70))
    queue = EditQueue(ann, VersionBook(), lambda e: None, journal, background=False)
    queue.replay_journal()
    assert _bounds(store, clip_id) == [(10, 70)]  # one row, and the later edit found it by its receipt
    assert journal.entries() == []


def test_edits_wait_while_the_database_refuses_connections_then_commit_in_order(tmp_path: Path, db_url: str,
                                                                               project: Project) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("a TCP proxy stands between the desktop and a PostgreSQL server")
    owner = project.open_store()
    clip_id = _setup(owner)
    proxy = DelayProxy("127.0.0.1", 5432)
    events: list[Event] = []
    ann = Store.open(db_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"), owner.taxonomy, "ann")
    queue = EditQueue(ann, VersionBook(), events.append, Journal(tmp_path / "j.sqlite", "s"), retry_s=0.2)
    try:
        first = AddSegment(Segment(None, clip_id, "ann", 10, 40, 9))
        queue.submit(1, first)
        assert queue.wait_idle(10)
        proxy.refuse(True)  # the server goes away mid-session
        queue.submit(2, EditSegment(first._new, end_frame=50))
        queue.submit(3, AddSegment(Segment(None, clip_id, "ann", 100, 140, 9)))
        queue.submit(4, AddSegment(Segment(None, clip_id, "ann", 200, 240, 9)))
        deadline = time.monotonic() + 10
        while not any(isinstance(e, Waiting) and e.reason == "offline" for e in events):
            assert time.monotonic() < deadline, events
            time.sleep(0.05)
        assert queue.waiting() == 3 and _bounds(owner, clip_id) == [(10, 40)]
        proxy.refuse(False)  # back: the writer reconnects by itself
        assert queue.wait_idle(20)
        assert _bounds(owner, clip_id) == [(10, 50), (100, 140), (200, 240)]
        assert isinstance(events[-1], Saved) and queue.journal is not None and queue.journal.entries() == []
    finally:
        queue.close()
        ann.close()
        owner.close()
        proxy.close()


def test_the_feed_names_the_clip_another_desktop_changed(store: Store, project: Project) -> None:
    clip_id = _setup(store)
    (other_clip,) = store.add_clips([NewClip("S01_b", "S01", 30.0, 600)])
    feed = store.change_feed()
    other = project.open_store("ann")
    try:
        assert feed.poll() == set()
        other.add_segment(Segment(None, clip_id, "ann", 10, 40, 9))
        deadline, seen = time.monotonic() + 2, set()
        while clip_id not in seen and time.monotonic() < deadline:
            seen |= feed.poll() or set()
            time.sleep(0.05)
        assert seen == {clip_id}  # only the clip written, not S01_b
        assert other_clip.id not in seen and feed.poll() == set()
    finally:
        feed.close()
        other.close()
