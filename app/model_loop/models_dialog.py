"""Model ▸ Models…: the registry as a table (the same as `mmad models`), and Activate."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import InputError
from annotator.models_registry import Registry, activate, load_registry
from app.cli.cmd_models import version_rows
from app.core_text import core_text
from app.i18n import mark, tr

# version_rows' column titles (app.cli.cmd_models, shared with `mmad models`), translated where shown
COLUMN_TITLES = (mark("Model", "version"), mark("Model", "created"), mark("Model", "model"), mark("Model", "trained on"),
                 mark("Model", "data"), mark("Model", "val mAP %"), mark("Model", "test mAP %"), mark("Model", "threshold"))

class ModelsDialog(QDialog):
    """Every version of the project, the active one marked; a reviewer can activate another."""

    activated = Signal(int)  # version number

    def __init__(self, project: Path, can_activate: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Model", "Models"))
        self.setObjectName("modelsDialog")
        self.project = Path(project)
        self.registry = Registry()
        self.table = QTableWidget()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.activate_button = QPushButton(tr("Model", "Activate"))
        self.activate_button.setObjectName("activateVersion")
        self.activate_button.setEnabled(False)
        self.activate_button.setVisible(can_activate)
        self.activate_button.clicked.connect(self.activate_selected)
        self.table.itemSelectionChanged.connect(self._on_select)
        close = QPushButton(tr("Model", "Close"))
        close.clicked.connect(self.hide)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.activate_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.resize(1180, 320)
        self.reload()

    def reload(self) -> None:
        """Re-read the registry file."""
        try:
            self.registry = load_registry(self.project)
        except InputError as exc:
            self.registry = Registry()
            self.note.setText(core_text(exc))
        rows = version_rows(self.registry)
        self.table.clear()
        self.table.setColumnCount(len(rows[0]))
        self.table.setHorizontalHeaderLabels([tr("Model", title) for title in rows[0]])
        self.table.setRowCount(len(rows) - 1)
        for r, row in enumerate(rows[1:]):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if row[0]:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                item.setData(Qt.ItemDataRole.UserRole, self.registry.versions[r].number)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        active = self.registry.active_version()
        if not self.registry.versions:
            self.note.setText(tr("Model", "No trained model yet (a reviewer trains one: Model ▸ Train a model…)"))
        elif active is not None:
            self.note.setText(tr("Model", "Active: {label}, proposals shown from score {threshold:.2f} ({threshold_basis}). mAP is action/body/AVG in per cent.").format(label=active.label, threshold=active.threshold, threshold_basis=active.threshold_basis))
        self._on_select()

    def selected_number(self) -> int | None:
        """The version number of the selected row."""
        items = self.table.selectedItems()
        return int(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def select_number(self, number: int) -> None:
        """Select a version's row."""
        for r, v in enumerate(self.registry.versions):
            if v.number == number:
                self.table.selectRow(r)

    def _on_select(self) -> None:
        number = self.selected_number()
        active = self.registry.active_version()
        self.activate_button.setEnabled(number is not None and (active is None or active.number != number))

    def activate_selected(self) -> None:
        """Make the selected version the one the app proposes with."""
        number = self.selected_number()
        if number is None:
            return
        chosen = activate(self.project, str(number))
        self.reload()
        self.select_number(chosen.number)
        self.activated.emit(chosen.number)
