"""The review window as main.py opens it: shown first, its queue read off the UI thread, then the
start clip opened (issue 23: a 6,000-clip queue takes 0.6 s to read)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from annotator.project import Project
from app.review import review_model
from app.review.review_window import ReviewWindow
from app.settings import AppSettings
from tests.app.review.conftest import build_review_project


def test_the_queue_is_read_off_the_ui_thread_then_the_start_clip_opens(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.launch import build_window

    folder = tmp_path / "rev"
    build_review_project(folder)
    read_on: list[threading.Thread] = []
    real = review_model.load_review_rows

    def spy(store):  # type: ignore[no-untyped-def]
        read_on.append(threading.current_thread())
        return real(store)

    monkeypatch.setattr("app.review.review_window.load_review_rows", spy)
    w = build_window(Project.open(folder), "rev", AppSettings(str(tmp_path / "s.ini")), defer_queue=True)
    qtbot.addWidget(w)
    assert isinstance(w, ReviewWindow)
    w.show()
    assert w.queue.model.rows == [] and read_on == []  # nothing read before the window is shown
    w.open_start_clip()
    assert w.session.clip is None  # the window answers while the queue is read
    qtbot.waitUntil(lambda: w.session.clip is not None, timeout=10000)
    assert read_on and all(t is not threading.main_thread() for t in read_on)
    clip = w.session.clip
    assert [r.clip.name for r in w.queue.model.rows] == ["S01_rev"] and clip is not None and clip.name == "S01_rev"


def test_a_window_built_for_a_test_or_a_script_reads_its_queue_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    from app.launch import build_window

    folder = tmp_path / "rev"
    build_review_project(folder)
    w = build_window(Project.open(folder), "rev", AppSettings(str(tmp_path / "s.ini")))
    qtbot.addWidget(w)
    assert isinstance(w, ReviewWindow) and [r.clip.name for r in w.queue.model.rows] == ["S01_rev"]
