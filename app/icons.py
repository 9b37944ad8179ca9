"""The project's own icon set (resources/icons, drawn for MMAD Studio; see its LICENSE.md)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources

from PySide6.QtGui import QAction, QIcon

# Which icon each main command shows in the menus (both screens; ids of the shortcut tables).
ACTION_ICONS = {
    "next_clip": "next", "mark_done": "done", "undo": "undo", "redo": "redo", "find": "find",
    "export": "export", "video_zoom_in": "zoom-in", "video_zoom_out": "zoom-out",
    "video_zoom_reset": "zoom-reset", "go_to": "goto", "shortcut_sheet": "keys", "play": "play",
    "collapse_lanes": "lanes", "merge": "merge", "finalise": "finalise", "user_guide": "help",
    "about": "about", "edit_shortcuts": "keys",
}


@cache
def icon(name: str) -> QIcon:
    """The icon `name` (an empty icon if the file is missing, so a broken install still runs)."""
    path = resources.files("resources").joinpath(f"icons/{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


def apply_action_icons(actions: Mapping[str, QAction]) -> None:
    """Give each main command its icon."""
    for action_id, action in actions.items():
        name = ACTION_ICONS.get(action_id)
        if name is not None:
            action.setIcon(icon(name))
