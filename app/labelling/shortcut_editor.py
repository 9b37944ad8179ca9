"""Help → Change keyboard shortcuts…: the user's own keys, checked for collisions before use."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.labelling.custom_keys import collisions, normal

Apply = Callable[[dict[str, tuple[str, ...]]], None]  # the overrides to store and use


class ShortcutEditor(QDialog):
    """One row per command with a key: click the key field and press the new key."""

    def __init__(self, actions: Sequence[QAction], defaults: dict[str, tuple[str, ...]], apply: Apply,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutEditor")
        self.setWindowTitle(tr("Keys", "Keyboard shortcuts"))
        self.commands = [a for a in actions if a.objectName() in defaults]
        self.defaults = defaults
        self.apply = apply
        self.table = QTableWidget(len(self.commands), 4)
        self.table.setHorizontalHeaderLabels([tr("Keys", "Command"), tr("Keys", "Key"), tr("Keys", "Also"), tr("Keys", "Default")])
        self.table.verticalHeader().hide()
        self.edits: dict[str, QKeySequenceEdit] = {}
        for row, action in enumerate(self.commands):
            name = action.objectName()
            self.table.setItem(row, 0, QTableWidgetItem(action.text().replace("&", "")))
            edit = QKeySequenceEdit(action.shortcut())
            edit.setMaximumSequenceLength(1)
            edit.setClearButtonEnabled(True)
            self.table.setCellWidget(row, 1, edit)
            # The other keys of a command that has several (kept while its first key is)
            also = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()[1:])
            self.table.setItem(row, 2, QTableWidgetItem(also))
            native = (QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in defaults[name])
            self.table.setItem(row, 3, QTableWidgetItem(", ".join(dict.fromkeys(native))))  # as the key fields do
            self.edits[name] = edit
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 170)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.problems = QLabel("")
        self.problems.setObjectName("shortcutProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #ec9650;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        reset = QPushButton(tr("Keys", "Defaults"))
        reset.setToolTip(tr("Keys", "Every command back to its default key"))
        buttons.addButton(reset, QDialogButtonBox.ButtonRole.ResetRole)
        reset.clicked.connect(self.reset)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Keys", "Click a key field and press the new key. A key may serve one command only.")))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.resize(760, 700)  # the commands' names unelided (Chinese ones too)

    def chosen(self) -> dict[str, tuple[str, ...]]:
        """Every command's keys as the fields show them (a changed first key keeps no extras)."""
        out = {}
        for action in self.commands:
            name = action.objectName()
            typed = normal(self.edits[name].keySequence().toString())
            current = tuple(normal(k.toString()) for k in action.shortcuts())
            out[name] = current if current[:1] == (typed,) else ((typed,) if typed else ())
        return out

    def overrides(self) -> dict[str, tuple[str, ...]]:
        """Only the commands whose keys differ from the default."""
        defaults = {k: tuple(normal(x) for x in v) for k, v in self.defaults.items()}
        return {k: v for k, v in self.chosen().items() if v != defaults.get(k)}

    def save(self) -> None:
        """Check the keys; store and use them, or say what collides and stay open."""
        names = {a.objectName(): a.text().replace("&", "") for a in self.commands}
        problems = collisions(self.chosen(), names)
        if problems:
            self.problems.setText(tr("Keys", "Not saved: {problems}").format(problems="; ".join(problems)))
            return
        self.apply(self.overrides())
        self.accept()

    def reset(self) -> None:
        """Show the default keys (Save stores them)."""
        for action in self.commands:
            keys = self.defaults[action.objectName()]
            self.edits[action.objectName()].setKeySequence(QKeySequence(keys[0]) if keys else QKeySequence())
