"""The review screen's queue fits its columns, and its saved layout stays its own."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.project import Project
from app.launch import build_window
from app.main_window import MainWindow
from app.review.review_window import ReviewWindow
from app.settings import AppSettings
from tests.app.review.test_review_window import open_review


def test_queue_shows_every_column_without_scrolling(qtbot: QtBot, review_project: Path, tmp_path: Path) -> None:
    w = open_review(qtbot, review_project, tmp_path)
    w.open_start_clip()
    QApplication.processEvents()
    table = w.queue.table
    header = table.horizontalHeader()
    assert table.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert header.sectionViewportPosition(4) + header.sectionSize(4) <= table.viewport().width()
    assert header.sectionSize(4) >= header.sectionSizeHint(4)  # "State" in full
    name = table.fontMetrics().horizontalAdvance("S01_rev")
    assert header.sectionSize(0) >= name
    w.close()


def test_review_layout_is_not_forced_on_the_annotation_window(qtbot: QtBot, review_project: Path,
                                                              tmp_path: Path) -> None:
    w = open_review(qtbot, review_project, tmp_path)
    w.close()  # saves the review screen's layout
    settings = AppSettings(str(tmp_path / "settings.ini"))
    state = settings.window_state()[1]
    assert state is not None
    annot = build_window(Project.open(review_project), "a1", settings)
    assert isinstance(annot, MainWindow)
    qtbot.addWidget(annot)
    assert not annot.restoreState(state)  # another window kind's layout is refused
    again = build_window(Project.open(review_project), "rev", settings)
    assert isinstance(again, ReviewWindow)
    qtbot.addWidget(again)
    assert again.restoreState(state)
    annot.close()
    again.close()
