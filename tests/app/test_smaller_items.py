"""The smaller defects of issue 26, item 11: the picker, done -> next clip, what K does."""

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.app.conftest import ready_window


def test_picker_opens_at_the_label_picked_last_and_done_offers_the_next_clip(
        qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, user = app_project
    w = ready_window(qtbot, folder, user, tmp_path / "s.ini")
    w.picker.ask("first")
    qtbot.keyClicks(w.picker.edit, "nod")
    nod = w.picker.current_action()
    w.picker.accept()
    w.picker.ask("second")
    assert w.picker.current_action() == nod  # not the table's first entry (A1)
    w.picker.reject()
    w.mark_done(True)
    assert "N opens the next clip" in w.statusBar().currentMessage()
    said: list[str] = []
    w.pose.message.connect(said.append)
    w.pose.toggle_skeleton()
    w.pose.toggle_skeleton()
    assert said and any("Skeleton" in s for s in said)  # K says what it did
    QApplication.processEvents()
    w.close()


def test_o_marks_the_first_frame_after_the_action_as_the_guide_and_the_sheet_say(
        qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    from app.help_window import guide_markdown
    from app.labelling.shortcuts import SHORTCUTS

    folder, user = app_project
    w = ready_window(qtbot, folder, user, tmp_path / "s.ini")
    w.player.seek(30)
    w.controller.mark_in()
    w.player.seek(54)
    w.controller.mark_out()
    w.picker.edit.setText("nod")
    w.picker.accept()
    (seg,) = w.session.segments
    assert (seg.start_frame, seg.end_frame, seg.end_frame - seg.start_frame) == (30, 54, 24)
    hint = next(s.help for s in SHORTCUTS if s.id == "mark_out")
    assert "first frame after the action" in hint and "24 frames" in hint  # the ? sheet shows it
    assert "`O` at the first frame after it" in guide_markdown() and "30–54 is 24 frames" in guide_markdown()
    w.close()
