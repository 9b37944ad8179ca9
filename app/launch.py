"""Start-up: `main.py [PROJECT] [--as NAME]` opens the annotation window (no torch import)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.app_hold import hold_open
from annotator.errors import InputError, PermissionDenied
from annotator.journal import JOURNAL_NAME, Journal
from annotator.model import Role
from annotator.project import Project
from annotator.store.engine import split_password
from app.collector import collect_as_usual
from app.core_text import core_text
from app.i18n import install_translators, language_for
from app.icons import icon
from app.logs import APP_NAME, configure_logging, set_project
from app.model_loop.attach import attach_model_loop
from app.quitting import end_with_window
from app.settings import AppSettings, project_folder
from app.start_args import parse_args
from app.start_dialog import StartDialog

if TYPE_CHECKING:
    from annotator.store.api import StoreAPI
    from app.main_window import MainWindow
    from app.review.review_window import ReviewWindow


def style_sheet() -> str:
    """The bundled style sheet (empty when missing, so a broken install still opens)."""
    try:
        return resources.files("resources").joinpath("style.qss").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return ""


Chosen = tuple[Project, str, "StoreAPI | None"]  # the project, the user, their store when already open


def choose_project(settings: AppSettings, folder: str | None, user: str | None) -> Chosen | None:
    """Open the named project as the named user, asking with the start dialog for what is missing.
    The store opened to check the user comes back too, for the window to keep: on a team server
    every opening costs some 15 round trips (0.7 s at 40 ms), so it is opened once."""
    folder = folder or settings.last_project
    if folder:
        try:
            opened = _open_as(folder, user, settings)
            if opened is not None:
                return opened
        except (InputError, PermissionDenied) as exc:
            QMessageBox.warning(None, "MMAD Studio", core_text(exc))
    dialog = StartDialog(folder, user)
    if dialog.exec() != StartDialog.DialogCode.Accepted or dialog.project is None or dialog.user is None:
        return None
    return dialog.project, dialog.user, None


def _open_as(folder: str, user: str | None, settings: AppSettings) -> Chosen | None:
    """The project and its store open as `user` (the user must exist); with no user named, as the
    team login's own user, else the one remembered for the folder; None when there is none."""
    project = Project.open(folder)
    if not user:
        store = _login_store(project)
        if store is not None and store.user is not None:
            return project, store.user.name, store
        if store is not None:
            store.close()
        user = settings.user_for(project_folder(folder))
        if not user:
            return None
    return project, user, project.open_store(user)


def _login_store(project: Project) -> StoreAPI | None:
    """On a team (PostgreSQL) project, the store of the user this desktop's login belongs to (the
    owner's login: a store with no user); None on SQLite."""
    if project.database_url.startswith("sqlite"):
        return None
    return project.open_store()


def login_user(folder: str) -> str | None:
    """On a team (PostgreSQL) project, the user whose login this desktop connects with (never the
    owner by default); None on SQLite, for the owner's login, or when the project cannot be opened
    (choose_project then says why)."""
    try:
        store = _login_store(Project.open(folder))
    except (InputError, PermissionDenied):
        return None
    if store is None:
        return None
    try:
        return store.user.name if store.user is not None else None
    finally:
        store.close()


def project_journal(project: Project, user: str) -> Journal:
    """The local journal of this desktop's edits not yet committed, in the project folder (one per
    database and user: the URL without its password names the database)."""
    _backend, bare, _had = split_password(project.database_url)
    return Journal(project.path / JOURNAL_NAME, f"{bare}#{user}")


def build_window(project: Project, user: str, settings: AppSettings, defer_queue: bool = False,
                 store: StoreAPI | None = None) -> MainWindow | ReviewWindow:
    """The window on `project` as `user`: the review screen for a reviewer, else the annotation
    screen (the store, `store` when choose_project opened it, stays open for the window's life).
    defer_queue: the review screen reads its queue off the UI thread when open_start_clip is called
    (the window is shown first)."""
    store = store if store is not None else project.open_store(user)
    key = project_folder(str(project.path))
    set_project(project.path.name)  # the log's lines name the project from here on
    window: MainWindow | ReviewWindow
    deferred = False
    if store.user is not None and store.user.role is Role.REVIEWER:
        # Imported here: the review screen pulls in merging and scipy, which annotators never need.
        from app.review.review_window import ReviewWindow

        window = ReviewWindow(store, user, project.media_path, settings,
                              store_factory=lambda: project.open_store(user), project_key=key, title=project.name,
                              defer_queue=defer_queue)
        deferred = defer_queue
        window.backup = project.backup
    else:
        # here too: a reviewer's window opens without importing the annotation screen
        from app.main_window import MainWindow

        window = MainWindow(store, user, project.media_path, settings, project_key=key, title=project.name)
    window.model_loop = attach_model_loop(window, project, store)  # Model menu: propose, models, train
    window.apply_user_keys()  # every command exists now: the user's own keys replace the defaults
    if not deferred:  # a deferred queue reserves once it is read
        window.reserve_frame_memory()  # for the queue just loaded, before the start clip opens
    window.destroyed.connect(lambda *_: store.close())
    hold = hold_open(project.path)  # `mmad restore` is refused while this is held
    if hold is not None:
        window.destroyed.connect(lambda *_: hold.close())
    settings.last_project = key
    settings.set_user_for(key, user)
    geometry, state = settings.window_state()
    if geometry is not None:
        window.restoreGeometry(geometry)
    if state is not None:
        window.restoreState(state)
    return window


def main(argv: Sequence[str]) -> int:
    """Parse the arguments, open the project, run the window until it closes."""
    args = parse_args(argv)
    end_with_window()  # the caller ends the process when this returns: the window need not wait at close
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    folder = configure_logging(Path(data))
    logging.getLogger(__name__).info("MMAD Studio starting (log in %s)", folder)
    app.setStyle("Fusion")
    app.setWindowIcon(icon("app"))
    app.setStyleSheet(style_sheet())
    settings = AppSettings(args.settings)
    translators = install_translators(app, language_for(settings.language))  # kept alive while the app runs
    chosen = choose_project(settings, args.project, args.user)
    if chosen is None:
        return 1
    window = build_window(chosen[0], chosen[1], settings, defer_queue=True, store=chosen[2])
    window.go_live(project_journal(chosen[0], chosen[1]))  # edits saved in the background, teammates' work shown live
    if settings.window_state()[0] is None:
        window.resize(1600, 900)
    window.show()
    window.open_start_clip()
    collect_as_usual()  # what start-up made lives as long as the app: out of the collector's scans
    if window.model_loop is not None:
        window.model_loop.warm_up_later()  # a worker with torch imported, for the first propose / train
    code = int(app.exec())  # the window's hold (app_hold) tells `mmad pose` and the like to leave it a core
    del translators
    window.store.close()  # edits not committed are in the journal; main.py then ends the process at once
    return code
