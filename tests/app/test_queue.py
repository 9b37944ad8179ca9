"""Clip queue: filter, progress, next clip to do."""

from pathlib import Path

from pytestqt.qtbot import QtBot

from annotator.model import AssignmentState, Clip
from app.queue.queue_model import QueueRow
from app.queue.queue_widget import QueueWidget


def rows() -> list[QueueRow]:
    states = [AssignmentState.DONE, AssignmentState.TODO, AssignmentState.IN_PROGRESS, AssignmentState.DONE,
              AssignmentState.TODO]
    return [QueueRow(Clip(i, f"S0{i % 2}_clip{i}", f"S0{i % 2}", 30.0, 300), state, i)
            for i, state in enumerate(states, start=1)]


def test_progress_and_filters(qtbot: QtBot) -> None:
    q = QueueWidget()
    qtbot.addWidget(q)
    q.set_rows(rows())
    assert q.progress.text() == "2 / 5 clips done"
    q.search.setText("S01")
    assert q.proxy.rowCount() == 3
    q.search.setText("")
    q.state_box.setCurrentIndex(4)  # not done
    assert q.proxy.rowCount() == 3
    q.state_box.setCurrentIndex(1)  # to do
    assert q.proxy.rowCount() == 2


def test_next_open_clip_skips_done_and_wraps(qtbot: QtBot) -> None:
    q = QueueWidget()
    qtbot.addWidget(q)
    q.set_rows(rows())
    assert q.next_open_clip(None) == 2
    assert q.next_open_clip(2) == 3
    assert q.next_open_clip(3) == 5
    assert q.next_open_clip(5) == 2
    q.update_clip(2, state=AssignmentState.DONE)
    q.update_clip(3, state=AssignmentState.DONE)
    q.update_clip(5, state=AssignmentState.DONE)
    assert q.next_open_clip(5) is None
    assert q.progress.text() == "5 / 5 clips done"


def test_activation_reports_the_clip(qtbot: QtBot) -> None:
    q = QueueWidget()
    qtbot.addWidget(q)
    q.set_rows(rows())
    with qtbot.waitSignal(q.clipActivated) as sig:
        q.table.clicked.emit(q.proxy.index(0, 1))
    assert sig.args[0] == q.model.rows[q.proxy.mapToSource(q.proxy.index(0, 1)).row()].clip.id


def test_usefulness_order_puts_the_least_sure_clip_first(qtbot: QtBot, app_project: tuple[Path, str],
                                                         tmp_path: Path) -> None:
    from annotator.model import Proposal
    from annotator.models_registry import ModelVersion, add_version
    from annotator.project import Project
    from annotator.proposal_control import set_queue_order
    from tests.app.conftest import shown_window

    folder, user = app_project
    store = Project.open(folder).open_store()
    try:
        for clip, score in zip(store.clips(), (0.9, 0.2), strict=True):  # clip_b: the model is least sure
            store.add_proposals(clip.id, "m@1", [Proposal(None, clip.id, "m@1", 0, 20, 1, score)])
    finally:
        store.close()
    add_version(folder, ModelVersion(1, "m@1", "2026-01-01T00:00:00+00:00", "models/1/best.pt", "pose", "-",
                                     "ground-truth"))

    def first_shown(settings: str) -> str:
        w = shown_window(qtbot, folder, user, tmp_path / settings)
        q = w.queue
        first = q.model.rows[q.proxy.mapToSource(q.proxy.index(0, 0)).row()].clip.name
        assert q.next_open_clip(None) == next(r.clip.id for r in q.model.rows if r.clip.name == first)
        w.close()
        return first

    assert first_shown("a.ini") == "S01_clip_a"  # the stored order, by name
    set_queue_order(folder, "usefulness")
    assert first_shown("b.ini") == "S01_clip_b"


def test_a_damaged_clip_is_marked_and_its_tooltip_says_how_many_frames_were_read(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QIcon

    from app.review.review_model import ReviewRow
    from app.review.review_queue import ReviewQueue

    q = QueueWidget()
    qtbot.addWidget(q)
    whole = rows()
    q.set_rows(whole)
    plain_width = q.ideal_width()
    damaged = QueueRow(Clip(9, "S01_clip9", "S01", 30.0, 56, damaged=True), AssignmentState.TODO, 0)
    q.set_rows([*whole, damaged])
    name, state = q.model.index(5, 1), q.model.index(5, 0)
    icon = q.model.data(name, Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    assert "damaged video: only 56 frames (1.9 s) could be read" in q.model.data(name, Qt.ItemDataRole.ToolTipRole)
    assert q.model.data(state, Qt.ItemDataRole.DecorationRole) is None  # the mark sits beside the name only
    assert q.model.data(q.model.index(0, 1), Qt.ItemDataRole.DecorationRole) is None
    assert "damaged" not in q.model.data(q.model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    assert q.ideal_width() > plain_width  # room for the mark, so the name is not elided
    review = ReviewQueue()
    qtbot.addWidget(review)
    review.model.set_rows([ReviewRow(damaged.clip, 1, 0, 0), ReviewRow(whole[0].clip, 0, 0, 0)])
    assert isinstance(review.model.data(review.model.index(0, 0), Qt.ItemDataRole.DecorationRole), QIcon)
    assert "only 56 frames" in review.model.data(review.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert review.model.data(review.model.index(1, 0), Qt.ItemDataRole.DecorationRole) is None
