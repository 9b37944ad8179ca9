"""Start-up pieces: arguments, settings, reopening where the user left off."""

import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from annotator.project import Project
from app.launch import build_window, parse_args, style_sheet
from app.settings import AppSettings
from tests.app.conftest import shown_window


def test_arguments() -> None:
    args = parse_args(["demo_project", "--as", "annotator1"])
    assert (args.project, args.user) == ("demo_project", "annotator1")
    assert parse_args([]).project is None


def test_settings_round_trip(tmp_path: Path) -> None:
    path = str(tmp_path / "s.ini")
    s = AppSettings(path)
    s.last_project = "/p/one"
    s.set_user_for("/p/one", "annotator2")
    s.set_last_clip("/p/one", "annotator2", 7)
    s.cache_budget_bytes = 256 << 20
    s.sync()
    again = AppSettings(path)
    assert again.last_project == "/p/one"
    assert again.user_for("/p/one") == "annotator2" and again.user_for("/p/two") is None
    assert again.last_clip("/p/one", "annotator2") == 7 and again.last_clip("/p/one", "rev") is None
    assert again.cache_budget_bytes == 256 << 20


def test_style_sheet_is_bundled() -> None:
    assert "QTableView" in style_sheet()


def test_annotation_window_start_up_imports_no_scipy_or_torch() -> None:
    """scipy (the review screen's merge) and torch cost the window's open time; annotators need neither."""
    code = "import sys, app.launch; print(sorted(m for m in ('scipy', 'torch') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_window_reopens_the_clip_left_open(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, user = app_project
    settings = AppSettings(str(tmp_path / "s.ini"))
    w = build_window(Project.open(folder), user, settings)
    qtbot.addWidget(w)
    w.open_start_clip()
    first = w.session.clip
    assert first is not None
    w.open_next_clip()
    second = w.session.clip
    assert second is not None and second.id != first.id
    w.player.seek(17)
    w.close()
    assert settings.last_project == str(folder.resolve()) and settings.user_for(str(folder.resolve())) == user
    again = build_window(Project.open(folder), user, settings)
    qtbot.addWidget(again)
    again.open_start_clip()
    assert again.session.clip is not None and again.session.clip.id == second.id
    assert again.player.current == 17  # the playhead where it was left
    # The cache says complete on the decoder's thread before its 'decoded' signal reaches the
    # window, which is what paints the frame: wait for the paint, not for the flag.
    qtbot.waitUntil(lambda: again.player._shown == 17, timeout=10000)
    again.close()


def test_window_remembers_the_player_timeline_split_and_its_frame_memory(
        qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, user = app_project
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini", (1200, 800))
    w.splitter.setSizes([300, 400])
    sizes = w.splitter.sizes()
    w.close()
    again = shown_window(qtbot, folder, user, tmp_path / "s.ini", (1200, 800))
    assert again.splitter.sizes() == sizes
    # The window recorded what to reserve early at the next start (main.py's warm start).
    hint = AppSettings(str(tmp_path / "s.ini")).frame_memory(str(folder.resolve()))
    assert hint is not None and hint[0] > 0 and hint[1] > 0
    again.close()


def test_restore_is_refused_while_the_window_holds_the_project(qtbot: QtBot, app_project: tuple[Path, str],
                                                               tmp_path: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    from annotator.app_hold import exclusive_hold
    from annotator.errors import InputError

    folder, user = app_project
    w = build_window(Project.open(folder), user, AppSettings(str(tmp_path / "s.ini")))
    with pytest.raises(InputError, match="open in MMAD Studio"), exclusive_hold(folder):
        pass
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    with exclusive_hold(folder):  # the window is gone: so is its hold
        pass


def test_the_store_opened_to_check_the_user_is_the_windows(qtbot: QtBot, app_project: tuple[Path, str],
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.launch import choose_project

    folder, user = app_project
    settings = AppSettings(str(tmp_path / "s.ini"))
    opened: list[str | None] = []
    real = Project.open_store

    def counted(self: Project, who: str | None = None, backup: bool = True) -> object:
        opened.append(who)
        return real(self, who, backup)

    monkeypatch.setattr(Project, "open_store", counted)
    chosen = choose_project(settings, str(folder), user)
    assert chosen is not None and chosen[1] == user and chosen[2] is not None
    window = build_window(chosen[0], chosen[1], settings, store=chosen[2])
    qtbot.addWidget(window)
    assert window.store is chosen[2] and opened == [user]  # opened once: on a team server that is 15 round trips
    settings.set_user_for(str(folder), user)
    again = choose_project(settings, str(folder), None)  # the user remembered for the folder (SQLite: no login)
    assert again is not None and again[1] == user and again[2] is not None
    again[2].close()
