"""Gives a window its Model-menu loop: propose (annotation screen), models, train (reviewer)."""

from __future__ import annotations

from annotator.model import AssignmentState, Clip, Role
from annotator.project import Project
from annotator.store.api import StoreAPI
from app.main_window import MainWindow
from app.model_loop.loop_controller import ModelLoop
from app.window_common import ClipWindow, add_menu


def attach_model_loop(window: ClipWindow, project: Project, store: StoreAPI) -> ModelLoop:
    """Create the window's ModelLoop and put its entries in the window's Model menu (its jobs run on
    the window's runner, which stops them when the window closes)."""
    reviewer = store.user is None or store.user.role is Role.REVIEWER
    if isinstance(window, MainWindow):
        main = window

        def queue_clips() -> list[Clip]:
            return [r.clip for r in main.queue.model.rows if r.state is not AssignmentState.DONE and not r.clip.finalised]

        loop = ModelLoop(window, window.runner, project, store, window.proposals, queue_clips)
        menu = window.proposals.menu
    else:
        loop = ModelLoop(window, window.runner, project, store)
        menu = add_menu(window, "&Model")
    actions = loop.install(menu, can_propose=isinstance(window, MainWindow), can_train=reviewer)
    by_id = getattr(window, "actions_by_id", None)
    if isinstance(by_id, dict):
        by_id.update(actions)
    show = getattr(window, "show_message", None)
    if show is not None:
        loop.message.connect(show)
    return loop
