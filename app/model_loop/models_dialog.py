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


class ModelsDialog(QDialog):
    """Every version of the project, the active one marked; a reviewer can activate another."""

    activated = Signal(int)  # version number

    def __init__(self, project: Path, can_activate: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Models")
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
        self.activate_button = QPushButton("Activate")
        self.activate_button.setObjectName("activateVersion")
        self.activate_button.setEnabled(False)
        self.activate_button.setVisible(can_activate)
        self.activate_button.clicked.connect(self.activate_selected)
        self.table.itemSelectionChanged.connect(self._on_select)
        close = QPushButton("Close")
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
            self.note.setText(str(exc))
        rows = version_rows(self.registry)
        self.table.clear()
        self.table.setColumnCount(len(rows[0]))
        self.table.setHorizontalHeaderLabels(rows[0])
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
            self.note.setText("No trained model yet (a reviewer trains one: Model ▸ Train a model…)")
        elif active is not None:
            self.note.setText(f"Active: {active.label}, proposals shown from score {active.threshold:.2f} "
                              f"({active.threshold_basis}). "
                              "mAP is action/body/AVG in per cent.")
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
