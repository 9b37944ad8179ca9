"""Help → User guide: the bundled Markdown guide, then this screen's keys as the user set them."""

from __future__ import annotations

import re
from importlib import resources

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.i18n import current_language, tr

GUIDE = "guide/user_guide.md"


def guide_markdown() -> str:
    """The bundled guide (a one-line note if the file is missing from a broken install)."""
    language = current_language()
    local = resources.files("resources").joinpath(GUIDE.replace(".md", f".{language}.md"))
    path = local if language != "en" and local.is_file() else resources.files("resources").joinpath(GUIDE)
    if not path.is_file():
        return "# MMAD Studio\n\nThe user guide is missing."
    return join_wrapped_cjk(path.read_text("utf-8"))


# A line break inside a paragraph between two CJK characters (or before a `key`): Markdown would
# show it as a space, which Chinese text does not have
_CJK_WRAP = re.compile(r"(?<=[\u2e80-\uffef])\n[ \t]*(?=[\u2e80-\uffef`])")


def join_wrapped_cjk(markdown: str) -> str:
    """The guide's paragraphs with their source line breaks between Chinese words removed."""
    return _CJK_WRAP.sub("", markdown)


class GuideWindow(QDialog):
    """A non-modal window showing the guide rendered from Markdown."""

    def __init__(self, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuide")
        self.setWindowTitle(tr("Help", "MMAD Studio — user guide"))
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setMarkdown(markdown)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(760, 820)
