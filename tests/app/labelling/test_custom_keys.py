"""Shortcuts you can change: stored, checked for collisions, shown on the ? sheet."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QTextBrowser
from pytestqt.qtbot import QtBot

from app.labelling.custom_keys import collisions, key_forms
from app.labelling.shortcuts import SHORTCUTS
from app.main_window import MainWindow
from app.settings import AppSettings
from tests.app.conftest import shown_window


def test_collisions_of_any_bindings() -> None:
    assert collisions({"a": ["I"], "b": ["O"]}) == []
    assert collisions({"a": ["I"], "b": ["i"]}) == ["I is both 'a' and 'b'"]
    assert key_forms("Shift+]") == {"Shift+]", "}"}
    assert collisions({"a": ["Shift+]"], "b": ["}"]}) != []  # one press on X11 reaches both
    assert "not a key" in collisions({"a": ["Ctrl+Nope"]})[0]
    assert collisions({s.id: s.keys for s in SHORTCUTS}) == []  # the defaults are clean


def test_changed_key_is_used_stored_and_on_the_sheet(qtbot: QtBot, app_project: tuple[Path, str],
                                                     tmp_path: Path) -> None:
    folder, user = app_project
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    assert isinstance(w, MainWindow)
    w.open_start_clip()
    w.keys_action.trigger()
    editor = w.key_editor
    assert editor is not None and editor.isVisible()
    editor.edits["mark_in"].setKeySequence(QKeySequence("O"))  # O is 'mark end': refused
    editor.save()
    assert "O is both" in editor.problems.text() and editor.isVisible()
    # the commands as the user knows them, not their ids ('mark_in')
    assert "'Mark start at playhead' and 'Mark end at playhead, then label'" in editor.problems.text()
    redo = next(r for r, a in enumerate(editor.commands) if a.objectName() == "redo")
    assert editor.table.item(redo, 2).text() == "Ctrl+Y"  # a command's second key is shown too
    assert w.actions_by_id["mark_in"].shortcut().toString() == "I"
    editor.edits["mark_in"].setKeySequence(QKeySequence("B"))
    editor.save()
    assert not editor.isVisible() and w.actions_by_id["mark_in"].shortcut().toString() == "B"
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_B)
    assert "Start marked" in w.statusBar().currentMessage()
    w.show_shortcuts()
    assert w.sheet is not None
    text = w.sheet.findChild(QTextBrowser).toPlainText()
    lines = [ln.strip() for ln in text.splitlines()]
    at = next(i for i, ln in enumerate(lines) if ln.startswith("Mark start at playhead"))
    assert lines[at - 1] == "B"  # the key column shows the user's key
    assert AppSettings(str(tmp_path / "s.ini")).shortcut_overrides(w.STATE_VERSION) == {"mark_in": ("B",)}
    w.close()
    again = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    assert isinstance(again, MainWindow)
    assert again.actions_by_id["mark_in"].shortcut().toString() == "B"
    again.close()


def test_a_stored_choice_that_collides_is_not_used(qtbot: QtBot, app_project: tuple[Path, str],
                                                   tmp_path: Path) -> None:
    folder, user = app_project
    settings = AppSettings(str(tmp_path / "s.ini"))
    settings.set_shortcut_overrides(1, {"mark_in": ("O",)})
    settings.sync()
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    assert isinstance(w, MainWindow)
    assert w.actions_by_id["mark_in"].shortcut().toString() == "I"
    assert "not used" in w.statusBar().currentMessage()
    w.close()
