"""Help → User guide: the bundled Markdown guide, then this screen's keys as the user set them."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QTextBrowser, QVBoxLayout, QWidget

GUIDE = "guide/user_guide.md"


def guide_markdown() -> str:
    """The bundled guide (a one-line note if the file is missing from a broken install)."""
    path = resources.files("resources").joinpath(GUIDE)
    return path.read_text("utf-8") if path.is_file() else "# MMAD Studio\n\nThe user guide is missing."


def keys_markdown(menus: Mapping[str, QMenu]) -> str:
    """One Markdown table per menu: each command that has a key, with the key in use now."""
    parts = []
    for name, menu in menus.items():
        rows = []
        for action in menu.actions():
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            if keys:
                text = action.text().replace("&", "").replace("|", "\\|")
                rows.append(f"| `{'`, `'.join(keys)}` | {text} |")
        if rows:
            parts.append(f"### {name}\n\n| Key | Command |\n|---|---|\n" + "\n".join(rows))
    return "\n\n".join(parts)


class GuideWindow(QDialog):
    """A non-modal window showing the guide rendered from Markdown."""

    def __init__(self, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuide")
        self.setWindowTitle("MMAD Studio — user guide")
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setMarkdown(markdown)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(760, 820)
