"""Qt tests run offscreen; fixtures for the desktop app: a tiny project with real video clips."""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import pytest  # noqa: E402

if TYPE_CHECKING:
    from app.main_window import MainWindow
    from app.review.review_window import ReviewWindow
from pytestqt.qtbot import QtBot  # noqa: E402

from tests.annotator.media.video_files import CLIP_FPS, CLIP_FRAMES, CLIP_SIZE, write_test_clip  # noqa: E402


@pytest.fixture(scope="session")
def app_project_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder app_project copies: built once, as each test would build it (no stored absolute path)."""
    from annotator.model import Role
    from annotator.project import Project
    from annotator.store.api import NewClip

    folder = tmp_path_factory.mktemp("app-project") / "proj"
    project = Project.create(folder)
    owner = project.open_store()
    try:
        owner.add_annotator("ann", Role.ANNOTATOR)
        owner.add_annotator("other", Role.ANNOTATOR)
        for name in ("S01_clip_a", "S01_clip_b"):
            write_test_clip(project.media_dir / f"{name}.mp4")
            (clip,) = owner.add_clips([NewClip(name=name, subject="S01", fps=CLIP_FPS, frame_count=CLIP_FRAMES)])
            owner.attach_media(clip.id, f"{name}.mp4", CLIP_FPS, CLIP_FRAMES, *CLIP_SIZE)
            owner.assign(clip.id, "ann")
            owner.assign(clip.id, "other")
    finally:
        owner.close()
    return folder


@pytest.fixture
def app_project(tmp_path: Path, app_project_template: Path) -> Iterator[tuple[Path, str]]:
    """A project with two 60-frame clips assigned to 'ann' (an annotator); yields (folder, user)."""
    folder = tmp_path / "proj"
    shutil.copytree(app_project_template, folder)
    yield folder, "ann"


def shown_window(qtbot: QtBot, folder: Path, user: str, settings_file: Path,
                 size: tuple[int, int] = (1400, 800), extract_pose: bool = False) -> MainWindow | ReviewWindow:
    """The app's window on a project as `user`, shown at `size` (closed by qtbot at the end); it
    extracts no pose (a MediaPipe worker per window) unless the test asks for it."""
    from annotator.project import Project
    from app.launch import build_window
    from app.main_window import MainWindow
    from app.settings import AppSettings

    w = build_window(Project.open(folder), user, AppSettings(str(settings_file)))
    if isinstance(w, MainWindow):
        w.pose.extract = extract_pose
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


def ready_window(qtbot: QtBot, folder: Path, user: str, settings_file: Path,
                 size: tuple[int, int] = (1400, 800), extract_pose: bool = False) -> MainWindow:
    """The annotation window shown and active, its start clip open and fully decoded."""
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow

    w = shown_window(qtbot, folder, user, settings_file, size, extract_pose)
    assert isinstance(w, MainWindow)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    w.open_start_clip()
    qtbot.waitUntil(lambda: w.player.cache is not None and w.player.cache.complete, timeout=10000)
    return w


def review_window(qtbot: QtBot, tmp_path: Path) -> ReviewWindow:
    """The review screen on a fresh merged review project (tests/app/review/conftest.py), shown."""
    from app.review.review_window import ReviewWindow
    from tests.app.review.conftest import build_review_project

    folder = tmp_path / "rev"
    build_review_project(folder)
    w = shown_window(qtbot, folder, "rev", tmp_path / "s.ini")
    assert isinstance(w, ReviewWindow)
    return w


@pytest.fixture
def chinese(qtbot: QtBot) -> Iterator[None]:
    """The app's translators for zh_CN installed for the test, English again after it."""
    from PySide6.QtCore import QCoreApplication, QLocale
    from PySide6.QtWidgets import QApplication

    from app.i18n import install_translators

    app = QApplication.instance()
    assert isinstance(app, QCoreApplication)
    installed = install_translators(app, "zh_CN")
    yield
    for t in installed:
        app.removeTranslator(t)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
