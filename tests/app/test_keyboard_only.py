"""The whole labelling flow with the keyboard only, no mouse; and the screens at device pixel ratio 2 (issue 26, item 13)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.model import AssignmentState
from annotator.project import Project
from app.main_window import MainWindow
from tests.app.conftest import ready_window

Ctrl = Qt.KeyboardModifier.ControlModifier
Shift = Qt.KeyboardModifier.ShiftModifier
NoMod = Qt.KeyboardModifier.NoModifier


def _key(qtbot: QtBot, w: MainWindow, k: Qt.Key, mod: Qt.KeyboardModifier = NoMod, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget() or w, k, mod)


def _label(qtbot: QtBot, w: MainWindow, text: str) -> None:
    assert w.picker.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.picker.edit, timeout=3000)  # typing goes there
    qtbot.keyClicks(QApplication.focusWidget(), text)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert not w.picker.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)  # the keys are the window's again


def test_label_a_clip_with_the_keyboard_only(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, user = app_project
    w = ready_window(qtbot, folder, user, tmp_path / "s.ini")
    first = w.session.clip
    assert first is not None
    _key(qtbot, w, Qt.Key.Key_Right, times=5)
    _key(qtbot, w, Qt.Key.Key_I)
    _key(qtbot, w, Qt.Key.Key_Right, Shift)  # ten frames on
    _key(qtbot, w, Qt.Key.Key_Right, times=5)
    _key(qtbot, w, Qt.Key.Key_O)
    _label(qtbot, w, "nod")
    _key(qtbot, w, Qt.Key.Key_BracketRight, Shift)  # end five frames later
    _key(qtbot, w, Qt.Key.Key_BracketLeft)  # start one frame earlier
    _key(qtbot, w, Qt.Key.Key_Right, times=8)
    _key(qtbot, w, Qt.Key.Key_S)  # split at the playhead
    assert len(w.session.segments) == 2
    _key(qtbot, w, Qt.Key.Key_Z, Ctrl)  # undo the split
    assert len(w.session.segments) == 1
    _key(qtbot, w, Qt.Key.Key_Comma)
    _key(qtbot, w, Qt.Key.Key_C)
    _label(qtbot, w, "shak")  # relabel: shaking legs
    _key(qtbot, w, Qt.Key.Key_Return, Ctrl)  # done
    _key(qtbot, w, Qt.Key.Key_N)  # the next clip to do
    second = w.session.clip
    assert second is not None and second.id != first.id
    _key(qtbot, w, Qt.Key.Key_Return, Ctrl | Shift)  # done, no instances
    store = Project.open(folder).open_store(user)
    try:
        (seg,) = store.segments(first.id, user)
        assert (seg.start_frame, seg.end_frame) == (4, 25)
        assert "shaking" in store.taxonomy.action(seg.action_id).name
        states = {r.clip.id: r.state for r in w.queue.model.rows}
        assert states[first.id] is AssignmentState.DONE and states[second.id] is AssignmentState.DONE
    finally:
        store.close()
    w.close()


SHOT = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
app = QApplication([])
from annotator.project import Project
from app.launch import build_window
from app.settings import AppSettings
w = build_window(Project.open(Path({folder!r})), {user!r}, AppSettings({settings!r}))
w.resize(1400, 800)
w.show()
w.open_start_clip()
for _ in range(50):
    app.processEvents()
image = w.grab()
print(image.devicePixelRatio(), image.width(), image.height())
image.save({out!r})
"""


@pytest.mark.slow
def test_screens_at_device_pixel_ratio_2(app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, user = app_project
    out = tmp_path / "dpr2.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    code = SHOT.format(root=str(Path(__file__).resolve().parents[2]), folder=str(folder), user=user,
                       settings=str(tmp_path / "s.ini"), out=str(out))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    ratio, width, height = done.stdout.split()[-3:]
    assert float(ratio) == 2.0 and int(width) == 2800 and int(height) == 1600  # drawn at twice the pixels
    assert out.is_file()
