"""Help → Open log folder: the menu entry both windows get, and what it does."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget

from app.i18n import tr
from app.logs import log_folder


def add_log_folder_action(menu: QMenu, parent: QWidget | None = None) -> QAction:
    """Append 'Open log folder' (after a separator) to `menu`."""
    menu.addSeparator()
    action = menu.addAction(tr("Help", "Open log folder"))
    action.setStatusTip(tr("Help", "Show the folder of MMAD Studio's log file ({folder})").format(folder=log_folder()))
    action.triggered.connect(lambda: open_log_folder(parent))
    return action


def open_log_folder(parent: QWidget | None = None) -> bool:
    """The system's file manager on the folder of the log file (made first if missing); without
    one, a message that shows the folder's path (selectable, and copied to the clipboard)."""
    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        return True
    QApplication.clipboard().setText(str(folder))
    box = QMessageBox(QMessageBox.Icon.Information, "Log folder",
                      f"No file manager could open the log folder. The log is in:\n\n{folder}\n\n"
                      "(the path is on the clipboard)", QMessageBox.StandardButton.Close, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return False
