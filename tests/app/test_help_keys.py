"""Help that cannot fall behind: the ? sheet and the guide list every key the window has (issue 26, item 6)."""

from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from app.help_window import guide_markdown
from app.labelling.shortcut_sheet import KeyedCommand, keys_markdown, menu_groups
from tests.app.conftest import review_window, shown_window


def _keyed_actions(w: QMainWindow) -> list[QAction]:
    return [a for a in w.findChildren(QAction) if a.shortcuts() and a.isVisible()]


def _check_every_key_listed(w: QMainWindow) -> None:
    sheet = w.sheet_html()  # type: ignore[attr-defined]
    w.guide_action.trigger()  # type: ignore[attr-defined]
    guide = w.guide_text()  # type: ignore[attr-defined]  # what the guide window shows
    actions = _keyed_actions(w)
    assert actions
    for action in actions:
        name = action.text().replace("&", "")
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.NativeText)
            assert f"{text}" in sheet, f"{name}: key {text} missing from the ? sheet"
            assert f"`{text}`" in guide, f"{name}: key {text} missing from the guide"
        assert name.replace("…", "") in sheet.replace("&#x27;", "'").replace("…", ""), f"{name} missing from the sheet"


def test_annotation_sheet_and_guide_list_every_key(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, user = app_project
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    sheet = w.sheet_html()
    for needed in ("Show skeleton", "Snap edge to motion", "Propose", "Accept proposal"):
        assert needed in sheet, needed
    _check_every_key_listed(w)
    titles = [a.text().replace("&", "") for a in w.menuBar().actions()]
    assert titles[-1] == "Help" and "Model" in titles and "Pose" in titles  # Help is the last menu
    w.close()


def test_review_sheet_and_guide_list_every_key(qtbot: QtBot, tmp_path: Path) -> None:
    w = review_window(qtbot, tmp_path)
    _check_every_key_listed(w)
    assert [a.text().replace("&", "") for a in w.menuBar().actions()][-1] == "Help"
    w.close()


def test_a_command_with_a_key_outside_the_menus_fails_the_check(qtbot: QtBot, app_project: tuple[Path, str],
                                                               tmp_path: Path) -> None:
    folder, user = app_project
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    stray = QAction("Stray command", w)
    stray.setShortcut(QKeySequence("Ctrl+Alt+F12"))
    w.addAction(stray)
    with pytest.raises(AssertionError, match="Stray command"):
        _check_every_key_listed(w)
    w.close()
    QApplication.processEvents()


def test_every_key_of_a_command_is_shown() -> None:
    md = keys_markdown([("Edit", [KeyedCommand(("Ctrl+Shift+Z", "Ctrl+Y"), "Redo")])])
    assert "`Ctrl+Shift+Z`, `Ctrl+Y`" in md


def test_guide_has_pose_and_model_sections() -> None:
    text = guide_markdown()
    assert "## Pose" in text and "## The model loop" in text
    assert menu_groups  # the sheet and the guide read the same function
