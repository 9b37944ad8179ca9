"""An app that looks finished: icons, the About box's versions, the user guide with the keys."""

from pathlib import Path

from PySide6 import __version__ as pyside_version
from pytestqt.qtbot import QtBot

from app.about import about_html, versions
from app.help_window import guide_markdown
from app.icons import ACTION_ICONS, icon
from app.main_window import MainWindow
from tests.app.conftest import shown_window


def test_every_icon_named_is_drawn(qtbot: QtBot) -> None:
    for name in {*ACTION_ICONS.values(), "app"}:
        assert not icon(name).isNull(), name
        assert not icon(name).pixmap(24, 24).isNull(), name


def test_window_and_main_actions_have_icons(qtbot: QtBot, app_project: tuple[Path, str], tmp_path: Path) -> None:
    folder, user = app_project
    w = shown_window(qtbot, folder, user, tmp_path / "s.ini")
    assert isinstance(w, MainWindow)
    assert not w.windowIcon().isNull()
    for action_id in ("next_clip", "mark_done", "undo", "redo", "find", "video_zoom_in", "go_to"):
        assert not w.actions_by_id[action_id].icon().isNull(), action_id
    w.guide_action.trigger()
    assert w.guide is not None and w.guide.isVisible()
    text = w.guide.text.toPlainText()
    assert "For annotators" in text and "For reviewers" in text
    assert "Ctrl+G" in text and "Go to frame or time" in text  # the keys, from the window's actions
    w.close()


def test_about_names_the_versions() -> None:
    names = dict(versions())
    assert names["PySide6"] == pyside_version and names["MMAD Studio"] != "not installed"
    assert pyside_version in about_html() and "Python" in about_html()


def test_guide_is_bundled_markdown() -> None:
    text = guide_markdown()
    assert text.startswith("# MMAD Studio") and "## For annotators" in text and "## For reviewers" in text
