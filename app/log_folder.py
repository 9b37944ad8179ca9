"""Help → Open log folder: the menu entry both windows get, and what it does."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMenu

from app.logs import log_folder


def add_log_folder_action(menu: QMenu) -> QAction:
    """Append 'Open log folder' (after a separator) to `menu`."""
    menu.addSeparator()
    action = menu.addAction("Open log folder")
    action.setStatusTip(f"Show the folder of MMAD Studio's log file ({log_folder()})")
    action.triggered.connect(open_log_folder)
    return action


def open_log_folder() -> bool:
    """The system's file manager on the folder of the log file (made first if missing)."""
    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
