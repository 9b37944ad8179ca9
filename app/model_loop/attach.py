"""Gives a window its Model-menu loop: propose (annotation screen), models, train (reviewer)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow

from annotator.model import AssignmentState, Clip, Role
from annotator.project import Project
from annotator.store.api import StoreAPI
from app.model_loop.loop_controller import ModelLoop
from app.window_common import add_menu

if TYPE_CHECKING:
    from app.main_window import MainWindow


class _StopOnClose(QObject):
    """Stops the loop's worker processes when the window closes (nothing is stored mid-run)."""

    def __init__(self, loop: ModelLoop) -> None:
        super().__init__(loop)
        self.loop = loop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """On Close: cancel and wait for the workers."""
        if event.type() == QEvent.Type.Close:
            self.loop.shutdown()
        return False


def annotation_window(window: QMainWindow) -> MainWindow | None:
    """The window as the annotation screen, else None; without importing that screen (a reviewer's
    window opens without it: no annotation screen exists before its module is imported)."""
    module = sys.modules.get("app.main_window")
    return cast("MainWindow", window) if module is not None and isinstance(window, module.MainWindow) else None


def attach_model_loop(window: QMainWindow, project: Project, store: StoreAPI) -> ModelLoop:
    """Create the window's ModelLoop and put its entries in the window's Model menu."""
    reviewer = store.user is None or store.user.role is Role.REVIEWER
    main = annotation_window(window)
    if main is not None:

        def queue_clips() -> list[Clip]:
            return [r.clip for r in main.queue.model.rows if r.state is not AssignmentState.DONE and not r.clip.finalised]

        loop = ModelLoop(window, project, store, main.proposals, queue_clips)
        menu = main.proposals.menu
    else:
        loop = ModelLoop(window, project, store)
        menu = add_menu(window, "&Model")
    actions = loop.install(menu, can_propose=main is not None, can_train=reviewer)
    by_id = getattr(window, "actions_by_id", None)
    if isinstance(by_id, dict):
        by_id.update(actions)
    show = getattr(window, "show_message", None)
    if show is not None:
        loop.message.connect(show)
    window.installEventFilter(_StopOnClose(loop))
    return loop
