"""The Find window in both screens: a list that opens the clip at the instance."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.model import Segment
from annotator.project import Project
from app.main_window import MainWindow
from tests.app.conftest import review_window, shown_window
from tests.app.review.conftest import NOD


def test_annotator_finds_own_instances_and_opens_one(qtbot: QtBot, app_project: tuple[Path, str],
                                                    tmp_path: Path) -> None:
    folder, user = app_project
    store = Project.open(folder).open_store(user)
    clips = store.clips()
    target = store.add_segment(Segment(None, clips[1].id, user, 12, 30, NOD))
    store.add_segment(Segment(None, clips[0].id, user, 3, 9, 24))
    store.close()
    other = Project.open(folder).open_store("other")
    other.add_segment(Segment(None, clips[1].id, "other", 40, 50, NOD))  # blind: never found by 'ann'
    other.close()
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    assert isinstance(w, MainWindow)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    w.open_clip_id(clips[0].id)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    find = w.find_dialog
    assert find is not None and find.isVisible()
    assert find.tabs.count() == 1 and not find.author_box.isEnabled()  # no disagreement tab, own work only
    find.action_box.setCurrentIndex(find.action_box.findData(NOD))
    assert [(h.author, h.start_frame) for h in find.hits] == [(user, 12)]
    assert find.count.text().startswith("1 instance in 1 clip")
    find.table.setCurrentIndex(find.table.model().index(0, 0))
    find.table.setFocus()
    qtbot.keyClick(find.table, Qt.Key.Key_Return)
    assert w.session.clip is not None and w.session.clip.id == clips[1].id
    assert w.player.current == 12 and w.session.selected == target.id
    w.close()


def test_reviewer_sees_every_annotator_and_the_disputed_clips(qtbot: QtBot, tmp_path: Path) -> None:
    w = review_window(qtbot, tmp_path)
    w.show_find()
    find = w.find_dialog
    assert find is not None and find.tabs.count() == 2 and find.author_box.isEnabled()
    find.author_box.setCurrentIndex(find.author_box.findData("a2"))
    assert {h.author for h in find.hits} == {"a2"} and len(find.hits) == 2
    assert [d.clip_name for d in find.disputed] == ["S01_rev"] and find.disputed[0].disputed == 3
    find._open_disputed(0)
    assert w.session.clip is not None and w.session.clip.name == "S01_rev"
    w.close()


def test_results_are_drawn_from_the_list_as_the_view_asks(qtbot: QtBot) -> None:
    """A whole project's instances: cells are made for the rows the view shows, not for every result."""
    from PySide6.QtWidgets import QTableView

    from app.find.find_dialog import ResultsModel

    made: list[int] = []

    def cells(k: int) -> tuple[str, ...]:
        made.append(k)
        return f"S01_clip{k}", "a1", f"{k}–{k + 9}"

    model = ResultsModel[int](["Clip", "Annotator", "Frames"], cells)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.set_results(list(range(20_000)))
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    assert model.rowCount() == 20_000 and model.headerData(2, Qt.Orientation.Horizontal) == "Frames"
    assert model.data(model.index(7, 2)) == "7–16" and model.data(model.index(7, 0)) == "S01_clip7"
    assert model.data(model.index(7, 2), Qt.ItemDataRole.TextAlignmentRole) is not None  # numbers right-aligned
    assert model.data(model.index(7, 1), Qt.ItemDataRole.TextAlignmentRole) is None
    assert 0 < len(set(made)) < 200
