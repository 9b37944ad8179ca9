"""Reviewer keys that cannot decide by accident; finalising asks; un-finalising exists (issue 26, item 4)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.model import MergedStatus
from app.review.review_window import ReviewWindow
from tests.app.review.conftest import NOSE
from tests.app.review.test_review_window import key, open_review, select_action, stored

Ctrl = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot: QtBot, review_project: Path, tmp_path: Path) -> Iterator[ReviewWindow]:
    w = open_review(qtbot, review_project, tmp_path)
    w.open_start_clip()
    yield w
    w.close()


def test_one_edge_key_on_an_undecided_instance_only_shows_the_edge(qtbot: QtBot, window: ReviewWindow,
                                                                   review_project: Path) -> None:
    select_action(window, NOSE)  # majority "delete", undecided
    inst = window.session.selected_instance()
    assert inst is not None and inst.decision is None
    key(qtbot, window, Qt.Key.Key_BracketRight)
    assert stored(review_project)[NOSE].decision is None  # looking at the edge decided nothing
    assert stored(review_project)[NOSE].status is MergedStatus.NEEDS_REVIEW
    assert window.player.current == inst.end_frame
    assert "again moves it" in window.statusBar().currentMessage()
    key(qtbot, window, Qt.Key.Key_BracketRight)  # the same key again: the reviewer means it
    assert stored(review_project)[NOSE].end_frame == inst.end_frame + 1
    assert stored(review_project)[NOSE].decision is not None


def test_finalise_asks_and_un_finalise_opens_it_again(qtbot: QtBot, window: ReviewWindow,
                                                      review_project: Path) -> None:
    asked: list[str] = []
    answer = [False]

    def confirm(question: str) -> bool:
        asked.append(question)
        return answer[0]

    window.confirm = confirm  # type: ignore[method-assign]
    for _ in range(3):
        key(qtbot, window, Qt.Key.Key_Return)
        key(qtbot, window, Qt.Key.Key_N)
    key(qtbot, window, Qt.Key.Key_Return, Ctrl)
    clip = window.session.clip
    assert clip is not None and asked and "Finalise clip S01_rev?" in asked[-1]
    assert not window.store.clip(clip.id).finalised  # "No" finalises nothing
    answer[0] = True
    key(qtbot, window, Qt.Key.Key_Return, Ctrl)
    assert window.store.clip(clip.id).finalised
    assert "Ctrl+N opens the next clip" in window.statusBar().currentMessage()
    window.actions_by_id["unfinalise"].trigger()
    assert not window.store.clip(clip.id).finalised
    assert not window.queue.model.rows[0].clip.finalised
    key(qtbot, window, Qt.Key.Key_Return, Ctrl)
    assert window.store.clip(clip.id).finalised  # the decisions stayed: it finalises again at once


def test_the_reviewers_picker_lists_the_annotators_labels_first(window: ReviewWindow) -> None:
    from app.labelling.label_picker import ACTION_ROLE
    from tests.app.review.conftest import NOD

    select_action(window, NOSE)  # a3 alone: touching nose
    window.ask_label()
    first = window.picker.list.topLevelItem(0)
    assert first is not None and int(first.data(0, ACTION_ROLE)) == NOSE  # not the table's A1
    window.picker.reject()
    select_action(window, NOD)
    window.ask_label()
    assert int(window.picker.list.topLevelItem(0).data(0, ACTION_ROLE)) == NOD
    window.picker.reject()
