"""The annotation window opens its docks at their content's width and remembers the user's layout."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget
from pytestqt.qtbot import QtBot

from annotator.project import Project
from app.launch import build_window
from app.main_window import MainWindow
from app.settings import AppSettings
from tests.app.proposals.test_proposals import add_proposals


def _open(qtbot: QtBot, folder: Path, user: str, settings: AppSettings) -> MainWindow:
    w = build_window(Project.open(folder), user, settings)
    assert isinstance(w, MainWindow)
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    qtbot.waitExposed(w)
    w.open_start_clip()
    QApplication.processEvents()
    return w


def _dock(w: MainWindow, name: str) -> QDockWidget:
    dock = w.findChild(QDockWidget, name)
    assert dock is not None
    return dock


def test_docks_show_every_queue_column_and_the_action_names(qtbot: QtBot, app_project: tuple[Path, str],
                                                             tmp_path: Path) -> None:
    folder, user = app_project
    add_proposals(folder)  # the proposal row under the timeline must not squeeze the docks
    w = _open(qtbot, folder, user, AppSettings(str(tmp_path / "s.ini")))
    table = w.queue.table
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(header.count())) <= table.viewport().width()
    longest = max(table.fontMetrics().horizontalAdvance(r.clip.name) for r in w.queue.model.rows)
    assert header.sectionSize(1) >= longest + 8  # clip names in full
    inst_header = w.instances.horizontalHeader()
    action_text = max(w.instances.fontMetrics().horizontalAdvance(f"{a.code}  {a.name}")
                      for a in w.session.taxonomy.actions if len(a.name) <= 16)
    assert inst_header.sectionSize(4) >= action_text  # a common action name is not elided
    assert w.centralWidget().width() >= 700  # the player and lanes keep most of the window
    w.close()


def test_user_layout_is_remembered(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, user = app_project
    settings = AppSettings(str(tmp_path / "s.ini"))
    w = _open(qtbot, folder, user, settings)
    w.resizeDocks([_dock(w, "dockClips")], [520], Qt.Orientation.Horizontal)
    QApplication.processEvents()
    chosen = _dock(w, "dockClips").width()
    w.close()
    again = _open(qtbot, folder, user, AppSettings(str(tmp_path / "s.ini")))
    assert abs(_dock(again, "dockClips").width() - chosen) <= 4  # not refitted over the user's choice
    again.close()
