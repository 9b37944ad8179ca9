"""The proposal threshold: each clip its own, symmetric steps, a reset, a clear count (issue 26, item 3)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from app.proposals.proposal_controller import stepped_threshold
from tests.app.conftest import ready_window
from tests.app.proposals.test_proposals import add_proposals

Shift = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> Iterator[MainWindow]:
    folder, user = app_project
    add_proposals(folder)
    w = ready_window(qtbot, folder, user, tmp_path / "s.ini")
    yield w
    w.close()


def _key(qtbot: QtBot, w: MainWindow, k: Qt.Key, mod: Qt.KeyboardModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget() or w, k, mod)


def test_steps_down_then_up_come_back() -> None:
    value = 0.12
    for _ in range(3):
        value = stepped_threshold(value, -1, 0.12)
    assert value == 0.0
    for _ in range(3):
        value = stepped_threshold(value, 1, 0.12)
    assert abs(value - 0.12) < 1e-9  # not 0.15: the steps are the same both ways
    assert stepped_threshold(1.0, 1, 0.3) == 1.0 and stepped_threshold(0.0, -1, 0.3) == 0.0


def test_a_calibration_finer_than_the_slider_still_steps_down_to_zero() -> None:
    # a one-epoch model calibrated at 0.0069: the slider shows 0.01, and a step must leave it
    assert stepped_threshold(0.01, -1, 0.0069) == 0.0
    assert stepped_threshold(0.0, 1, 0.0069) == 0.01


def test_each_clip_has_its_threshold_and_a_reset(qtbot: QtBot, window: MainWindow) -> None:
    w, ctl = window, window.proposals
    a = w.session.clip
    assert a is not None and ctl.panel.threshold() == 0.3
    for _ in range(8):
        _key(qtbot, w, Qt.Key.Key_Up, Shift)
    assert ctl.panel.threshold() == 0.7 and [p.score for p in ctl.shown] == [0.82]
    b = next(r.clip.id for r in w.queue.model.rows if r.clip.id != a.id)
    w.open_clip_id(b)
    assert ctl.panel.threshold() == 0.3  # the next clip starts at the calibrated value
    w.open_clip_id(a.id)
    assert ctl.panel.threshold() == 0.7  # and this clip keeps its own
    _key(qtbot, w, Qt.Key.Key_Home, Shift)
    assert ctl.panel.threshold() == 0.3 and len(ctl.shown) == 2
    w.open_clip_id(b)
    w.open_clip_id(a.id)
    assert ctl.panel.threshold() == 0.3  # the reset is kept


def test_nothing_shown_does_not_read_as_nothing_found(window: MainWindow) -> None:
    ctl = window.proposals
    ctl.panel.set_threshold(0.9)
    text = ctl.panel.info.text()
    assert "none of 3 pending proposals scores 0.90 or more" in text and "Shift+Down" in text
    ctl.panel.set_threshold(0.3)
    assert "2 of 3 pending proposals score 0.30 or more" in ctl.panel.info.text()
