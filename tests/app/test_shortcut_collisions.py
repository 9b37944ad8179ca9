"""Every key bound anywhere, pressed in every window and dialog that can be active: no key may
reach two shortcuts at once (Qt then runs neither and prints 'Ambiguous shortcut overload').

A Qt::Tool window shares its parent window's shortcuts, so a collision can hide between a
dialog and the window under it; pressing the real keys finds it wherever it is.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShortcutEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.window_common import ClipWindow
from tests.app.conftest import shown_window
from tests.app.review.conftest import build_review_project


class ShortcutRecorder(QObject):
    """Eats every shortcut event (no command runs) and records whether it was ambiguous."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, bool]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Shortcut:
            assert isinstance(event, QShortcutEvent)
            self.events.append((event.key().toString(), event.isAmbiguous()))
            return True
        return False


def bound_keys() -> set[str]:
    """Every key sequence of every action and shortcut object alive in the app."""
    keys: set[str] = set()
    for top in QApplication.topLevelWidgets():
        for action in [*top.findChildren(QAction), *top.actions()]:
            keys |= {k.toString() for k in action.shortcuts() if not k.isEmpty()}
        for sc in top.findChildren(QShortcut):
            keys |= {k.toString() for k in sc.keys() if not k.isEmpty()}
    return keys


def press_everywhere(qtbot: QtBot, open_it: Callable[[], QWidget]) -> list[str]:
    """Open the window/dialog, press each bound key with it active; return the ambiguous keys."""
    app = QApplication.instance()
    assert app is not None
    recorder = ShortcutRecorder()
    ambiguous: list[str] = []
    app.installEventFilter(recorder)
    try:
        for key in sorted(bound_keys() | {"?", "F1", "Esc"}):
            target = open_it()
            target.activateWindow()
            qtbot.waitUntil(lambda t=target: QApplication.activeWindow() is t.window(), timeout=2000)
            recorder.events.clear()
            QTest.keySequence(QApplication.focusWidget() or target, QKeySequence(key))
            ambiguous += [f"{target.objectName() or type(target).__name__}: {k}"
                          for k, amb in recorder.events if amb]
    finally:
        app.removeEventFilter(recorder)
    return ambiguous


@pytest.fixture(params=["annotator", "reviewer"])
def any_window(request: pytest.FixtureRequest, qtbot: QtBot, app_project: tuple[Path, str],
               tmp_path: Path) -> Iterator[ClipWindow]:
    if request.param == "annotator":
        folder, user = app_project
    else:
        folder, user = tmp_path / "rev", "rev"
        build_review_project(folder)
    w = shown_window(qtbot, folder, user, tmp_path / "settings.ini")
    w.open_start_clip()
    yield w
    w.close()


def _sheet(w: ClipWindow) -> QWidget:
    if w.sheet is None or not w.sheet.isVisible():
        w.show_shortcuts()
    assert w.sheet is not None
    return w.sheet


def _picker(w: ClipWindow) -> QWidget:
    picker = w.picker  # type: ignore[attr-defined]
    if not picker.isVisible():
        picker.ask("probe")
    return picker


def _find(w: ClipWindow) -> QWidget:
    if w.find_dialog is None or not w.find_dialog.isVisible():
        w.show_find()
    assert w.find_dialog is not None
    return w.find_dialog


def _export(w: ClipWindow) -> QWidget:
    show = getattr(w, "show_export", None)
    if show is None:  # the annotation screen has no export: its window stands in
        return _window(w)
    dialog = getattr(w, "export_dialog", None)
    if dialog is None or not dialog.isVisible():
        show()
    return w.export_dialog  # type: ignore[attr-defined,no-any-return]


def _key_editor(w: ClipWindow) -> QWidget:
    if w.key_editor is None or not w.key_editor.isVisible():
        w.edit_shortcuts()
    assert w.key_editor is not None
    return w.key_editor


def _guide(w: ClipWindow) -> QWidget:
    if w.guide is None or not w.guide.isVisible():
        w.show_guide()
    assert w.guide is not None
    return w.guide


def _window(w: ClipWindow) -> QWidget:
    for top in QApplication.topLevelWidgets():
        if top is not w and top.isVisible():
            top.hide()
    return w


OPENERS: dict[str, Callable[[ClipWindow], QWidget]] = {
    "window": _window, "shortcut sheet": _sheet, "label picker": _picker, "find": _find,
    "export": _export, "shortcut editor": _key_editor, "user guide": _guide,
}


@pytest.mark.parametrize("opener", sorted(OPENERS))
def test_no_key_is_ambiguous_in_any_window_or_dialog(qtbot: QtBot, any_window: ClipWindow, opener: str) -> None:
    w = any_window
    assert press_everywhere(qtbot, lambda: OPENERS[opener](w)) == []


def test_the_sheet_closes_with_esc_question_mark_and_f1(qtbot: QtBot, any_window: ClipWindow) -> None:
    w = any_window
    for key in ("Esc", "?", "F1"):
        sheet = _sheet(w)
        sheet.activateWindow()
        qtbot.waitUntil(lambda s=sheet: QApplication.activeWindow() is s, timeout=2000)
        QTest.keySequence(QApplication.focusWidget() or sheet, QKeySequence(key))
        assert not sheet.isVisible(), f"{key} left the sheet open"
