"""SQLite shared by several programs of one desktop: writers wait for the write lock, and a lock
held past the busy timeout is one clear StoreBusy with nothing written."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.errors import StoreBusy
from annotator.model import GROUND_TRUTH, Segment
from annotator.project import DEFAULT_DB_FILE, Project
from annotator.store import engine as store_engine
from annotator.store.api import NewClip


@contextmanager
def write_lock(db: Path, seconds: float | None = None) -> Iterator[None]:
    """Another program holds the write lock (for `seconds`, or until the block ends)."""
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE project_meta SET value = value WHERE key = 'taxonomy'")
    timer = threading.Timer(seconds, other.rollback) if seconds is not None else None
    if timer is not None:
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.join()
        else:
            other.rollback()
        other.close()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    made = Project.create(tmp_path / "proj")
    store = made.open_store()
    store.add_clips([NewClip("s1_a", "s1", 30.0, 300)])
    store.close()
    return made


def test_a_writer_waits_for_another_programs_lock(project: Project) -> None:
    store = project.open_store()
    try:
        clip = store.clips()[0]
        with write_lock(project.path / DEFAULT_DB_FILE, seconds=0.6):
            started = time.monotonic()
            seg = store.add_segment(Segment(None, clip.id, GROUND_TRUTH, 10, 40, 3))
            waited = time.monotonic() - started
        assert waited >= 0.4 and store.segments(clip.id, GROUND_TRUTH) == [seg]
    finally:
        store.close()


def test_a_lock_past_the_busy_timeout_is_one_clear_error(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_S", 0.2)
    store = project.open_store()
    try:
        clip = store.clips()[0]
        with write_lock(project.path / DEFAULT_DB_FILE):
            with pytest.raises(StoreBusy, match="locked by another program"):
                store.add_segment(Segment(None, clip.id, GROUND_TRUTH, 10, 40, 3))
            assert store.segments(clip.id, GROUND_TRUTH) == []  # reads go on under the lock (WAL)
        assert store.audit_log(entity="segment") == []
    finally:
        store.close()
