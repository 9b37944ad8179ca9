"""Gives a window its Model-menu loop: propose (annotation screen), models, train (reviewer)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, cast

from annotator.model import AssignmentState, Clip, Role
from annotator.project import Project
from annotator.store.api import StoreAPI
from app.model_loop.loop_controller import ModelLoop
from app.window_common import ClipWindow, add_menu

if TYPE_CHECKING:
    from app.main_window import MainWindow


def annotation_window(window: ClipWindow) -> MainWindow | None:
    """The window as the annotation screen, else None; without importing that screen (a reviewer's
    window opens without it: no annotation screen exists before its module is imported)."""
    module = sys.modules.get("app.main_window")
    return cast("MainWindow", window) if module is not None and isinstance(window, module.MainWindow) else None


def attach_model_loop(window: ClipWindow, project: Project, store: StoreAPI) -> ModelLoop:
    """Create the window's ModelLoop and put its entries in the window's Model menu (its jobs run on
    the window's runner, which stops them when the window closes)."""
    reviewer = store.user is None or store.user.role is Role.REVIEWER
    main = annotation_window(window)
    if main is not None:

        def queue_clips() -> list[Clip]:
            return [r.clip for r in main.queue.model.rows if r.state is not AssignmentState.DONE and not r.clip.finalised]

        loop = ModelLoop(window, window.runner, project, store, main.proposals, queue_clips)
        menu = main.proposals.menu
    else:
        loop = ModelLoop(window, window.runner, project, store)
        menu = add_menu(window, "&Model")
    actions = loop.install(menu, can_propose=main is not None, can_train=reviewer)
    by_id = getattr(window, "actions_by_id", None)
    if isinstance(by_id, dict):
        by_id.update(actions)
    show = getattr(window, "show_message", None)
    if show is not None:
        loop.message.connect(show)
    return loop
