"""The shortcut sheet (?): every command grouped by menu, built from the shortcut table."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QMenuBar, QTextBrowser, QVBoxLayout, QWidget

from app.i18n import tr
from app.labelling.shortcuts import MENUS, SHORTCUTS, Shortcut
from app.labelling.shortcuts import __doc__ as SHORTCUTS_DOC

NUDGE_NOTE = " ".join((SHORTCUTS_DOC or "").split("\n\n", 1)[-1].split())


@dataclass(frozen=True, slots=True)
class KeyedCommand:
    """One command on the sheet: every key it answers to (as shown to the user), its name, a hint."""

    keys: tuple[str, ...]
    text: str
    help: str = ""


Groups = Sequence[tuple[str, Sequence[KeyedCommand]]]  # (menu title, its commands with keys)


def _native(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) or key


def table_groups(menus: Sequence[str] = MENUS, shortcuts: Sequence[Shortcut] = SHORTCUTS) -> list[tuple[str, list[KeyedCommand]]]:
    """A shortcut table's commands that have keys, grouped by menu."""
    return [(m, [KeyedCommand(tuple(_native(k) for k in s.keys), s.text, s.help)
                 for s in shortcuts if s.menu == m and s.keys]) for m in menus]


def menu_groups(menubar: QMenuBar) -> list[tuple[str, list[KeyedCommand]]]:
    """The commands a window really has, with the keys in use now, menu by menu in menu-bar order
    (submenus included): the sheet and the guide read this, so no key can be left off them."""
    out = []
    for top in menubar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            out.append((re.sub(r"\(&.\)$", "", top.text()).replace("&", ""), _menu_commands(menu)))
    return out


def _menu_commands(menu: QMenu) -> list[KeyedCommand]:
    found = []
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            found += _menu_commands(sub)
        elif action.shortcuts():
            # Return and Enter may read the same in a language (回车): each text once
            keys = tuple(dict.fromkeys(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()))
            found.append(KeyedCommand(keys, action.text().replace("&", ""), action.statusTip()))
    return found


def sheet_html(groups: Groups | None = None, note: str = NUDGE_NOTE) -> str:
    """The sheet as HTML: one table per menu, every key of each command, then the note."""
    parts = ["<style>td{padding:2px 10px;} td.k{font-family:monospace;color:#f0c060;}"
             " h3{margin:10px 0 4px 0;color:#9fb4d8;}</style>"]
    parts.append("<table width='100%'>")
    for menu, rows in (table_groups() if groups is None else groups):
        if not rows:
            continue
        parts.append(f"<tr><td colspan='2'><h3>{html.escape(menu)}</h3></td></tr>")
        for c in rows:
            extra = f" <span style='color:#8a919c'>— {html.escape(c.help)}</span>" if c.help else ""
            parts.append(f"<tr><td class='k' width='175'>{html.escape(' / '.join(c.keys))}</td>"
                         f"<td>{html.escape(c.text)}{extra}</td></tr>")
    parts.append("</table>")
    parts.append(f"<p style='color:#b8bec8'>{html.escape(note)}</p>")
    return "".join(parts)


def keys_markdown(groups: Groups) -> str:
    """The same commands as Markdown tables, one per menu (the guide's key section)."""
    parts = []
    for menu, rows in groups:
        lines = [f"| `{'`, `'.join(c.keys)}` | {c.text.replace('|', chr(92) + '|')} |" for c in rows]
        if lines:
            parts.append(f"### {menu}\n\n| {tr('Help', 'Key')} | {tr('Help', 'Command')} |\n|---|---|\n" + "\n".join(lines))
    return "\n\n".join(parts)


class ShortcutSheet(QDialog):
    """A non-modal window listing every shortcut of one screen."""

    def __init__(self, parent: QWidget | None = None, html_text: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Help", "Keyboard shortcuts"))
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
