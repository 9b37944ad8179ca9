"""Label picker: type a code or part of a name, Enter takes the highlighted action."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.taxonomy import Taxonomy
from app.i18n import tax_name, tr
from app.labelling.matching import match_actions
from app.labelling.placement import place_clear_of

ACTION_ROLE = int(Qt.ItemDataRole.UserRole)


class LabelPicker(QDialog):
    """A small window-modal popup; emits `picked(action_id)` or `dismissed()`."""

    picked = Signal(int)
    dismissed = Signal()

    def __init__(self, taxonomy: Taxonomy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.taxonomy = taxonomy
        self.setObjectName("labelPicker")
        self.setWindowTitle(tr("Picker", "Label"))
        self.setModal(True)
        self.title = QLabel(tr("Picker", "Action"))
        self.title.setObjectName("pickerTitle")
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(tr("Picker", "code or name: B1, nod, touch…"))
        self.edit.setClearButtonEnabled(True)
        self.list = QTreeWidget()
        self.list.setColumnCount(3)
        self.list.setHeaderLabels([tr("Picker", "Code"), tr("Picker", "Action"), tr("Picker", "Body part")])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.edit)
        layout.addWidget(self.list)
        self.resize(460, 440)
        self.keep_clear: Callable[[], QRect] | None = None  # global rect the picker must not cover
        self.last_picked: int | None = None  # highlighted when the picker opens for a new segment
        self.first: list[int] = []  # action ids listed before the others
        self.edit.textChanged.connect(self._refill)
        self.edit.returnPressed.connect(self.accept)
        self.edit.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item, _col: self.accept())
        self._refill("")

    def ask(self, title: str, current_action: int | None = None, first: Sequence[int] = ()) -> None:
        """Show the picker (non-blocking); the answer comes through `picked` or `dismissed`. Without
        a current action the one picked last is highlighted (not always the table's first, A1);
        the actions in `first` (the reviewer's: the annotators' labels) head the list."""
        self.title.setText(title)
        self.first = list(first)
        self.edit.clear()
        self._refill("")
        if current_action is None:
            current_action = self.last_picked
        if current_action is not None:
            for row in range(self.list.topLevelItemCount()):
                item = self.list.topLevelItem(row)
                if item is not None and item.data(0, ACTION_ROLE) == current_action:
                    self.list.setCurrentItem(item)
        self._place()
        self.open()
        self.edit.setFocus()

    def _place(self) -> None:
        """Beside the video rather than centred on the window, over the person's body."""
        if self.keep_clear is None:
            return
        parent = self.parentWidget()
        screen = (parent or self).screen().availableGeometry()
        bounds = screen.united(parent.window().frameGeometry()) if parent is not None else screen
        self.move(place_clear_of(self.keep_clear(), self.frameGeometry().size().expandedTo(self.size()), bounds))

    def current_action(self) -> int | None:
        """The highlighted action id, if any."""
        item = self.list.currentItem()
        return None if item is None else int(item.data(0, ACTION_ROLE))

    def _refill(self, text: str) -> None:
        self.list.clear()
        items = []
        found = match_actions(self.taxonomy, text)
        rank = {a: k for k, a in enumerate(self.first)}
        found = sorted(found, key=lambda a: rank.get(a.id, len(rank)))  # stable: the rest keep their order
        for action in found:
            item = QTreeWidgetItem([action.code, tax_name(action.name), tax_name(action.body_part.name)])
            item.setData(0, ACTION_ROLE, action.id)
            items.append(item)
        self.list.addTopLevelItems(items)
        if items:
            self.list.setCurrentItem(items[0])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down move through the list while typing continues in the field."""
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.list.keyPressEvent(event)
                return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        """Take the highlighted action (Enter or double-click)."""
        action = self.current_action()
        if action is None:
            return  # nothing matches: keep the picker open so the user can fix the text
        super().accept()
        self.last_picked = action
        self.picked.emit(action)

    def reject(self) -> None:
        """Close without choosing (Esc)."""
        super().reject()
        self.dismissed.emit()
