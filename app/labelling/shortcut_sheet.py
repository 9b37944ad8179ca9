"""The shortcut sheet (?): every command grouped by menu, built from the shortcut table."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.labelling.shortcuts import MENUS, SHORTCUTS, Shortcut
from app.labelling.shortcuts import __doc__ as SHORTCUTS_DOC

NUDGE_NOTE = " ".join((SHORTCUTS_DOC or "").split("\n\n", 1)[-1].split())


def sheet_html(menus: Sequence[str] = MENUS, shortcuts: Sequence[Shortcut] = SHORTCUTS,
               note: str = NUDGE_NOTE) -> str:
    """The sheet as HTML: one table per menu, keys in the platform's notation, then the note."""
    parts = ["<style>td{padding:2px 10px;} td.k{font-family:monospace;color:#f0c060;}"
             " h3{margin:10px 0 4px 0;color:#9fb4d8;}</style>"]
    parts.append("<table width='100%'>")
    for menu in menus:
        rows = [s for s in shortcuts if s.menu == menu and s.keys]
        if not rows:
            continue
        parts.append(f"<tr><td colspan='2'><h3>{menu}</h3></td></tr>")
        for s in rows:
            keys = QKeySequence(s.keys[0]).toString(QKeySequence.SequenceFormat.NativeText) or s.keys[0]
            extra = f" <span style='color:#8a919c'>— {html.escape(s.help)}</span>" if s.help else ""
            parts.append(f"<tr><td class='k' width='175'>{html.escape(keys)}</td>"
                         f"<td>{html.escape(s.text)}{extra}</td></tr>")
    parts.append("</table>")
    parts.append(f"<p style='color:#b8bec8'>{html.escape(note)}</p>")
    return "".join(parts)


class ShortcutSheet(QDialog):
    """A non-modal window listing every shortcut of one screen."""

    def __init__(self, parent: QWidget | None = None, html_text: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutSheet")
        text = QTextBrowser()
        text.setHtml(sheet_html() if html_text is None else html_text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(620, 700)
        # A plain dialog, not a Qt::Tool window: a tool window shares its parent's shortcuts, so
        # Esc, ? and F1 would reach both this sheet and the window under it, and do nothing.
        for keys in ("Esc", "?", "F1"):  # close it the way it was opened, or with Esc
            QShortcut(QKeySequence(keys), self, self.close, context=Qt.ShortcutContext.WindowShortcut)
