"""Annotators see the outcome of a finalised clip and their agreement with it (issue 26, item 8)."""

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.model import MergedInstance, MergedStatus, MergeRule, Segment
from annotator.project import Project
from app.feedback.final_lane import YOURS_ONLY_ID, difference_bars
from app.main_window import MainWindow
from merging.final_agreement import agreement
from tests.app.conftest import shown_window
from tests.app.review.conftest import LEGS, NOSE, build_review_project


def _finalised_project(tmp_path: Path) -> Path:
    from merging.finalise import finalise_clips

    folder = tmp_path / "rev"
    build_review_project(folder)
    reviewer = Project.open(folder).open_store("rev")
    finalise_clips(reviewer, ["S01_rev"])  # the majority: nodding and legs kept, nose deleted
    reviewer.close()
    return folder


def test_annotator_sees_the_final_result_and_their_differences(qtbot: QtBot, tmp_path: Path) -> None:
    folder = _finalised_project(tmp_path)
    w = shown_window(qtbot, folder, "a3", tmp_path / "s.ini", (1600, 900))
    assert isinstance(w, MainWindow)
    clip = next(r.clip for r in w.queue.model.rows if r.clip.name == "S01_rev")
    w.open_clip_id(clip.id)
    QApplication.processEvents()
    lane = w.final_lane
    assert lane.plot.isVisible() and lane.plot.height() > 0
    finals = {b.action_id for b in lane.lane.bars if b.id < YOURS_ONLY_ID}
    assert LEGS in finals and NOSE not in finals  # the reviewer's outcome, deleted nose left out
    assert (lane.missed, lane.yours_only) == (1, 1)  # a3 missed the legs; their nose is not final
    assert any(b.id >= YOURS_ONLY_ID and b.action_id == NOSE for b in lane.lane.bars)
    assert "finalised" in w.statusBar().currentMessage()
    qtbot.waitUntil(w.queue.feedback.isVisible, timeout=10_000)  # read off the UI thread
    assert w.queue.feedback.text() == "Your agreement with the final result: F1 0.50 over 1 clip"
    w.grab().save(str(tmp_path / "final_lane.png"))
    other = next(r.clip for r in w.queue.model.rows if not r.clip.finalised)
    w.open_clip_id(other.id)
    assert not lane.plot.isVisible()  # an open clip shows no final lane
    w.close()


def test_no_finalised_clip_no_figure(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "rev"
    build_review_project(folder)
    w = shown_window(qtbot, folder, "a1", tmp_path / "s.ini")
    assert isinstance(w, MainWindow)
    assert not w.queue.feedback.isVisible() and not w.final_lane.plot.isVisible()
    w.close()


def _merged(i: int, start: int, end: int, action: int, status: MergedStatus = MergedStatus.RELIABLE) -> MergedInstance:
    return MergedInstance(i, 1, start, end, action, (), MergeRule.UNION, True, status)


def test_pooled_agreement_and_difference_bars() -> None:
    yours = {1: [Segment(1, 1, "a", 0, 10, 5), Segment(2, 1, "a", 20, 30, 6)], 2: []}
    final = {1: [_merged(1, 0, 11, 5), _merged(2, 40, 50, 7)], 2: [_merged(3, 0, 9, 5)]}
    result = agreement(yours, final, [1, 2])
    assert (result.matched, result.yours, result.final, result.clips) == (1, 2, 3, 2)
    assert abs((result.f1 or 0) - 0.4) < 1e-9
    bars, styles, missed, yours_only = difference_bars(yours[1], final[1], {})
    assert (missed, yours_only) == (1, 1) and len(bars) == 3 and set(styles) == {b.id for b in bars}
