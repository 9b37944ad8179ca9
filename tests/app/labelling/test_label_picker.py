"""The label picker widget: type-ahead, keys, answers."""

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.taxonomy import load_taxonomy
from app.labelling.label_picker import LabelPicker

TAX = load_taxonomy("mma52")


def make(qtbot: QtBot) -> tuple[LabelPicker, list[int], list[bool]]:
    picker = LabelPicker(TAX)
    qtbot.addWidget(picker)
    picked: list[int] = []
    dismissed: list[bool] = []
    picker.picked.connect(picked.append)
    picker.dismissed.connect(lambda: dismissed.append(True))
    picker.ask("Action")
    return picker, picked, dismissed


def test_code_then_enter_picks(qtbot: QtBot) -> None:
    picker, picked, _ = make(qtbot)
    qtbot.keyClicks(picker.edit, "B1")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert picked == [TAX.action_by_code("B1").id] and not picker.isVisible()


def test_down_arrow_moves_through_matches_while_typing(qtbot: QtBot) -> None:
    picker, picked, _ = make(qtbot)
    qtbot.keyClicks(picker.edit, "head")
    first = picker.current_action()
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)
    second = picker.current_action()
    assert first != second
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert picked == [second]


def test_no_match_keeps_the_picker_open_and_esc_dismisses(qtbot: QtBot) -> None:
    picker, picked, dismissed = make(qtbot)
    qtbot.keyClicks(picker.edit, "zzz")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert picked == [] and picker.isVisible()
    qtbot.keyClick(picker.edit, Qt.Key.Key_Escape)
    assert dismissed == [True] and not picker.isVisible()


def test_relabel_highlights_the_current_action(qtbot: QtBot) -> None:
    picker, _, _ = make(qtbot)
    picker.ask("New action", current_action=TAX.action_by_code("F5").id)
    assert picker.current_action() == TAX.action_by_code("F5").id
